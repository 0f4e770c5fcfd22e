"""The one record type inside the ETL: readers yield it, enrichers fill it, the loader writes it."""

from __future__ import annotations

import hashlib
import json
import re
import unicodedata
from dataclasses import dataclass, field
from datetime import datetime
from typing import TYPE_CHECKING

from etl.urls import normalize_url

if TYPE_CHECKING:
    from etl.dedup import Keys
    from etl.search_index import Analysis

_CONTROL = re.compile(
    r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f\u200e\u200f\u202a-\u202e\u2066-\u2069\ufeff\ud800-\udfff]"
)
_SURROGATES = re.compile(r"[\ud800-\udfff]")  # JSON escapes can carry them; UTF-8 cannot
_ODD_SPACE = re.compile(r"[\t\u00a0\u2000-\u200b\u3000]")
_SPACE_RUNS = re.compile(r" {2,}")
_BLANK_LINES = re.compile(r"\n{3,}")

MAX_TITLE_CHARS = 1_000
MAX_BODY_CHARS = 1_000_000


def clean_text(text: str | None) -> str:
    """Normalize Unicode (NFC), drop control and bidi marks, collapse runs of spaces."""
    if not text:
        return ""
    text = unicodedata.normalize("NFC", text).replace("\r\n", "\n").replace("\r", "\n")
    text = _SPACE_RUNS.sub(" ", _ODD_SPACE.sub(" ", _CONTROL.sub("", text)))
    text = "\n".join(line.strip() for line in text.split("\n"))
    return _BLANK_LINES.sub("\n\n", text).strip()


def _encodable(value):
    """The value with lone surrogates removed from every string in it (keys included)."""
    if isinstance(value, str):
        return _SURROGATES.sub("", value)
    if isinstance(value, dict):
        return {_encodable(key): _encodable(item) for key, item in value.items()}
    if isinstance(value, list | tuple):
        return [_encodable(item) for item in value]
    return value


def _fold(text: str) -> str:
    return " ".join(re.findall(r"\w+", text.casefold()))


_NOT_HASHED = frozenset(
    ("origin", "dup_group", "dup_reason", "cut", "dedup_keys", "analysis", "hashed")
)


@dataclass
class Article:
    """One article as it moves through parse → enrich → load.

    `origin` names the input the article came from: the file, plus `:LINE` for a line of a
    record file or `#N` for the N-th item of a feed.
    """

    origin: str
    title: str = ""
    body: str = ""
    url: str | None = None
    source: str | None = None
    published_at: datetime | None = None  # naive, UTC
    date_problem: str | None = None  # why a date in the input was not used
    language_hint: str | None = None  # language the input claimed (record field, HTML lang)
    language: str | None = None
    language_note: str | None = None  # e.g. the hint and the text disagreed
    agency: str | None = None  # the wire agency that filed the story
    cited_agencies: list[str] = field(default_factory=list)  # agencies quoted inside the text
    source_country: str | None = None
    countries: dict[str, int] = field(default_factory=dict)  # ISO alpha-2 -> mentions
    country_terms: dict[str, list[str]] = field(default_factory=dict)  # why each country
    topics: dict[str, float] = field(default_factory=dict)  # topic id -> score
    topic_terms: dict[str, list[str]] = field(default_factory=dict)  # why each topic
    text_enriched: bool = True  # False when the input carried no text to tag
    extra: dict = field(default_factory=dict)  # input fields with no column of their own
    dup_group: str | None = None
    dup_reason: str | None = None  # url | title | text: which layer grouped this copy
    cut: tuple[tuple[str, int], ...] = ()  # (field, limit) of text cut to its length limit
    # Worked out by the worker that enriched the article, so the single loader process does
    # not have to: its duplicate-detection keys, its search-index analysis and its content
    # hash. Not stored as such.
    dedup_keys: Keys | None = field(default=None, repr=False, compare=False)
    analysis: Analysis | None = field(default=None, repr=False, compare=False)
    hashed: str | None = field(default=None, repr=False, compare=False)

    def __post_init__(self) -> None:
        title = clean_text(self.title).replace("\n", " ")
        body = clean_text(self.body)
        limits = (("title", title, MAX_TITLE_CHARS), ("body", body, MAX_BODY_CHARS))
        self.cut = tuple((name, limit) for name, text, limit in limits if len(text) > limit)
        self.title, self.body = title[:MAX_TITLE_CHARS], body[:MAX_BODY_CHARS]
        self.url = normalize_url(_encodable(self.url)) if self.url else None
        self.source = clean_text(self.source) or None
        self.language_hint = _encodable(self.language_hint)
        if self.extra:
            self.extra = _encodable(self.extra)

    @property
    def article_id(self) -> str:
        """Stable id: the normalized URL when known, else normalized title + date + source."""
        if self.url:
            key = "url:" + self.url
        else:
            day = self.published_at.date().isoformat() if self.published_at else ""
            text = self.title or self.body[:500]
            key = "|".join(("text", _fold(text), day, _fold(self.source or "")))
        return hashlib.sha1(key.encode()).hexdigest()[:20]

    def content_hash(self) -> str:
        """Hash of everything stored for the article, to tell an updated record from a rerun."""
        payload = {name: value for name, value in vars(self).items() if name not in _NOT_HASHED}
        return hashlib.sha1(
            json.dumps(payload, sort_keys=True, default=str, ensure_ascii=False).encode()
        ).hexdigest()


@dataclass(frozen=True)
class IngestError:
    """Input that could not be read, with where and why; recorded in `ingest_errors`."""

    origin: str  # the file
    location: str  # line, item or byte offset inside it ("" for the whole file)
    message: str
    severity: str = "error"  # "warning" when the record still loaded (e.g. a rejected date)
