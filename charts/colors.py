"""One colour per topic, country or source, the same on every chart and every page."""

from __future__ import annotations

import hashlib
from collections.abc import Iterable
from functools import cache

import plotly.colors
import pycountry

PALETTE = plotly.colors.qualitative.Dark24
TOTAL_COLOR = "#1f4e79"
SCOPE_COLOR = "#9aa5b1"
RISE_COLOR = "#2e7d32"
FALL_COLOR = "#c62828"
GAP_COLOR = "#d62728"
SEQUENTIAL = "Blues"


@cache
def _country_order() -> dict[str, int]:
    codes = sorted(country.alpha_2 for country in pycountry.countries)
    return {code: index for index, code in enumerate(codes)}


def _hashed(value: str) -> int:
    return int(hashlib.md5(value.encode()).hexdigest(), 16)


def color_of(dimension: str, value: str, topics: Iterable[str] = ()) -> str:
    """The colour of a value: topics by their place in the taxonomy, countries by their
    place in ISO 3166, anything else by a stable hash of its name."""
    if dimension == "topic":
        order = sorted(topics)
        if value in order:
            return PALETTE[order.index(value) % len(PALETTE)]
    if dimension in ("country", "source_country") and value in _country_order():
        return PALETTE[_country_order()[value] % len(PALETTE)]
    return PALETTE[_hashed(f"{dimension}:{value}") % len(PALETTE)]


def color_map(dimension: str, values: Iterable[str], topics: Iterable[str] = ()) -> dict:
    topics = list(topics)
    return {value: color_of(dimension, value, topics) for value in values}
