"""Names for codes: countries (ISO 3166-1 alpha-2) and languages (ISO 639-1), in English."""

from __future__ import annotations

from functools import cache

import pycountry
from babel import Locale

_ENGLISH = Locale("en")
# Codes in use that ISO 3166-1 lacks: Kosovo's user-assigned code and its map code.
_EXTRA_ALPHA3 = {"XK": "XKX"}


@cache
def country_name(code: str | None) -> str:
    if not isinstance(code, str) or not code:
        return "(unknown)"
    return _ENGLISH.territories.get(code.upper(), code)


@cache
def language_name(code: str | None) -> str:
    if not isinstance(code, str) or not code:
        return "(unknown)"
    return _ENGLISH.languages.get(code.lower(), code)


@cache
def alpha3(code: str) -> str | None:
    """The ISO alpha-3 code the world map uses; None for codes it does not know."""
    if code.upper() in _EXTRA_ALPHA3:
        return _EXTRA_ALPHA3[code.upper()]
    country = pycountry.countries.get(alpha_2=code.upper())
    return country.alpha_3 if country else None
