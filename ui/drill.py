"""Drill-down: a clicked point becomes the filters of the Articles page.

Figures put `[bucket, dimension, value, dimension, value]` first in each point's customdata
(see `charts`): `bucket` is `granularity:YYYY-MM-DD` or "", a dimension is one of the query
layer's dimension names or "".
"""

from __future__ import annotations

import calendar
from datetime import date, timedelta

import streamlit as st

from analytics.filters import Filters

ARTICLES_PAGE = "views/articles.py"
PENDING_KEY = "pending_filters"
FACET_OF_DIMENSION = {
    "topic": "topics",
    "country": "countries",
    "source": "sources",
    "agency": "agencies",
    "language": "languages",
    "source_country": "source_countries",
}


def bucket_days(bucket: str) -> tuple[date, date]:
    """The first and last day of a `granularity:YYYY-MM-DD` bucket."""
    granularity, _, day = bucket.partition(":")
    first = date.fromisoformat(day[:10])
    if granularity == "week":
        return first, first + timedelta(days=6)
    if granularity == "month":
        return first, first.replace(day=calendar.monthrange(first.year, first.month)[1])
    return first, first


def point_filters(filters: Filters, point: dict) -> Filters | None:
    """The filters that select the articles behind one chart point; None if it has none."""
    keys = list(point.get("customdata") or [])[:5]
    if len(keys) < 5:
        return None
    bucket, *pairs = (str(key) for key in keys)
    if not bucket and not any(pairs):
        return None
    narrowed = filters
    if bucket:
        first, last = bucket_days(bucket)
        if filters.start:
            first = max(first, filters.start)
        if filters.end:
            last = min(last, filters.end)
        narrowed = narrowed.with_range(first, last)
    chosen: dict[str, list[str]] = {}
    for dimension, value in zip(pairs[::2], pairs[1::2], strict=True):
        if dimension in FACET_OF_DIMENSION and value:
            chosen.setdefault(FACET_OF_DIMENSION[dimension], []).append(value)
    for facet, values in chosen.items():
        narrowed = narrowed.replace(**{facet: tuple(values)})
    if len(chosen.get("countries", [])) > 1:
        narrowed = narrowed.replace(all_countries=True)
    return narrowed


def open_filters(filters: Filters) -> None:
    """Switch to the Articles page with these filters in the sidebar and the URL."""
    st.session_state[PENDING_KEY] = filters
    st.switch_page(ARTICLES_PAGE, query_params=filters.to_query_params())


def open_articles(filters: Filters, point: dict) -> None:
    """Switch to the Articles page showing the articles behind `point`."""
    narrowed = point_filters(filters, point)
    if narrowed is not None:
        open_filters(narrowed)
