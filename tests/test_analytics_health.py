"""Data health on the fixture corpus: one run, one rejected line, one undated article."""

from __future__ import annotations

from datetime import date

import pytest

from analytics.database import Database
from analytics.filters import Filters
from analytics.health import (
    corpus_status,
    daily_volume,
    ingest_errors,
    ingest_runs,
    language_coverage,
    tag_coverage,
    undated_articles,
)

W13 = Filters(period="custom", start=date(2026, 3, 23), end=date(2026, 3, 29))


def test_corpus_status(dashboard_db: Database) -> None:
    status = corpus_status(dashboard_db)
    assert (status["articles"], status["runs"], status["is_demo"]) == (22, 1, False)
    assert status["first"].date() == date(2026, 2, 25)


def test_runs_and_their_errors(dashboard_db: Database) -> None:
    runs = ingest_runs(dashboard_db)
    assert runs[["files", "inserted", "failed", "errors", "warnings"]].values.tolist() == [
        [1, 22, 1, 1, 0]
    ]
    errors, total = ingest_errors(dashboard_db)
    assert total == 1
    assert errors.iloc[0]["location"] == "line 23"


def test_gaps_are_empty_days_inside_a_sources_span(dashboard_db: Database) -> None:
    frame = daily_volume(dashboard_db, W13)
    assert set(frame.groupby("source").size()) == {7}
    gaps = frame[frame["gap"]]
    by_source = gaps.groupby("source")["day"].apply(lambda days: [d.day for d in days]).to_dict()
    assert by_source == {
        "dnevnik.bg": [24, 26, 27, 28],
        "bta.bg": [24, 25, 26],
        "novinite.com": [24, 26, 27],
    }


def test_undated_articles(dashboard_db: Database) -> None:
    frame, total = undated_articles(dashboard_db, W13)
    assert total == 1
    assert frame["title"].tolist() == ["Общината ремонтира улица в центъра"]


def test_language_and_tag_coverage(dashboard_db: Database) -> None:
    languages = language_coverage(dashboard_db, Filters())
    assert dict(zip(languages["value"], languages["articles"], strict=True)) == {
        "bg": 9,
        "en": 9,
        "de": 2,
        "ru": 2,
    }
    tags = tag_coverage(dashboard_db, Filters()).set_index("check")
    assert tags["articles"].to_dict() == {
        "countries": 21,
        "topics": 20,
        "agency": 12,
        "dated": 21,
        "language": 22,
        "text": 22,
    }
    assert tags.loc["agency", "share"] == pytest.approx(12 / 22)
