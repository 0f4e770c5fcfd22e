"""News agencies credited in an article: the one that filed it and the ones it cites.

An agency named in a dateline at the start of the body (`WASHINGTON (Reuters) -`,
`МОСКВА, 5 марта. /ТАСС/.`) or in a sign-off at its end (`... каза още Столтенберг. /БГНЕС`,
`(БТА)`, `– AP`) filed the story; every other agency named in the title or body is cited
("цитиран от Укринформ"). Agency names and aliases live in `etl/reference/agencies.yaml`.
"""

from __future__ import annotations

from functools import cache

from etl.enrich.phrases import Match, PhraseIndex, words
from etl.record import Article
from etl.reference import load_yaml

DATELINE_WORDS = 12  # a dateline credit sits among the first words of the body
SIGNOFF_WORDS = 3  # a sign-off credit sits among the last words of the body
_OPENING_MARKS = "/([–—-:"  # what stands before a credit: /БГНЕС, (Reuters), – AP, Source: dpa
_CLOSING_MARKS = "/)]"  # what closes a dateline credit: (Reuters), /ТАСС/
_SENTENCE_END = '.!?"»“”\n'  # not the apostrophe: "riporta l'ANSA" is an attribution


@cache
def agency_index(language: str | None) -> PhraseIndex:
    index = PhraseIndex(language)
    for agency in load_yaml("agencies.yaml")["agencies"]:
        for alias in [agency["name"], *agency.get("aliases", ())]:
            index.add(alias, agency["name"])
    return index


def _before(text: str, position: int) -> str:
    """The last non-space character before a position ('\n' at a line start)."""
    stripped = text[:position].rstrip(" \t")
    return stripped[-1:] or "\n"


def _after(text: str, position: int) -> str:
    return text[position:].lstrip(" \t")[:1]


def _is_credit(match: Match, text: str, body_first: int, word_count: int) -> bool:
    before, after = _before(text, match.start), _after(text, match.stop)
    in_dateline = body_first <= match.first < body_first + DATELINE_WORDS
    if in_dateline and (before in "/([" or after in _CLOSING_MARKS):
        return True
    in_signoff = match.first >= body_first and match.end > word_count - SIGNOFF_WORDS
    return in_signoff and (before in _OPENING_MARKS or before in _SENTENCE_END)


def find_agencies(title: str, body: str, language: str | None) -> tuple[str | None, list[str]]:
    """The filing agency (or None) and the cited agencies, in order of first mention."""
    text = f"{title}\n{body}"
    text_words = words(text, language)
    body_first = next((i for i, w in enumerate(text_words) if w.start > len(title)), 0)
    filing: str | None = None
    named: list[str] = []
    for match in agency_index(language).find(text_words):
        name = match.entry.value
        if filing is None and _is_credit(match, text, body_first, len(text_words)):
            filing = name
        elif name not in named:
            named.append(name)
    return filing, [name for name in named if name != filing]


def tag_agencies(article: Article) -> None:
    if not article.text_enriched:
        return
    filing, cited = find_agencies(article.title, article.body, article.language)
    article.agency = article.agency or filing
    article.cited_agencies = cited
