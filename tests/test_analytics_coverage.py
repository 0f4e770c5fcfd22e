"""Coverage queries on the fixture corpus; every expected number is derived by hand from
tests/fixtures/dashboard (see its README: 22 articles, two pairs of copies)."""

from __future__ import annotations

from datetime import date

import pytest

from analytics.coverage import coverage_over_time, facet_options, headline_numbers, top_values
from analytics.database import Database
from analytics.filters import Filters

POLITICS, ECONOMY = "11000000", "04000000"
W13 = Filters(period="custom", start=date(2026, 3, 23), end=date(2026, 3, 29))


def _series(frame, column: str = "count") -> dict:
    return {row.bucket.date().isoformat(): getattr(row, column) for row in frame.itertuples()}


def test_weekly_stories_count_copies_once(dashboard_db: Database) -> None:
    frame = coverage_over_time(dashboard_db, Filters())
    assert _series(frame) == {
        "2026-02-23": 1,
        "2026-03-02": 1,
        "2026-03-09": 2,
        "2026-03-16": 3,
        "2026-03-23": 11,  # 13 articles, two of them copies
        "2026-03-30": 1,
    }


def test_placements_count_every_article(dashboard_db: Database) -> None:
    frame = coverage_over_time(dashboard_db, W13.replace(measure="placements"))
    assert _series(frame) == {"2026-03-23": 13}


def test_share_of_coverage_divides_by_the_same_period_and_scope(dashboard_db: Database) -> None:
    frame = coverage_over_time(dashboard_db, Filters(topics=(POLITICS,)))
    assert _series(frame) == {"2026-03-02": 1, "2026-03-09": 1, "2026-03-16": 2, "2026-03-23": 4}
    assert _series(frame, "total") == {
        "2026-03-02": 1,
        "2026-03-09": 2,
        "2026-03-16": 3,
        "2026-03-23": 11,
    }
    assert _series(frame, "share")["2026-03-23"] == pytest.approx(4 / 11)


def test_the_scope_denominator_keeps_the_source_filter(dashboard_db: Database) -> None:
    frame = coverage_over_time(dashboard_db, W13.replace(sources=("bbc.co.uk",), text="talks"))
    assert (frame["count"].tolist(), frame["total"].tolist()) == ([1], [3])


def test_days_are_cut_in_the_desk_time_zone(dashboard_db: Database) -> None:
    days = Filters(period="custom", start=date(2026, 3, 29), end=date(2026, 3, 30))
    days = days.replace(granularity="day")
    assert _series(coverage_over_time(dashboard_db, days)) == {
        "2026-03-29": 1,
        "2026-03-30": 1,
    }
    sofia = coverage_over_time(dashboard_db, days.replace(timezone="Europe/Sofia"))
    assert _series(sofia) == {"2026-03-29": 0, "2026-03-30": 2}
    assert _series(coverage_over_time(dashboard_db, W13.replace(timezone="Europe/Sofia"))) == {
        "2026-03-23": 10
    }


def test_topics_over_time_show_only_the_chosen_topics(dashboard_db: Database) -> None:
    frame = coverage_over_time(dashboard_db, W13.replace(topics=(POLITICS, ECONOMY)), by="topic")
    assert dict(zip(frame["value"], frame["count"], strict=True)) == {POLITICS: 4, ECONOMY: 4}
    assert set(frame["label"]) == {"politics", "economy, business and finance"}


def test_monthly_buckets(dashboard_db: Database) -> None:
    frame = coverage_over_time(dashboard_db, Filters(granularity="month"))
    assert _series(frame) == {"2026-02-01": 1, "2026-03-01": 18}


def test_an_empty_selection_gives_an_empty_frame(dashboard_db: Database) -> None:
    assert coverage_over_time(dashboard_db, Filters(text="no such words anywhere")).empty


def test_top_countries_by_stories_and_by_placements(dashboard_db: Database) -> None:
    stories = top_values(dashboard_db, Filters(), "country")
    assert list(zip(stories["value"], stories["count"], strict=True)) == [
        ("BG", 8),
        ("DE", 4),
        ("RU", 4),
        ("UA", 4),
        ("GB", 3),
        ("TR", 2),
        ("AT", 1),
        ("US", 1),
    ]
    assert set(stories["total"]) == {20}
    assert stories.set_index("value").loc["BG", "label"] == "Bulgaria"
    placements = top_values(dashboard_db, Filters(measure="placements"), "country", limit=3)
    assert list(zip(placements["value"], placements["count"], strict=True)) == [
        ("BG", 9),
        ("RU", 5),
        ("UA", 5),
    ]


def test_headline_numbers_against_the_previous_week(dashboard_db: Database) -> None:
    frame = headline_numbers(dashboard_db, W13).set_index("metric")
    assert frame["value"].to_dict() == {
        "stories": 11,
        "placements": 13,
        "sources": 6,
        "countries": 8,
    }
    assert frame["previous"].to_dict() == {
        "stories": 3,
        "placements": 3,
        "sources": 3,
        "countries": 3,
    }


def test_headline_share_of_coverage(dashboard_db: Database) -> None:
    frame = headline_numbers(dashboard_db, W13.replace(topics=(POLITICS,))).set_index("metric")
    assert frame.loc["stories", ["value", "total"]].tolist() == [4, 11]
    assert frame.loc["stories", "share"] == pytest.approx(4 / 11)
    assert frame.loc["countries", "value"] == 5


def test_facet_options_count_under_the_other_filters(dashboard_db: Database) -> None:
    english = Filters(languages=("en",), sources=("ria.ru",))
    options = facet_options(dashboard_db, english, "sources")
    assert list(zip(options["value"], options["count"], strict=True)) == [
        ("bbc.co.uk", 5),
        ("novinite.com", 4),
        ("ria.ru", 0),  # chosen, so listed even with nothing to show
    ]
