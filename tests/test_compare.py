"""Compare: series of named queries over time, counts and shares, under the other filters."""

from __future__ import annotations

from datetime import date

import pandas as pd
import pytest
from test_search_corpus import build_search_db

from analytics.compare import MAX_QUERIES, CompareError, check_queries, compare_series
from analytics.database import Database
from analytics.filters import Filters
from analytics.search import SearchSyntaxError

QUERIES = (("Sanctions", "санкция OR sanction"), ("NATO", "НАТО OR NATO"))
MARCH = Filters(period="custom", start=date(2026, 3, 1), end=date(2026, 3, 12), granularity="day")


@pytest.fixture(scope="module")
def db(tmp_path_factory):
    return Database(build_search_db(tmp_path_factory.mktemp("compare") / "search.duckdb"))


def nonzero(frame, name: str) -> dict[str, int]:
    part = frame[(frame["value"] == name) & (frame["count"] > 0)]
    pairs = zip(part["bucket"], part["count"], strict=True)
    return {str(bucket.date()): int(count) for bucket, count in pairs}


def test_daily_counts_per_query_zero_filled(db):
    frame = compare_series(db, MARCH, QUERIES)
    assert list(frame.columns) == ["bucket", "value", "label", "count", "total", "share"]
    assert list(frame["value"].unique()) == ["Sanctions", "NATO"]
    assert (frame.groupby("value").size() == 12).all()
    assert nonzero(frame, "Sanctions") == {"2026-03-02": 2, "2026-03-03": 1}
    assert nonzero(frame, "NATO") == {"2026-03-03": 2, "2026-03-04": 1, "2026-03-10": 1}


def test_share_is_of_all_coverage_in_the_bucket(db):
    frame = compare_series(db, MARCH, QUERIES).set_index(["value", "bucket"])
    day = pd.Timestamp("2026-03-03")
    assert frame.loc[("NATO", day), "total"] == 2
    assert frame.loc[("NATO", day), "share"] == 1.0
    assert frame.loc[("Sanctions", day), "share"] == 0.5
    quiet = frame.loc[("NATO", pd.Timestamp("2026-03-05"))]
    assert quiet["count"] == 0 and quiet["total"] == 0


def test_other_filters_apply_and_the_sidebar_text_is_set_aside(db):
    bulgarian = MARCH.replace(languages=("bg",), text="спорт")
    frame = compare_series(db, bulgarian, QUERIES)
    assert nonzero(frame, "Sanctions") == {"2026-03-02": 1}
    assert nonzero(frame, "NATO") == {"2026-03-03": 1, "2026-03-10": 1}


def test_weekly_buckets(db):
    frame = compare_series(db, MARCH.replace(granularity="week"), (("NATO", "NATO OR НАТО"),))
    assert nonzero(frame, "NATO") == {"2026-03-02": 3, "2026-03-09": 1}


def test_names_with_markup_stay_plain_values(db):
    name = "<b>x</b> [link](http://e.com)"
    frame = compare_series(db, MARCH, ((name, "НАТО"),))
    assert set(frame["label"]) == {name}


@pytest.mark.parametrize(
    ("queries", "message"),
    [
        ((), "between 1 and"),
        (tuple((f"q{n}", "НАТО") for n in range(MAX_QUERIES + 1)), "between 1 and"),
        ((("", "НАТО"),), "needs a name"),
        ((("same", "НАТО"), ("SAME", "NATO")), "different name"),
        ((("x" * 41, "НАТО"),), "at most 40"),
    ],
)
def test_unusable_sets_of_queries_are_refused(queries, message):
    with pytest.raises(CompareError, match=message):
        check_queries(queries)


def test_a_query_with_a_syntax_error_is_refused():
    with pytest.raises(SearchSyntaxError):
        check_queries((("ok", "НАТО"), ("broken", "НАТО AND")))
