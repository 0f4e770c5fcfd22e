"""Property-based tests: every reader, fed random bytes, random text and random near-valid
records, yields Articles or recorded errors, never an exception, and every Article it yields
can be stored (UTF-8 encodable, hashable, cleaned, within its length limits)."""

from __future__ import annotations

import codecs
import csv
import io
import json
import os
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from etl.readers import READERS, read_file
from etl.readers.gdelt import COLUMNS as GKG_COLUMNS
from etl.record import MAX_BODY_CHARS, MAX_TITLE_CHARS, Article, IngestError

# A deeper search: PROPERTY_EXAMPLES=2000 pytest tests/test_property_parsers.py
SETTINGS = settings(
    max_examples=int(os.environ.get("PROPERTY_EXAMPLES", "40")),
    deadline=None,
    database=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.function_scoped_fixture],
)
SUFFIXES = {
    "text": ".txt",
    "jsonl": ".jsonl",
    "csv": ".csv",
    "html": ".html",
    "feed": ".xml",
    "gdelt": ".gkg.csv",
    "mediacloud": ".csv",
}
FIELD_NAMES = [
    "title", "headline", "text", "body", "content", "date", "published_at", "pubDate",
    "url", "link", "source", "media_name", "lang", "language", "stories_id", "ap_syndicated",
]  # fmt: skip

# Any code point, surrogates and control characters included: JSON escapes can carry them.
any_char = st.characters(codec=None, exclude_categories=())
wild_text = st.text(alphabet=any_char, max_size=60)
markup_text = st.text(
    alphabet=st.sampled_from(list("<>&\"'=/;:#![]()*_`\\\n\t\r\x00\u202e\u200f ") + list("aяé1")),
    max_size=40,
)
references = st.sampled_from(  # character references, some to no character at all
    ["&#xD800;", "&#1114112;", "&#0;", "&#x41;", "&#1103;", "&amp;", "&bogus;", "&#x;"]
)
words = st.one_of(wild_text, markup_text, references)
json_scalars = st.one_of(
    st.none(),
    st.booleans(),
    st.integers(min_value=-(10**30), max_value=10**30),
    st.floats(allow_nan=True, allow_infinity=True),
    words,
)
json_values = st.recursive(
    json_scalars,
    lambda inner: st.one_of(
        st.lists(inner, max_size=4),
        st.dictionaries(st.one_of(st.sampled_from(FIELD_NAMES), words), inner, max_size=4),
    ),
    max_leaves=12,
)
records = st.dictionaries(st.one_of(st.sampled_from(FIELD_NAMES), words), json_values, max_size=8)
encodings = st.sampled_from(["utf-8", "utf-8-sig", "utf-16", "utf-16-le", "cp1251", "koi8-r"])


@pytest.fixture(scope="module")
def folder(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return tmp_path_factory.mktemp("random_inputs")


def _write(folder: Path, fmt: str, data: bytes) -> Path:
    path = folder / f"input{SUFFIXES[fmt]}"
    path.write_bytes(data)
    return path


def _encode(text: str, encoding: str) -> bytes:
    """The text in an encoding; UTF-8 keeps lone surrogates as the invalid bytes they become."""
    if encoding == "utf-8":
        return text.encode("utf-8", errors="surrogatepass")
    return codecs.encode(text, encoding, errors="replace")


def _check(path: Path, fmt: str) -> list[Article | IngestError]:
    """Read the file with one reader and check the contract every reader keeps."""
    items = list(read_file(path, fmt))
    assert items, "the input produced neither a record nor an error"
    for item in items:
        assert isinstance(item, Article | IngestError)
        assert item.origin.startswith(str(path))
        if isinstance(item, IngestError):
            assert item.message.strip()
            assert item.severity in ("error", "warning")
            assert isinstance(item.location, str)
            continue
        stored = [item.title, item.body, item.url or "", item.source or "", item.origin]
        stored += [item.language_hint or "", item.date_problem or ""]
        stored.append(json.dumps(item.extra, ensure_ascii=False, default=str))
        for value in stored:
            value.encode("utf-8")  # the loader writes UTF-8: no lone surrogates
        assert len(item.title) <= MAX_TITLE_CHARS and "\n" not in item.title
        assert len(item.body) <= MAX_BODY_CHARS
        assert not any(ord(char) < 32 and char != "\n" for char in item.title + item.body)
        assert item.title or item.body or item.url or not item.text_enriched
        item.content_hash()
        assert item.article_id
    return items


@SETTINGS
@given(data=st.binary(max_size=3000))
def test_random_bytes_in_every_format(folder: Path, data: bytes) -> None:
    for fmt in READERS:
        _check(_write(folder, fmt, data), fmt)


@SETTINGS
@given(text=st.text(alphabet=any_char, max_size=1500), encoding=encodings)
def test_random_text_in_any_encoding_in_every_format(
    folder: Path, text: str, encoding: str
) -> None:
    data = _encode(text, encoding)
    for fmt in READERS:
        _check(_write(folder, fmt, data), fmt)


@SETTINGS
@given(
    lines=st.lists(st.one_of(records, json_values), min_size=1, max_size=6),
    ascii_only=st.booleans(),
    cut=st.integers(min_value=0, max_value=40),
)
def test_random_json_lines(folder: Path, lines: list, ascii_only: bool, cut: int) -> None:
    text = "\n".join(json.dumps(line, ensure_ascii=ascii_only) for line in lines)
    data = text.encode("utf-8", errors="surrogatepass")
    _check(_write(folder, "jsonl", data), "jsonl")
    if cut:  # the same file cut short, as by a crash of whatever wrote it
        _check(_write(folder, "jsonl", data[:-cut]), "jsonl")


@SETTINGS
@given(
    header=st.lists(st.one_of(st.sampled_from(FIELD_NAMES), markup_text), min_size=1, max_size=6),
    rows=st.lists(st.lists(words, max_size=8), max_size=6),
    delimiter=st.sampled_from([",", ";", "\t", "|"]),
    encoding=encodings,
)
def test_random_csv(
    folder: Path, header: list[str], rows: list[list[str]], delimiter: str, encoding: str
) -> None:
    out = io.StringIO()
    writer = csv.writer(out, delimiter=delimiter)
    for row in [header, *rows]:
        writer.writerow([cell.replace("\x00", "") for cell in row])
    data = _encode(out.getvalue(), encoding)
    for fmt in ("csv", "mediacloud"):
        _check(_write(folder, fmt, data), fmt)


@SETTINGS
@given(
    title=words,
    paragraphs=st.lists(words, max_size=5),
    date=st.one_of(words, st.sampled_from(["2026-02-31", "0000-00-00", "Mon, 99 Foo 2026"])),
    escape=st.booleans(),
)
def test_random_html_pages_and_feeds(
    folder: Path, title: str, paragraphs: list[str], date: str, escape: bool
) -> None:
    def put(text: str) -> str:
        return text.replace("&", "&amp;").replace("<", "&lt;") if escape else text

    body = "".join(f"<p>{put(p)}</p>" for p in paragraphs)
    page = (
        f'<html lang="{put(date[:5])}"><head><title>{put(title)}</title>'
        f'<meta property="article:published_time" content="{put(date)}"></head>'
        f"<body><article><h1>{put(title)}</h1>{body}</article></body></html>"
    )
    _check(_write(folder, "html", page.encode("utf-8", errors="surrogatepass")), "html")
    feed = (
        f'<?xml version="1.0" encoding="utf-8"?><rss version="2.0"><channel>'
        f"<title>{put(title)}</title><item><title>{put(title)}</title>"
        f"<link>https://example.org/{put(date)}</link><pubDate>{put(date)}</pubDate>"
        f"<description>{put(body)}</description></item></channel></rss>"
    )
    _check(_write(folder, "feed", feed.encode("utf-8", errors="surrogatepass")), "feed")


@SETTINGS
@given(rows=st.lists(st.lists(words, min_size=len(GKG_COLUMNS), max_size=len(GKG_COLUMNS)),
                     min_size=1, max_size=4),
       date=st.one_of(st.just("20260301120000"), words))  # fmt: skip
def test_random_gdelt_rows(folder: Path, rows: list[list[str]], date: str) -> None:
    lines = []
    for row in rows:
        cells = [cell.replace("\t", " ").replace("\n", " ").replace("\r", " ") for cell in row]
        cells[1] = date.replace("\t", " ").replace("\n", " ")
        cells[2] = "1"
        lines.append("\t".join(cells))
    data = "\n".join(lines).encode("utf-8", errors="surrogatepass")
    _check(_write(folder, "gdelt", data), "gdelt")
