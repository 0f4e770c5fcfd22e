"""RSS 2.0, RSS 1.0 (RDF) and Atom feeds, one article per item, with feedparser.

feedparser reads the bytes, so the encoding declared in the XML prolog is honoured, and it
turns item dates into UTC. A feed that is not well-formed is read leniently: the items it
could recover load, and the file gets an error saying where the XML breaks.
"""

from __future__ import annotations

import calendar
import html
import re
from collections.abc import Iterator
from datetime import UTC, datetime
from pathlib import Path

import feedparser
import trafilatura

from etl.dates import check_plausible, parse_date_value
from etl.readers.files import read_bytes
from etl.record import Article, IngestError
from etl.textio import InputError
from etl.urls import url_domain

_HARMLESS_PROBLEMS = (feedparser.CharacterEncodingOverride, feedparser.NonXMLContentType)
_HTML_TYPES = ("text/html", "application/xhtml+xml")
_CHAR_REFERENCE = re.compile(rb"&#(?:[xX]([0-9a-fA-F]{1,12})|([0-9]{1,16}));")
_REPLACEMENT_REFERENCE = b"&#xFFFD;"


def _without_impossible_references(data: bytes) -> bytes:
    """`&#...;` references to no character (NUL, a UTF-16 surrogate, beyond U+10FFFF) become
    U+FFFD: feedparser's lenient parser raises on them instead of reporting the item."""

    def replace(match: re.Match) -> bytes:
        hexadecimal, decimal = match.groups()
        code = int(hexadecimal, 16) if hexadecimal else int(decimal)
        impossible = code == 0 or 0xD800 <= code <= 0xDFFF or code > 0x10FFFF
        return _REPLACEMENT_REFERENCE if impossible else match.group()

    return _CHAR_REFERENCE.sub(replace, data)


def html_to_text(fragment: str) -> str:
    """Readable text of an HTML fragment from a feed, paragraphs kept where there are some."""
    if "<" not in fragment and "&" not in fragment:
        return fragment
    page = f"<html><body><article>{fragment}</article></body></html>"
    text = trafilatura.extract(page, include_comments=False, favor_recall=True)
    text = text or trafilatura.html2txt(page)
    return "\n\n".join(line.strip() for line in text.split("\n") if line.strip())


def _text_of(detail: dict | None, value: str | None) -> str:
    if not value:
        return ""
    if detail and detail.get("type") in _HTML_TYPES:
        return html_to_text(value)
    return html.unescape(value)


def _body(entry: dict) -> str:
    """The fullest text the item carries: its longest content block, else its summary."""
    contents = [block for block in entry.get("content", []) if block.get("value")]
    if contents:
        longest = max(contents, key=lambda block: len(block["value"]))
        return _text_of(longest, longest["value"])
    return _text_of(entry.get("summary_detail"), entry.get("summary"))


def _published(entry: dict) -> tuple[datetime | None, str | None]:
    # dict.get: feedparser's own get() maps a missing published date to the updated one
    # with a deprecation warning; the order below says the same thing explicitly
    for key in ("published", "updated", "created"):
        parsed = dict.get(entry, f"{key}_parsed")
        if parsed:
            try:
                moment = datetime.fromtimestamp(calendar.timegm(parsed), UTC).replace(tzinfo=None)
            except (ValueError, OverflowError, OSError):  # e.g. year 0
                return None, f"date {str(dict.get(entry, key))[:40]!r} is not a valid date"
            return check_plausible(moment)
    raw = next(
        filter(None, (dict.get(entry, key) for key in ("published", "updated", "created"))), None
    )
    return parse_date_value(raw)  # dates feedparser cannot read, e.g. local month names


def _language(entry: dict, feed_language: str | None) -> str | None:
    for key in ("content", "summary_detail", "title_detail"):
        detail = entry.get(key)
        detail = detail[0] if isinstance(detail, list) and detail else detail
        if isinstance(detail, dict) and detail.get("language"):
            return detail["language"]
    return feed_language


def _primary_subtag(code: str | None) -> str | None:
    """`bg` for `bg-BG`, `bg_bg` or `BG`."""
    if not code:
        return None
    return code.strip().replace("_", "-").split("-")[0].lower() or None


def _extra(entry: dict, feed_title: str) -> dict:
    extra: dict = {"feed": feed_title} if feed_title else {}
    categories = [tag["term"] for tag in entry.get("tags", []) if tag.get("term")]
    if categories:
        extra["categories"] = categories
    if entry.get("author"):
        extra["author"] = entry["author"]
    if entry.get("id"):
        extra["guid"] = entry["id"]
    return extra


def entry_to_article(
    entry: dict, feed: dict, origin: str, number: int, default_source: str | None
) -> Article | IngestError:
    """One feed item as an Article, or the reason it is not one."""
    title = _text_of(entry.get("title_detail"), entry.get("title"))
    body = _body(entry)
    link = entry.get("link")
    if not (title or body or link):
        return IngestError(origin, f"item {number}", "feed item has no title, text or link")
    feed_title = html.unescape(feed.get("title", ""))
    item_source = (entry.get("source") or {}).get("title")  # aggregators name the outlet
    source = item_source or feed_title or default_source or url_domain(link)
    if item_source and title.endswith(f" - {item_source}"):
        title = title.removesuffix(f" - {item_source}")
    published, date_problem = _published(entry)
    article = Article(
        origin=f"{origin}#{number}",
        title=title,
        body=body if body != title else "",
        url=link,
        source=source,
        published_at=published,
        date_problem=date_problem,
        language_hint=_primary_subtag(_language(entry, feed.get("language"))),
        extra=_extra(entry, feed_title),
    )
    if not (article.title or article.body or article.url):
        return IngestError(
            origin, f"item {number}", "feed item has no readable title or text and no web link"
        )
    if not article.source:
        article.source = url_domain(article.url)
    return article


def _parse_problem(parsed, origin: str) -> IngestError | None:
    problem = parsed.get("bozo_exception")
    if not parsed.get("bozo") or isinstance(problem, _HARMLESS_PROBLEMS):
        return None
    line = problem.getLineNumber() if hasattr(problem, "getLineNumber") else None
    reason = problem.getMessage() if hasattr(problem, "getMessage") else str(problem)
    return IngestError(
        origin,
        f"line {line}" if line else "",
        f"malformed feed XML ({reason}); the items that could be recovered were read",
    )


def read(path: Path, source: str | None = None) -> Iterator[Article | IngestError]:
    origin = str(path)
    try:
        data = read_bytes(path)
    except InputError as error:
        yield IngestError(origin, error.location, error.message)
        return
    if not data.strip():
        yield IngestError(origin, "", "empty file (no feed)")
        return
    parsed = feedparser.parse(
        _without_impossible_references(data), sanitize_html=True, resolve_relative_uris=False
    )
    if not parsed.get("version") and not parsed.entries:
        yield IngestError(origin, "", "not an RSS or Atom feed (no channel, feed or item found)")
        return
    problem = _parse_problem(parsed, origin)
    if problem:
        yield problem
    if not parsed.entries:
        yield IngestError(origin, "", "the feed has no items", "warning")
    for number, entry in enumerate(parsed.entries, start=1):
        yield entry_to_article(entry, parsed.feed, origin, number, source)
