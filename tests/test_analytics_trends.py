"""Week over week on the fixture corpus: reference week 2026-W13 (23–29 March)."""

from __future__ import annotations

from datetime import date

import pytest

from analytics.database import Database
from analytics.filters import Filters
from analytics.trends import (
    complete_weeks,
    last_complete_week,
    spike_stories,
    spike_terms,
    week_filters,
    weekly_changes,
)

W13 = date(2026, 3, 23)
POLITICS, ECONOMY, DISASTER = "11000000", "04000000", "03000000"


def test_last_complete_week() -> None:
    assert last_complete_week(date(2026, 3, 30)) == W13  # a Monday
    assert last_complete_week(date(2026, 4, 5)) == W13  # the Sunday after
    assert last_complete_week(date(2026, 4, 6)) == date(2026, 3, 30)


def test_weeks_offered_are_complete_and_have_coverage(dashboard_db: Database) -> None:
    weeks = complete_weeks(dashboard_db, Filters(), date(2026, 4, 1))
    assert weeks == [W13, date(2026, 3, 16), date(2026, 3, 9), date(2026, 3, 2), date(2026, 2, 23)]


def test_topics_against_last_week_and_the_four_week_average(dashboard_db: Database) -> None:
    frame = weekly_changes(dashboard_db, Filters(), "topic", W13).set_index("value")
    assert frame.index.tolist() == [
        ECONOMY,
        POLITICS,
        DISASTER,
        "06000000",
        "07000000",
        "15000000",
        "17000000",
    ]
    politics = frame.loc[POLITICS]
    assert (politics["this_week"], politics["previous_week"], politics["change"]) == (4, 2, 2)
    assert politics["average_4w"] == pytest.approx(1.0)  # (0 + 1 + 1 + 2) / 4
    assert politics["sparkline"] == [0, 0, 0, 0, 1, 1, 2, 4]
    assert frame.loc[ECONOMY, "sparkline"] == [0, 0, 0, 1, 0, 2, 1, 4]
    assert frame["is_spike"].to_dict() == {
        ECONOMY: True,
        POLITICS: True,
        DISASTER: False,  # new, but 2 is under the floor of 3
        "06000000": False,
        "07000000": False,
        "15000000": False,
        "17000000": False,
    }
    assert frame[frame["is_new"]].index.tolist() == [DISASTER, "06000000", "07000000", "17000000"]
    assert frame.loc["15000000", "average_4w"] == pytest.approx(0.25)


def test_the_spike_floor_is_a_setting(dashboard_db: Database) -> None:
    frame = weekly_changes(dashboard_db, Filters(), "topic", W13, floor=2).set_index("value")
    assert frame.loc[DISASTER, "is_spike"]


def test_weeks_follow_the_desk_time_zone(dashboard_db: Database) -> None:
    sofia = Filters(timezone="Europe/Sofia")
    frame = weekly_changes(dashboard_db, sofia, "topic", W13).set_index("value")
    assert frame.loc["15000000", "this_week"] == 0  # the Sunday-night derby is Monday in Sofia


def test_sources_week_over_week(dashboard_db: Database) -> None:
    frame = weekly_changes(dashboard_db, Filters(), "source", W13).set_index("value")
    assert frame.loc["dnevnik.bg", ["this_week", "previous_week"]].tolist() == [3, 1]


def test_the_stories_behind_a_spike(dashboard_db: Database) -> None:
    frame = spike_stories(dashboard_db, Filters(), "topic", POLITICS, W13)
    assert frame[["title", "placements", "sources"]].values.tolist() == [
        ["Парламентът прие бюджета за 2026 г.", 2, "bta.bg, dnevnik.bg"],
        ["Ukraine and Russia agree to new talks", 2, "bbc.co.uk, novinite.com"],
        ["Bulgaria's parliament adopts the 2026 budget", 1, "novinite.com"],
        ["Киев и Москва започват нови преговори", 1, "dnevnik.bg"],
    ]


def test_the_words_behind_a_spike(dashboard_db: Database) -> None:
    frame = spike_terms(dashboard_db, Filters(), "topic", POLITICS, W13)
    assert frame["term"].tolist() == [
        "foreign minister",
        "kyiv",
        "russia",
        "talks",
        "ukraine",
        "бюджет",
        "гласуване",
        "депутат",
        "народно събрание",
        "българия",
    ]
    assert frame["lift"].tolist()[:9] == [2.0] * 9
    assert frame.iloc[9][["this_week", "average_before"]].tolist() == [2, 0.25]


def test_a_spike_links_to_its_week_and_value() -> None:
    narrowed = week_filters(Filters(topics=(ECONOMY,)), "topic", POLITICS, W13)
    assert (narrowed.topics, narrowed.start, narrowed.end) == (
        (POLITICS,),
        W13,
        date(2026, 3, 29),
    )
