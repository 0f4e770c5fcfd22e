"""Saved HTML article pages: main text and metadata with trafilatura, the date with htmldate.

trafilatura separates the article from navigation, comments, cookie notices and teaser
blocks; this module only decodes the bytes (the page's declared charset first), reads the
language the page declares, and maps the result onto an Article.
"""

from __future__ import annotations

import codecs
import re
from collections.abc import Iterator
from pathlib import Path

import trafilatura
from lxml.html import HtmlElement

from etl.dates import parse_date_value
from etl.readers.files import read_text
from etl.record import Article, IngestError
from etl.textio import Decoded, decode
from etl.urls import url_domain

_DECLARED_CHARSET = re.compile(
    rb"""<(?:meta|\?xml)[^>]{0,200}?(?:charset|encoding)\s*=\s*["']?([\w.:-]+)""", re.I
)
_DATE_OPTIONS = {
    "original_date": True,  # the publication date, not the last update
    "extensive_search": True,
    "outputformat": "%Y-%m-%dT%H:%M:%S%z",  # keep the time and zone when the page gives them
}
MIN_SENTENCE_WORDS = 8  # a page whose every line is shorter holds only menus and link lists
_LANGUAGE_XPATHS = (
    "/html/@lang",
    "/html/@xml:lang",
    "//meta[translate(@http-equiv, 'CONTENT-LANGUAGE', 'content-language')"
    "='content-language']/@content",
    "//meta[@property='og:locale']/@content",
)


def _is_utf8(data: bytes) -> bool:
    try:
        data.decode("utf-8")
    except UnicodeDecodeError:
        return False
    return True


def decode_page(data: bytes) -> Decoded:
    """The page's text: decoded with the legacy charset it declares (unless the bytes are
    valid UTF-8, as when a browser re-saved the page), else by detection."""
    declared = _DECLARED_CHARSET.search(data[:4096])
    if declared and not _is_utf8(data):
        try:
            encoding = codecs.lookup(declared.group(1).decode("ascii")).name
        except LookupError:
            encoding = None
        if encoding and not encoding.startswith("utf"):
            return Decoded(data.decode(encoding, errors="replace"), encoding)
    return decode(data)


def language_hint(tree: HtmlElement) -> str | None:
    """The primary language subtag the page declares (`bg` for `bg-BG`), if any."""
    for xpath in _LANGUAGE_XPATHS:
        for value in tree.xpath(xpath, namespaces={"xml": "http://www.w3.org/XML/1998/namespace"}):
            code = re.split(r"[-_]", str(value).strip(), maxsplit=1)[0].lower()
            if code.isalpha() and 2 <= len(code) <= 3:
                return code
    return None


def _paragraphs(text: str, title: str) -> str:
    """The text's paragraphs, blank-line separated, without the page's headline, which
    trafilatura keeps as the first line."""
    lines = [line.strip() for line in text.split("\n") if line.strip()]
    if lines and title and lines[0] == title.strip():
        lines = lines[1:]
    return "\n\n".join(lines)


def _has_prose(body: str) -> bool:
    return any(len(line.split()) >= MIN_SENTENCE_WORDS for line in body.split("\n"))


def parse_page(html: str, origin: str, source: str | None = None) -> Article | None:
    """The article on an HTML page, or None when the page holds no article text."""
    tree = trafilatura.load_html(html)
    if tree is None:
        return None
    hint = language_hint(tree)
    document = trafilatura.bare_extraction(
        tree,
        with_metadata=True,
        include_comments=False,
        include_images=False,
        date_extraction_params=_DATE_OPTIONS,
    )
    if document is None or not document.text:
        return None
    title = document.title or ""
    published, date_problem = parse_date_value(document.date)
    article = Article(
        origin=origin,
        title=title,
        body=_paragraphs(document.text, title),
        url=document.url,
        source=document.sitename or source,
        published_at=published,
        date_problem=date_problem,
        language_hint=hint,
    )
    if not article.source:
        article.source = url_domain(article.url)
    return article if _has_prose(article.body) else None


def read(path: Path, source: str | None = None) -> Iterator[Article | IngestError]:
    origin = str(path)
    decoded, problems = read_text(path, decode_page)
    yield from problems
    if decoded is None:
        return
    article = parse_page(decoded.text, origin, source)
    if article is None:
        yield IngestError(origin, "", "no article text found in the HTML page")
        return
    yield article
