"""The countries an article is about, with mention counts and the words that named them.

The gazetteer for a language is built once per process from data: the CLDR country names
babel ships for that language, plus `etl/reference/countries.yaml` (short forms, demonyms,
adjectives, capitals; phrases that are not countries, such as clubs named after a capital;
names that are ordinary words). The matcher (`phrases.py`) finds them by lemma, longest phrase
first, whole words only.
"""

from __future__ import annotations

import re
from collections import Counter, defaultdict
from functools import cache

import pycountry
from babel import Locale, UnknownLocaleError

from etl.enrich.phrases import PhraseIndex, words
from etl.record import Article
from etl.reference import load_yaml

FALLBACK_LANGUAGE = "en"
_PARENTHESES = re.compile(r"\s*\(([^)]*)\)")


@cache
def country_codes() -> frozenset[str]:
    """ISO 3166-1 alpha-2 codes, plus XK (Kosovo), which CLDR and news use."""
    return frozenset(c.alpha_2 for c in pycountry.countries) | {"XK"}


def _name_variants(name: str) -> list[str]:
    """`Мианмар (Бирма)` -> [`Мианмар`, `Бирма`]: CLDR puts alternative names in brackets."""
    variants = [_PARENTHESES.sub("", name).strip()]
    variants += [inner.strip() for inner in _PARENTHESES.findall(name)]
    return [v for v in variants if v]


def _cldr_names(language: str) -> dict[str, str]:
    """Unambiguous CLDR country name -> code for a language (`Конго` names two: dropped).

    A country's own name wins over a bracketed variant of another's: Belarusian `Кітай` is
    China, though Hong Kong is `Ганконг, САР (Кітай)`."""
    locales = load_yaml("countries.yaml").get("cldr_locales", {}).get(language, [language])
    codes_by_name: dict[str, set[str]] = defaultdict(set)
    codes_by_variant: dict[str, set[str]] = defaultdict(set)
    for locale_name in locales:
        try:
            territories = Locale.parse(locale_name).territories
        except (UnknownLocaleError, ValueError):
            continue
        for code, name in territories.items():
            if code in country_codes():
                main, *variants = _name_variants(name)
                codes_by_name[main].add(code)
                for variant in variants:
                    codes_by_variant[variant].add(code)
    names = {name: codes for name, codes in codes_by_variant.items() if name not in codes_by_name}
    names.update(codes_by_name)
    return {name: codes.pop() for name, codes in names.items() if len(codes) == 1}


@cache
def gazetteer(language: str | None) -> PhraseIndex:
    """Every country phrase of a language, mapped to its code (None: not a country)."""
    language = language or FALLBACK_LANGUAGE
    data = load_yaml("countries.yaml")
    cldr = _cldr_names(language)
    if not cldr and language != FALLBACK_LANGUAGE:
        return gazetteer(FALLBACK_LANGUAGE)
    index = PhraseIndex(language)
    for section in ("not_countries", "clubs"):
        for phrase in data.get(section, {}).get(language, ()):
            index.add(phrase, None)
    for code, by_language in data["aliases"].items():
        if code not in country_codes():
            raise ValueError(f"countries.yaml: {code!r} is not an ISO 3166-1 alpha-2 code")
        for phrase in by_language.get(language, ()):
            index.add(phrase, code)
    ignored = {name.casefold() for name in data.get("ignore", {}).get(language, ())}
    for name, code in cldr.items():
        if name.casefold() not in ignored:
            index.add(name, code)
    return index


def find_countries(text: str, language: str | None) -> tuple[Counter, dict[str, list[str]]]:
    """Mentions per country code and the words (as written) that named each."""
    mentions: Counter = Counter()
    terms: dict[str, list[str]] = defaultdict(list)
    for match in gazetteer(language).find(words(text, language)):
        code = match.entry.value
        if code is None:
            continue
        mentions[code] += 1
        surface = match.surface(text)
        if surface not in terms[code]:
            terms[code].append(surface)
    return mentions, dict(terms)


def tag_countries(article: Article) -> None:
    """Countries from title and body; an article without text keeps the countries it came with."""
    if not article.text_enriched:
        return
    mentions, terms = find_countries(f"{article.title}\n{article.body}", article.language)
    article.countries = dict(mentions.most_common())
    article.country_terms = terms
