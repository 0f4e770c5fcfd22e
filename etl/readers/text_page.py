"""Plain-text scraped pages: date line, title, body; page furniture and teasers dropped.

The layout rules are general (a date line near the top, a title printed once or twice, an
optional photo caption, body paragraphs, then furniture and teasers); the words that mark
furniture in each language live in `reference/page_furniture.yaml`.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import datetime
from functools import cache
from pathlib import Path

from etl.dates import check_plausible, find_date
from etl.readers.files import read_text
from etl.record import Article, IngestError
from etl.reference import load_yaml
from etl.urls import normalize_url, url_domain

HEAD_BLOCKS = 8  # the date line and title are looked for among the first blocks
MAX_DATE_LINE_CHARS = 100
MAX_CAPTION_WORDS = 8
_SENTENCE_END = re.compile(r"[.!?…:;\"“”»')\]]$")
_URL_LINE = re.compile(r"^https?://\S+$")
_WORD = re.compile(r"[^\W\d_]+")


@dataclass(frozen=True)
class Block:
    line: int
    text: str


@cache
def _furniture() -> tuple[re.Pattern, re.Pattern, frozenset[str]]:
    config = load_yaml("page_furniture.yaml")

    def whole_line(groups: dict) -> re.Pattern:
        alternatives = [pattern for patterns in groups.values() for pattern in patterns]
        return re.compile(r"^\s*(?:" + "|".join(alternatives) + r")\s*$", re.IGNORECASE)

    labels = frozenset(label.casefold() for label in config["date_labels"])
    return whole_line(config["end"]), whole_line(config["skip"]), labels


def _fold(text: str) -> str:
    return " ".join(_WORD.findall(text.casefold()))


def _words(text: str) -> int:
    return len(text.split())


def _date_of_line(text: str) -> tuple[datetime | None, str | None] | None:
    """The date on a line that holds little else than a date, or None for other lines."""
    if len(text) > MAX_DATE_LINE_CHARS:
        return None
    moment, match = find_date(text)
    if match is None:
        return None
    rest = text[: match.start()] + " " + text[match.end() :]
    _, _, labels = _furniture()
    leftover = [word for word in _WORD.findall(rest.casefold()) if word not in labels]
    if len(leftover) > 4:
        return None
    return check_plausible(moment)


def _find_date_line(blocks: list[Block]) -> int | None:
    for index, block in enumerate(blocks):
        if _date_of_line(block.text) is not None:
            return index
    return None


def parse_page(text: str, origin: str, source: str | None = None) -> Article | None:
    """The article in a scraped page's text, or None when there is no article text in it."""
    end_marker, skip_marker, _ = _furniture()
    blocks = [
        Block(number, line.strip())
        for number, line in enumerate(text.splitlines(), start=1)
        if line.strip() and not skip_marker.match(line)
    ]
    url = next((b.text for b in blocks[:HEAD_BLOCKS] if _URL_LINE.match(b.text)), None)
    blocks = [b for b in blocks if b.text != url]

    published, date_problem = None, None
    date_index = _find_date_line(blocks[:HEAD_BLOCKS])
    if date_index is not None:
        published, date_problem = _date_of_line(blocks.pop(date_index).text)

    position = 0
    while position < len(blocks) and (
        end_marker.match(blocks[position].text) or _words(blocks[position].text) <= 2
    ):
        position += 1
    if position >= len(blocks):
        return None
    title = blocks[position].text
    position += 1
    if position < len(blocks) and _fold(blocks[position].text) == _fold(title):
        position += 1
    if position < len(blocks) - 1 and _is_caption(blocks[position].text):
        position += 1

    body: list[str] = []
    for index in range(position, len(blocks)):
        paragraph = blocks[index].text
        if end_marker.match(paragraph):
            if body:
                break
            continue
        next_paragraph = blocks[index + 1].text if index + 1 < len(blocks) else None
        if body and next_paragraph is not None and _fold(next_paragraph) == _fold(paragraph):
            break  # a teaser: related-article titles are printed twice, like the page's own
        body.append(paragraph)

    if date_index is None and body:
        published, date_problem = _date_in_tail(body)
    return Article(
        origin=origin,
        title=title,
        body="\n\n".join(body),
        url=url,
        source=source or url_domain(normalize_url(url) if url else None),
        published_at=published,
        date_problem=date_problem,
    )


def _is_caption(text: str) -> bool:
    """A photo caption: a few words with no sentence ending, right under the title."""
    return _words(text) <= MAX_CAPTION_WORDS and not _SENTENCE_END.search(text)


def _date_in_tail(body: list[str]) -> tuple[datetime | None, str | None]:
    """Some sites print the date under the text; take it when the last paragraph is a date
    line, and remove that line from the body."""
    found = _date_of_line(body[-1])
    if found is None:
        return None, None
    body.pop()
    return found


def read(path: Path, source: str | None = None) -> Iterator[Article | IngestError]:
    origin = str(path)
    decoded, problems = read_text(path)
    yield from problems
    if decoded is None:
        return
    article = parse_page(decoded.text, origin, source)
    if article is None or not article.body:
        yield IngestError(origin, "", "no article text found: the page holds only furniture")
        return
    yield article
