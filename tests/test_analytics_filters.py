"""The Filters value on its own: SQL with bound values only, the URL round trip, periods,
time zones, descriptions and file names."""

from __future__ import annotations

from datetime import date, datetime

import pytest

from analytics.database import Materialized
from analytics.filters import Filters, period_bounds, text_terms

MONDAY = date(2026, 3, 30)


def test_no_filters_select_everything() -> None:
    clause = Filters().where()
    assert (clause.sql, clause.params) == ("TRUE", {})


@pytest.mark.parametrize(
    ("period", "start", "end"),
    [
        ("7d", date(2026, 3, 24), MONDAY),
        ("30d", date(2026, 3, 1), MONDAY),
        ("90d", date(2025, 12, 31), MONDAY),
        ("year", date(2026, 1, 1), MONDAY),
        ("all", None, None),
    ],
)
def test_preset_periods_end_today(period: str, start: date | None, end: date | None) -> None:
    assert period_bounds(period, MONDAY) == (start, end)
    filters = Filters.for_period(period, MONDAY)
    assert (filters.start, filters.end) == (start, end)


def test_day_bounds_follow_the_desk_time_zone_across_daylight_saving() -> None:
    # Sofia is UTC+2 until 01:00 UTC on 2026-03-29, UTC+3 after it.
    filters = Filters(
        period="custom", start=date(2026, 3, 29), end=date(2026, 3, 29), timezone="Europe/Sofia"
    )
    assert filters.utc_bounds() == (datetime(2026, 3, 28, 22, 0), datetime(2026, 3, 29, 21, 0))
    clause = filters.where(prefix="p")
    assert clause.params == {
        "p_start": datetime(2026, 3, 28, 22, 0),
        "p_until": datetime(2026, 3, 29, 21, 0),
    }
    assert "a.published_at >= $p_start AND a.published_at < $p_until" in clause.sql


def test_user_values_reach_sql_only_as_parameters() -> None:
    hostile = "x'); DROP TABLE articles; --"
    filters = Filters(
        topics=(hostile,), sources=(hostile,), languages=("bg",), text=f'"{hostile}" budget'
    )
    clause = filters.where()
    assert "DROP" not in clause.sql and "x')" not in clause.sql
    assert clause.params["f_sources"] == [hostile]
    # The topic and the search's words are values of the statements that store the matching
    # articles (see analytics.database.Materialized); the clause reads them by a hashed name.
    selection = clause.params["f_selection"]
    assert selection.table in clause.sql and selection.table == clause.table
    assert "DROP" not in selection.select and "x')" not in selection.select
    assert selection.params["topics"] == [hostile]
    (search,) = [value for value in selection.params.values() if isinstance(value, Materialized)]
    assert search.table in selection.select
    assert "DROP" not in search.select and "x')" not in search.select
    assert "budget" in search.params.values()
    assert "drop" in search.params.values()


def test_a_query_that_is_not_a_valid_search_matches_its_words_as_typed() -> None:
    filters = Filters(text='"unclosed Budget')
    assert "quote" in filters.text_problem()
    words = filters.where().params["f_selection"].params
    assert words == {"c_text0": "unclosed", "c_text1": "budget"}
    assert Filters(text="budget OR tax").text_problem() is None


def test_facet_values_are_deduplicated_and_sorted() -> None:
    filters = Filters(countries=["UA", "BG", "UA", " "], sources="dnevnik.bg")
    assert filters.countries == ("BG", "UA")
    assert filters.sources == ("dnevnik.bg",)


def test_text_terms_are_words_and_quoted_phrases() -> None:
    assert text_terms('Бюджет "Народно Събрание"  tax ""') == ["бюджет", "народно събрание", "tax"]


def test_every_field_survives_the_url_round_trip() -> None:
    filters = Filters(
        period="custom",
        start=date(2026, 3, 2),
        end=date(2026, 3, 29),
        granularity="day",
        timezone="Europe/Sofia",
        topics=("04000000", "11000000"),
        countries=("BG", "UA"),
        source_countries=("BG",),
        sources=("dnevnik.bg",),
        agencies=("БТА",),
        languages=("bg", "en"),
        text='бюджет "Народно събрание"',
        measure="placements",
        mode="share",
        all_countries=True,
    )
    params = filters.to_query_params()
    assert params["topic"] == ["04000000", "11000000"]
    assert params["countries"] == "all"
    assert Filters.from_query_params(params, MONDAY) == filters


def test_defaults_leave_the_url_empty_and_come_back_from_it() -> None:
    assert Filters().to_query_params() == {}
    assert Filters.from_query_params({}, MONDAY) == Filters()


def test_a_preset_period_stays_a_preset_in_the_url() -> None:
    params = Filters.for_period("7d", MONDAY).to_query_params()
    assert params == {"period": "7d"}
    assert Filters.from_query_params(params, date(2026, 4, 10)).start == date(2026, 4, 4)


def test_nonsense_in_the_url_falls_back_to_defaults() -> None:
    params = {
        "period": "fortnight",
        "by": "year",
        "tz": "Mars/Olympus",
        "count": "words",
        "mode": "pie",
        "from": "yesterday",
    }
    assert Filters.from_query_params(params, MONDAY) == Filters()


def test_a_reversed_custom_range_in_the_url_is_put_in_order() -> None:
    params = {"period": "custom", "from": "2026-03-29", "to": "2026-03-23"}
    filters = Filters.from_query_params(params, MONDAY)
    assert (filters.start, filters.end) == (date(2026, 3, 23), date(2026, 3, 29))


@pytest.mark.parametrize(
    "values",
    [
        {"granularity": "year"},
        {"measure": "words"},
        {"timezone": "Nowhere/Town"},
        {"period": "custom", "start": date(2026, 3, 2), "end": date(2026, 3, 1)},
    ],
)
def test_invalid_values_are_refused(values: dict) -> None:
    with pytest.raises(ValueError):
        Filters(**values)


def test_previous_period_has_the_same_length_just_before() -> None:
    week = Filters(period="custom", start=date(2026, 3, 23), end=date(2026, 3, 29))
    previous = week.previous_period()
    assert (previous.start, previous.end) == (date(2026, 3, 16), date(2026, 3, 22))
    assert Filters().previous_period() is None


def test_scope_keeps_period_sources_and_languages_but_not_content() -> None:
    filters = Filters(
        period="custom",
        start=MONDAY,
        end=MONDAY,
        topics=("11000000",),
        countries=("UA",),
        sources=("bbc.co.uk",),
        languages=("en",),
        agencies=("Reuters",),
        text="talks",
    )
    assert filters.scope() == Filters(
        period="custom",
        start=MONDAY,
        end=MONDAY,
        sources=("bbc.co.uk",),
        languages=("en",),
        agencies=("Reuters",),
    )


def test_description_and_file_name_name_the_selection() -> None:
    filters = Filters(
        period="custom",
        start=date(2026, 3, 23),
        end=date(2026, 3, 29),
        topics=("11000000",),
        countries=("BG", "UA"),
        text="a/b: <c>",
    )
    names = {"11000000": "politics"}
    described = filters.describe(lambda facet, value: names.get(value, value))
    assert described == (
        "2026-03-23 – 2026-03-29; topics: politics; countries mentioned: BG, UA; "
        "text: “a/b: <c>”; counting stories"
    )
    assert filters.file_stem("articles") == (
        "articles_2026-03-23_2026-03-29_topic-11000000_country-BG-UA_q-a-b-c"
    )
