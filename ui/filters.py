"""The sidebar filters: the same widgets on every page, mirrored in the URL.

The widgets live in the entry point, so their values survive page switches. Their state
is seeded once per session from the URL (a shared link reproduces the view), or from a
drill-down's pending filters; after they render, the URL is rewritten from the resulting
`Filters`, so it always describes what is shown.
"""

from __future__ import annotations

import os
from zoneinfo import available_timezones

import streamlit as st

from analytics.coverage import facet_options
from analytics.filters import (
    FACETS,
    GRANULARITIES,
    MEASURES,
    PERIODS,
    Filters,
    period_bounds,
    today_in,
)
from analytics.health import corpus_status
from ui import drill, show
from ui.data import query

DEFAULT_TIMEZONE_ENV = "MONITOR_TIMEZONE"
_KEY = {
    "period": "f_period",
    "range": "f_range",
    "granularity": "f_granularity",
    "timezone": "f_timezone",
    "text": "f_text",
    "measure": "f_measure",
    "share": "f_share",
    "all_countries": "f_all_countries",
    **{facet: f"f_{facet}" for facet in FACETS},
}
_URL_KEYS = (
    *("period", "from", "to", "by", "tz", "q", "count", "mode"),
    *(facet.url_key for facet in FACETS.values()),
)


def _default_timezone() -> str:
    zone = os.environ.get(DEFAULT_TIMEZONE_ENV, "UTC")
    return zone if zone in available_timezones() else "UTC"


def _url_params() -> dict[str, list[str]]:
    return {key: st.query_params.get_all(key) for key in st.query_params}


def _seed(filters: Filters) -> None:
    """Put a Filters value into the widgets' state (before they render)."""
    state = st.session_state
    state[_KEY["period"]] = filters.period
    state[_KEY["range"]] = (filters.start, filters.end) if filters.start else ()
    state[_KEY["granularity"]] = filters.granularity
    state[_KEY["timezone"]] = filters.timezone
    state[_KEY["text"]] = filters.text
    state[_KEY["measure"]] = filters.measure
    state[_KEY["share"]] = filters.mode == "share"
    state[_KEY["all_countries"]] = filters.all_countries
    for facet in FACETS:
        state[_KEY[facet]] = list(getattr(filters, facet))


def _from_state() -> Filters:
    """The Filters the widgets hold now."""
    state = st.session_state
    timezone = state[_KEY["timezone"]]
    period = state[_KEY["period"]]
    chosen = tuple(state.get(_KEY["range"]) or ())
    values = {
        "granularity": state[_KEY["granularity"]],
        "timezone": timezone,
        "text": state[_KEY["text"]],
        "measure": state[_KEY["measure"]],
        "mode": "share" if state[_KEY["share"]] else "count",
        "all_countries": bool(state.get(_KEY["all_countries"])),
        **{facet: tuple(state[_KEY[facet]]) for facet in FACETS},
    }
    if period == "custom":
        start = chosen[0] if chosen else None
        end = chosen[1] if len(chosen) > 1 else start
        return Filters(period="custom" if start else "all", start=start, end=end, **values)
    return Filters.for_period(period, today_in(timezone), **values)


def _write_url(filters: Filters) -> None:
    wanted = filters.to_query_params()
    for key in _URL_KEYS:
        if key not in wanted and key in st.query_params:
            del st.query_params[key]
    for key, value in wanted.items():
        values = value if isinstance(value, list) else [value]
        if st.query_params.get_all(key) != values:
            st.query_params[key] = value


def _on_period_change() -> None:
    """Starting a custom range from the period shown until now, not from nothing."""
    state = st.session_state
    if state[_KEY["period"]] == "custom" and not state.get(_KEY["range"]):
        start, end = period_bounds("30d", today_in(state[_KEY["timezone"]]))
        state[_KEY["range"]] = (start, end)


def _facet_widget(facet: str, filters: Filters) -> None:
    options = query(facet_options, filters, facet)
    labels = {
        value: f"{label} ({count})"
        for value, label, count in zip(
            options["value"], options["label"], options["count"], strict=True
        )
    }
    st.multiselect(
        FACETS[facet].label,
        options=list(labels),
        format_func=lambda value: labels.get(value, value),
        key=_KEY[facet],
        placeholder="All",
    )


def sidebar_filters() -> Filters:
    """Render the filters in the sidebar and return the selection they make."""
    pending = st.session_state.pop(drill.PENDING_KEY, None)
    if pending is not None:
        _seed(pending)
    elif _KEY["period"] not in st.session_state:
        today = today_in(_default_timezone())
        seeded = Filters.from_query_params(_url_params(), today)
        if "tz" not in st.query_params:
            seeded = seeded.replace(timezone=_default_timezone())
        _seed(seeded)
    current = _from_state()
    with st.sidebar:
        st.header("Filters")
        st.selectbox(
            "Period",
            list(PERIODS),
            format_func=PERIODS.get,
            key=_KEY["period"],
            on_change=_on_period_change,
        )
        if st.session_state[_KEY["period"]] == "custom":
            st.date_input("From – to", key=_KEY["range"], format="YYYY-MM-DD")
        elif current.start:
            st.caption(f"{current.start} – {current.end}")
        st.radio(
            "Time step",
            list(GRANULARITIES),
            format_func=GRANULARITIES.get,
            key=_KEY["granularity"],
            horizontal=True,
        )
        st.text_input(
            "Search text",
            key=_KEY["text"],
            placeholder='words, "a phrase", OR, NOT',
            help="Every word must occur in the title or text, in any form (санкции finds "
            'санкцията). "A phrase" in order; a OR b; NOT word; prefix*; title:word; '
            "source:name; lang:bg.",
        )
        problem = Filters(text=st.session_state[_KEY["text"]]).text_problem()
        if problem:
            show.plain_caption(
                f"Not understood as a search ({problem}): matching the words as typed."
            )
        for facet in FACETS:
            _facet_widget(facet, current)
            if facet == "countries" and len(st.session_state[_KEY["countries"]]) > 1:
                st.toggle(
                    "Articles naming all of them",
                    key=_KEY["all_countries"],
                    help="Off: articles naming any of the chosen countries.",
                )
        st.radio(
            "Count",
            list(MEASURES),
            format_func=MEASURES.get,
            key=_KEY["measure"],
            horizontal=True,
            help="A story is counted once however many outlets ran it (copies are grouped); "
            "placements count every article.",
        )
        st.toggle(
            "Share of coverage",
            key=_KEY["share"],
            help="Show the selection as a share of all coverage in the same period, sources "
            "and languages (the denominator is shown in hover text and downloads).",
        )
        with st.expander("Settings"):
            st.selectbox(
                "Desk time zone",
                sorted(available_timezones()),
                key=_KEY["timezone"],
                help="Days and weeks are cut at midnight in this time zone.",
            )
        _corpus_note()
    filters = _from_state()
    st.session_state["filters"] = filters
    _write_url(filters)
    return filters


def _corpus_note() -> None:
    status = query(corpus_status)
    if status["is_demo"]:
        kind = "demo corpus" if status["only_demo"] else "data including the demo corpus"
        st.info(f"🧪 Showing {kind}: synthetic articles for trying the dashboard.")
    st.caption(f"{status['articles']:,} articles in the database.")


def current_filters() -> Filters:
    return st.session_state["filters"]
