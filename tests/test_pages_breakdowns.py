"""Topics, Countries and Sources pages: a filter shapes the charts, a click drills down to
the articles, each chart's download holds its data."""

from __future__ import annotations

import csv
import io

from tests.conftest import Dashboard

POLITICS = "11000000"


def _rows(data: bytes) -> list[dict]:
    return list(csv.DictReader(io.StringIO(data.decode("utf-8-sig"))))


def test_topics_page_topic_by_country(dashboard: Dashboard) -> None:
    dashboard.open("views/topics.py", country="UA")
    matrix = dashboard.charts()["topics_by_country"]["data"][0]
    assert (matrix["x"], matrix["y"], matrix["text"]) == (["Ukraine"], ["politics"], [4])
    rows = _rows(dashboard.download("topics_by_country_csv").content)
    assert [(r["row"], r["column"], r["count"]) for r in rows] == [(POLITICS, "UA", "4")]
    cell = dashboard.point("topics_by_country", "UA")
    assert cell[:5] == ["", "topic", POLITICS, "country", "UA"]
    dashboard.click("topics_by_country", cell)
    app = dashboard.app
    assert (app.query_params["topic"], app.query_params["country"]) == (POLITICS, "UA")
    assert len(app.dataframe(key="articles_table").value) == 5


def test_topics_page_stacked_areas(dashboard: Dashboard) -> None:
    dashboard.open("views/topics.py")
    dashboard.app.segmented_control(key="topics_style").select("Stacked").run()
    traces = dashboard.charts()["topics_timeline"]["data"]
    assert {trace.get("stackgroup") for trace in traces} == {"one"}
    assert traces[0]["name"] == "economy, business and finance"


def test_countries_page_map_and_named_together(dashboard: Dashboard) -> None:
    dashboard.open("views/countries.py")
    world = dashboard.charts()["countries_map"]["data"][0]
    assert dict(zip(world["locations"], world["z"], strict=True))["BGR"] == 8
    dashboard.app.selectbox(key="countries_focus").select("UA").run()
    together = dashboard.charts()["countries_together"]["data"][0]
    assert together["y"] == ["United States", "Türkiye", "Russia"]
    russia = dashboard.point("countries_together", "RU")
    assert russia[:5] == ["", "country", "RU", "country", "UA"]
    dashboard.click("countries_together", russia)
    app = dashboard.app
    assert app.query_params["countries"] == "all"
    assert len(app.dataframe(key="articles_table").value) == 4  # naming both Russia and Ukraine


def test_sources_page_agencies_and_profiles(dashboard: Dashboard) -> None:
    dashboard.open("views/sources.py", lang="en")
    agencies = dashboard.charts()["sources_agency"]["data"][0]
    assert (agencies["y"], agencies["x"]) == (["Reuters"], [2])
    profiles = _rows(dashboard.download("sources_profiles_csv").content)
    assert [(r["source"], r["placements"], r["wire"]) for r in profiles] == [
        ("bbc.co.uk", "5", "2"),
        ("novinite.com", "4", "1"),
    ]
    dashboard.click("sources_agency", dashboard.point("sources_agency", "Reuters"))
    app = dashboard.app
    assert app.query_params["agency"] == "Reuters"
    assert len(app.dataframe(key="articles_table").value) == 3
