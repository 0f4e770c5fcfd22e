"""Weekly trends, Export and Data health pages."""

from __future__ import annotations

import csv
import io
from datetime import date

from analytics.articles import EXPORT_COLUMNS
from tests.conftest import Dashboard

POLITICS = "11000000"


def _rows(data: bytes) -> list[list[str]]:
    assert data.startswith("\ufeff".encode())
    return list(csv.reader(io.StringIO(data.decode("utf-8-sig"))))


def test_weekly_trends_risers_spikes_and_their_articles(dashboard: Dashboard) -> None:
    dashboard.open("views/trends.py")
    app = dashboard.app
    app.selectbox(key="trends_week").select(date(2026, 3, 23)).run()
    dashboard.assert_no_exception()
    table = app.dataframe[0].value.set_index("label")
    assert table.loc["politics", ["this_week", "previous_week", "change"]].tolist() == [4, 2, 2]
    assert table.loc["politics", "flag"] == "⚡ spike"
    assert table.loc["environment", "flag"] == " 🆕 new"
    movers = dashboard.charts()["trends_topic"]["data"][0]
    assert movers["y"][-2:] == ["politics", "economy, business and finance"]  # top: last
    spikes = [expander.label for expander in app.expander if expander.label.startswith("⚡")]
    assert spikes[:2] == [
        "⚡ economy, business and finance: 4 stories (4-week average 1.0)",
        "⚡ politics: 4 stories (4-week average 1.0)",
    ]
    app.button(key=f"spike_topic_{POLITICS}").click().run()
    dashboard.assert_no_exception()
    assert app.title[0].value == "📄 Articles"
    assert (app.query_params["from"], app.query_params["to"]) == ("2026-03-23", "2026-03-29")
    assert len(app.dataframe(key="articles_table").value) == 6


def test_export_streams_every_article_with_formulas_neutralized(dashboard: Dashboard) -> None:
    dashboard.open("views/export.py", source="bta.bg")
    app = dashboard.app
    rows = _rows(dashboard.download("export_articles").content)
    assert rows[0] == list(EXPORT_COLUMNS)
    assert len(rows) == 4
    assert rows[1][6] == '\'=HYPERLINK("http://example.invalid","click")'
    app.checkbox(key="export_body").check().run()
    with_body = _rows(dashboard.download("export_articles").content)
    assert with_body[0][-1] == "body"
    countries = _rows(dashboard.download("export_top-countries_csv").content)
    assert countries[0] == ["value", "label", "count", "total", "share"]
    assert countries[1][:4] == ["BG", "Bulgaria", "3", "3"]
    download = dashboard.download("export_top-countries_csv")
    assert download.filename == "top-countries_source-bta-bg.csv"


def test_data_health_shows_runs_errors_gaps_and_undated(dashboard: Dashboard) -> None:
    dashboard.open("views/health.py", period="custom", **{"from": "2026-03-23", "to": "2026-03-29"})
    app = dashboard.app
    assert [metric.value for metric in app.metric] == ["22", "2026-02-25", "2026-03-30", "1"]
    frames = [frame.value for frame in app.dataframe]
    errors = next(frame for frame in frames if "message" in frame.columns)
    assert errors["location"].tolist() == ["line 23"]
    undated = next(frame for frame in frames if "date_problem" in frame.columns)
    assert undated["title"].tolist() == ["Общината ремонтира улица в центъра"]
    gaps = dashboard.charts()["health_daily"]["data"][1]
    assert gaps["name"] == "Gap (no articles)"
    assert len(gaps["x"]) == 10
