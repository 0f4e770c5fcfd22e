"""Overview page: a filter changes the charts, a click drills down, downloads hold the data."""

from __future__ import annotations

import csv
import io

from tests.conftest import Dashboard

POLITICS = "11000000"


def _csv(data: bytes) -> list[dict]:
    return list(csv.DictReader(io.StringIO(data.decode("utf-8-sig"))))


def test_a_topic_filter_changes_kpis_timeline_and_url(dashboard: Dashboard) -> None:
    dashboard.open()
    app = dashboard.app
    assert [metric.value for metric in app.metric] == ["20", "22", "6", "8"]
    app.multiselect(key="f_topics").select(POLITICS).run()
    dashboard.assert_no_exception()
    assert [metric.value for metric in app.metric][:2] == ["8", "10"]
    timeline = dashboard.charts()["overview_timeline"]["data"][0]
    assert timeline["y"] == [1, 1, 2, 4]  # weeks of 2 March to 23 March
    assert app.query_params["topic"] == POLITICS
    caption = " ".join(caption.value for caption in app.caption)
    assert "topics\\: politics" in caption  # markdown-escaped: shown as "topics: politics"


def test_chart_download_holds_the_chart_data(dashboard: Dashboard) -> None:
    dashboard.open(topic=POLITICS)
    download = dashboard.download("overview_timeline_csv")
    assert download.content.startswith("\ufeff".encode())
    assert download.filename == "coverage-over-time_topic-11000000.csv"
    rows = _csv(download.content)
    assert [(row["bucket"][:10], row["count"], row["total"]) for row in rows] == [
        ("2026-03-02", "1", "1"),
        ("2026-03-09", "1", "2"),
        ("2026-03-16", "2", "3"),
        ("2026-03-23", "4", "11"),
    ]


def test_clicking_a_week_opens_its_articles(dashboard: Dashboard) -> None:
    dashboard.open(topic=POLITICS)
    week = dashboard.point("overview_timeline", "week:2026-03-16")
    assert week[:5] == ["week:2026-03-16", "", "", "", ""]
    dashboard.click("overview_timeline", week)
    app = dashboard.app
    assert app.title[0].value == "📄 Articles"
    assert app.query_params["period"] == "custom"
    assert (app.query_params["from"], app.query_params["to"]) == ("2026-03-16", "2026-03-22")
    assert app.session_state["f_topics"] == [POLITICS]
    titles = app.dataframe(key="articles_table").value["title"].tolist()
    assert titles == ["Финансовият министър внесе проектобюджета", "Зеленски призова за примирие"]


def test_clicking_a_country_bar_filters_the_articles_by_it(dashboard: Dashboard) -> None:
    dashboard.open()
    bar = dashboard.point("overview_country", "Türkiye")
    assert bar[:5] == ["", "country", "TR", "", ""]
    dashboard.click("overview_country", bar)
    app = dashboard.app
    assert app.query_params["country"] == "TR"
    assert len(app.dataframe(key="articles_table").value) == 2


def test_choosing_a_latest_article_opens_it(dashboard: Dashboard) -> None:
    dashboard.open()
    dashboard.app.session_state["overview_latest"] = {
        "selection": {"rows": [0], "columns": [], "cells": []}
    }
    dashboard.app.run()
    dashboard.assert_no_exception()
    assert dashboard.app.title[0].value == "📄 Articles"
    assert "article" in dashboard.app.query_params
    texts = [text.value for text in dashboard.app.text]
    assert "Markets open higher in London" in texts
