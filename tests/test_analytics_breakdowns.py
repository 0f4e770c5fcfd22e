"""Countries named together, crosstabs and source profiles on the fixture corpus."""

from __future__ import annotations

from datetime import datetime

import pandas as pd
import pytest

from analytics.countries import co_mentioned, countries_on_map
from analytics.coverage import top_values
from analytics.crosstabs import crosstab
from analytics.database import Database
from analytics.filters import Filters
from analytics.sources import source_profiles

POLITICS, ECONOMY = "11000000", "04000000"


def test_countries_on_the_map_have_map_codes(dashboard_db: Database) -> None:
    frame = countries_on_map(dashboard_db, Filters())
    assert dict(zip(frame["value"], frame["iso3"], strict=True))["GB"] == "GBR"
    assert frame["iso3"].notna().all()


def test_countries_named_with_ukraine(dashboard_db: Database) -> None:
    frame = co_mentioned(dashboard_db, Filters(), "UA")
    assert list(zip(frame["value"], frame["count"], strict=True)) == [
        ("RU", 3),
        ("TR", 2),
        ("US", 1),
    ]
    assert set(frame["total"]) == {4}
    assert frame["share"].iloc[0] == pytest.approx(0.75)


def test_topic_by_country(dashboard_db: Database) -> None:
    frame = crosstab(dashboard_db, Filters(), "topic", "country")
    cells = {(row.row, row.column): row.count for row in frame.itertuples()}
    assert cells[(POLITICS, "UA")] == 4
    assert cells[(POLITICS, "BG")] == 3
    assert cells[(ECONOMY, "BG")] == 6
    assert cells[("03000000", "DE")] == 2
    assert (POLITICS, "GB") not in cells


def test_a_filtered_dimension_shows_only_its_chosen_values(dashboard_db: Database) -> None:
    frame = crosstab(dashboard_db, Filters(topics=(POLITICS,)), "source", "topic")
    assert set(frame["column"]) == {POLITICS}
    assert dict(zip(frame["row"], frame["count"], strict=True)) == {
        "bbc.co.uk": 1,
        "bta.bg": 2,
        "dnevnik.bg": 3,
        "novinite.com": 2,
        "ria.ru": 1,
        "spiegel.de": 1,
    }


def test_crosstab_limits_keep_the_biggest(dashboard_db: Database) -> None:
    frame = crosstab(dashboard_db, Filters(), "topic", "country", row_limit=1, column_limit=2)
    assert set(frame["row"]) == {ECONOMY}
    assert set(frame["column"]) == {"BG", "DE"}


def test_source_profiles(dashboard_db: Database) -> None:
    frame = source_profiles(dashboard_db, Filters()).set_index("source")
    assert frame.index.tolist() == [
        "dnevnik.bg",
        "bbc.co.uk",
        "novinite.com",
        "bta.bg",
        "ria.ru",
        "spiegel.de",
    ]
    dnevnik = frame.loc["dnevnik.bg"]
    assert (dnevnik["placements"], dnevnik["wire"], dnevnik["agencies"]) == (6, 3, "БГНЕС")
    assert dnevnik["first"] == datetime(2026, 2, 25, 8, 0)
    assert dnevnik["last"] == datetime(2026, 3, 29, 22, 30)
    assert frame["wire_share"].to_dict() == pytest.approx(
        {
            "dnevnik.bg": 0.5,
            "bbc.co.uk": 0.4,
            "novinite.com": 0.25,
            "bta.bg": 1.0,
            "ria.ru": 1.0,
            "spiegel.de": 0.5,
        }
    )
    assert frame.loc["novinite.com", "country_name"] == "Bulgaria"


@pytest.mark.parametrize(
    ("choice", "rows", "columns"),
    [
        ({"topics": (POLITICS,)}, "topic", "country"),
        ({"topics": (ECONOMY,)}, "source", "topic"),
        ({"countries": ("UA",)}, "source_country", "country"),
        ({"countries": ("BG",)}, "country", "language"),
    ],
)
def test_one_topic_or_country_reads_stored_pairs_with_the_scans_answers(
    dashboard_db: Database, choice: dict, rows: str, columns: str
) -> None:
    """One topic or one country as the whole selection is answered from the ETL's stored
    counts; the same articles chosen another way (every source named) go through the scan."""
    assert dashboard_db.value("SELECT count(*) FROM articles WHERE source IS NULL") == 0
    sources = tuple(value for (value,) in dashboard_db.rows("SELECT DISTINCT source FROM articles"))
    stored, scanned = Filters(**choice), Filters(**choice, sources=sources)
    for measure in ("stories", "placements"):
        expected = crosstab(dashboard_db, scanned.replace(measure=measure), rows, columns)
        assert not expected.empty
        pd.testing.assert_frame_equal(
            crosstab(dashboard_db, stored.replace(measure=measure), rows, columns), expected
        )
        for by in (rows, columns):
            pd.testing.assert_frame_equal(
                top_values(dashboard_db, stored.replace(measure=measure), by),
                top_values(dashboard_db, scanned.replace(measure=measure), by),
            )


def test_articles_naming_every_chosen_country_break_down_by_those_countries(
    dashboard_db: Database,
) -> None:
    both = Filters(countries=("RU", "UA"), all_countries=True)
    ranked = top_values(dashboard_db, both, "country")
    # RU and UA are named together in 3 articles (see test_countries_named_with_ukraine).
    assert dict(zip(ranked["value"], ranked["count"], strict=True)) == {"RU": 3, "UA": 3}
    matrix = crosstab(dashboard_db, both, "topic", "country")
    assert set(matrix["column"]) == {"RU", "UA"}
    assert matrix.groupby("column")["count"].max().to_dict() == {"RU": 3, "UA": 3}
