"""The analyst's path, clicked in a real browser: the overview, filters that change the
chart, a link that reproduces the view, chart clicks that drill down to the articles, one
article in full, and the CSV export.

Expected numbers come from the fixture corpus and the tags its authors expect
(tests/fixtures/dashboard/expected_tags.yaml), never from the dashboard's own queries.
"""

from __future__ import annotations

import csv
import io
import re
from collections import defaultdict
from datetime import date, timedelta
from urllib.parse import parse_qs, urlsplit

import pytest

pytestmark = pytest.mark.browser

POLITICS = "11000000"
ECONOMY = "04000000"


def monday(day: date) -> str:
    return (day - timedelta(days=day.weekday())).isoformat()


def weekly_stories(articles) -> dict[str, int]:
    """Stories (copies counted once) per ISO week, dated articles only."""
    weeks = defaultdict(set)
    for article in articles:
        if article.published:
            weeks[monday(article.published.date())].add(article.story)
    return {week: len(stories) for week, stories in weeks.items()}


def plotted_weeks(trace: dict) -> dict[str, int]:
    """A timeline trace as {week: value}, empty weeks left out."""
    return {x[:10]: y for x, y in zip(trace["x"], trace["y"], strict=True) if y}


def between(articles, first: date, last: date) -> list:
    return [a for a in articles if a.published and first <= a.published.date() <= last]


def newest_first(articles) -> list[str]:
    return [a.title for a in sorted(articles, key=lambda a: a.published, reverse=True)]


def query_params(url: str) -> dict[str, list[str]]:
    return parse_qs(urlsplit(url).query)


def address(url: str) -> str:
    """A URL as the ETL keeps it: host without `www.`, and the path."""
    parts = urlsplit(url)
    return parts.hostname.removeprefix("www.") + parts.path


def test_the_overview_shows_the_corpus(tab, corpus) -> None:
    tab.open("/")
    tab.heading("Overview")

    metrics = dict(
        zip(
            tab.page.get_by_test_id("stMetricLabel").all_inner_texts(),
            tab.page.get_by_test_id("stMetricValue").all_inner_texts(),
            strict=True,
        )
    )
    assert metrics["Stories"] == str(len({a.story for a in corpus}))
    assert metrics["Placements"] == str(len(corpus))

    (timeline,) = tab.figure("overview_timeline")
    assert plotted_weeks(timeline) == weekly_stories(corpus)
    assert tab.chart("overview_timeline").locator(".scatterlayer .point").count() == len(
        timeline["x"]
    )

    (countries,) = tab.figure("overview_country")
    plotted = {
        point[2]: count
        for point, count in zip(countries["customdata"], countries["x"], strict=True)
    }
    expected = defaultdict(set)
    for article in corpus:
        for country in article.countries:
            expected[country].add(article.story)
    assert plotted == {country: len(stories) for country, stories in expected.items()}
    assert tab.chart("overview_country").locator(".point path").count() == len(plotted)

    latest = tab.table_column("Title")
    assert len(latest) >= 5
    assert latest == newest_first(a for a in corpus if a.published)[: len(latest)]
    tab.screenshot("overview")
    tab.assert_healthy()


def test_date_range_and_topic_change_the_chart_and_the_link_reproduces_the_view(
    tab, new_tab, corpus
) -> None:
    tab.open("/")
    tab.heading("Overview")
    everything = tab.figure("overview_timeline")

    first, last = date(2026, 3, 16), date(2026, 3, 29)
    tab.choose("Period", "Custom range")
    tab.type_date_range("From – to", first, last)
    in_range = tab.changed_figure("overview_timeline", everything)
    assert plotted_weeks(in_range[0]) == weekly_stories(between(corpus, first, last))
    assert plotted_weeks(in_range[0]) != plotted_weeks(everything[0])

    tab.choose("Topics", re.compile(r"^politics \(\d+\)$"))
    (politics,) = tab.changed_figure("overview_timeline", in_range)
    expected = weekly_stories(a for a in between(corpus, first, last) if POLITICS in a.topics)
    assert plotted_weeks(politics) == expected
    assert plotted_weeks(politics) != plotted_weeks(in_range[0])
    caption = tab.page.get_by_text("Selection:").inner_text()
    assert "2026-03-16 – 2026-03-29" in caption and "politics" in caption

    params = query_params(tab.page.url)
    assert params["from"] == ["2026-03-16"] and params["to"] == ["2026-03-29"]
    assert params["topic"] == [POLITICS]
    tab.screenshot("overview-filtered")
    tab.assert_healthy()

    shared = new_tab()
    shared.open(tab.path())
    shared.heading("Overview")
    assert shared.figure("overview_timeline") == tab.figure("overview_timeline")
    assert shared.page.get_by_text("Selection:").inner_text() == caption
    assert shared.sidebar.get_by_role("combobox", name="Period").input_value() == "Custom range"
    spinbuttons = shared.sidebar.get_by_test_id("stDateInput").get_by_role("spinbutton")
    assert "".join(spinbuttons.all_inner_texts()) == "20260316" + "20260329"
    assert shared.sidebar.get_by_text(re.compile(r"^politics \(\d+\)$")).is_visible()
    shared.screenshot("overview-from-link")
    shared.assert_healthy()


def test_a_click_on_a_bar_opens_the_articles_behind_it(tab, corpus) -> None:
    tab.open("/")
    tab.heading("Overview")
    (countries,) = tab.figure("overview_country")
    germany = [point[2] for point in countries["customdata"]].index("DE")

    tab.click_point("overview_country", germany, ".point path")
    tab.page.wait_for_url("**/articles?**")
    tab.settle()
    tab.heading("Articles")

    assert query_params(tab.page.url)["country"] == ["DE"]
    expected = [a for a in corpus if "DE" in a.countries]
    tab.page.get_by_text(f"{len(expected)} articles · page 1 of 1").wait_for()
    assert tab.table_column("Title") == newest_first(expected)
    tab.screenshot("articles-from-bar-click")
    tab.assert_healthy()


def test_a_click_on_a_timeline_point_opens_that_weeks_articles(tab, corpus) -> None:
    tab.open("/")
    tab.heading("Overview")
    (timeline,) = tab.figure("overview_timeline")
    week = [x[:10] for x in timeline["x"]].index("2026-03-23")

    tab.click_point("overview_timeline", week, ".scatterlayer .point")
    tab.page.wait_for_url("**/articles?**")
    tab.settle()
    tab.heading("Articles")

    params = query_params(tab.page.url)
    assert (params["from"], params["to"]) == (["2026-03-23"], ["2026-03-29"])
    expected = newest_first(between(corpus, date(2026, 3, 23), date(2026, 3, 29)))
    tab.page.get_by_text(f"{len(expected)} articles · page 1 of 1").wait_for()
    shown = tab.table_column("Title")
    assert shown and shown == expected[: len(shown)]
    tab.assert_healthy()


def test_a_click_on_a_data_health_cell_opens_that_sources_articles_of_that_day(tab, corpus) -> None:
    tab.open("/health?period=custom&from=2026-03-16&to=2026-03-29")
    tab.heading("Data health")
    cells = tab.figure("health_daily")[2]  # the clickable layer over the heatmap's cells
    busiest = max(range(len(cells["x"])), key=lambda index: cells["customdata"][index][5])
    bucket, _, source = cells["customdata"][busiest][:3]
    day = date.fromisoformat(bucket.removeprefix("day:"))

    tab.click_point("health_daily", busiest, ".scatterlayer .trace:last-child .point")
    tab.page.wait_for_url("**/articles?**")
    tab.settle()
    tab.heading("Articles")

    params = query_params(tab.page.url)
    assert (params["from"], params["to"], params["source"]) == ([str(day)], [str(day)], [source])
    expected = newest_first(a for a in between(corpus, day, day) if a.source == source)
    assert expected  # the clicked cell is a day with articles of that source
    tab.page.get_by_text(f"{len(expected)} articles · page 1 of 1").wait_for()
    assert tab.table_column("Title") == expected
    tab.assert_healthy()


def test_an_article_opens_with_its_full_text_tags_and_copies(tab, corpus) -> None:
    by_url = {a.url: a for a in corpus}
    copy = by_url["https://www.bta.bg/budget-2026"]
    original = by_url[copy.story]
    assert original is not copy  # the fixture's copy of an earlier story

    tab.open("/articles?source=bta.bg")
    tab.heading("Articles")
    tab.click_row(copy.title)
    assert query_params(tab.page.url)["article"]
    tab.page.get_by_test_id("stText").filter(has_text=copy.title).first.wait_for()
    texts = tab.page.get_by_test_id("stText").all_inner_texts()
    assert texts[0] == copy.title
    body = texts[1]
    for sentence in copy.text.split(". ")[:2]:
        assert sentence.rstrip(".") in body

    countries = tab.table_column("country", index=1)
    topics = tab.table_column("topic", index=2)
    assert set(countries) == copy.countries
    assert set(topics) == copy.topics == {POLITICS, ECONOMY}
    tab.page.get_by_text("Copies elsewhere (1)").wait_for()
    assert tab.table_column("source", index=3) == [original.source]
    tab.screenshot("article-with-copies")

    tab.click_row(original.title, column="title", index=3)
    tab.page.get_by_test_id("stText").filter(has_text=original.text.split(". ")[2]).wait_for()
    assert tab.table_column("source", index=3) == [copy.source]
    tab.assert_healthy()


def download_csv(tab, button: re.Pattern) -> tuple[str, bytes]:
    with tab.page.expect_download() as started:
        tab.page.get_by_role("button", name=button).click()
    download = started.value
    return download.suggested_filename, download.path().read_bytes()


def test_the_csv_export_has_every_row_a_bom_and_cyrillic_text(tab, corpus) -> None:
    tab.open("/export")
    tab.heading("Export")
    name, data = download_csv(tab, re.compile(rf"Download {len(corpus)} articles \(CSV\)"))

    assert name.endswith(".csv")
    assert data.startswith(b"\xef\xbb\xbf")  # UTF-8 byte-order mark: Excel reads Cyrillic
    rows = list(csv.DictReader(io.StringIO(data.decode("utf-8-sig"), newline="")))
    assert len(rows) == len(corpus)
    titles = {address(row["url"]): row["title"] for row in rows}
    assert set(titles) == {address(a.url) for a in corpus}
    assert titles["dnevnik.bg/budget-2026"] == "Парламентът прие бюджета за 2026 г."
    assert titles["ria.ru/gazprom-europe"] == "Газпром сократил поставки газа в Европу"
    formula = titles["bta.bg/formula-title"]
    assert not formula.startswith(("=", "+", "-", "@")) and "HYPERLINK" in formula

    tab.open("/export?lang=bg")
    tab.heading("Export")
    bulgarian = [a for a in corpus if a.language == "bg"]
    _, data = download_csv(tab, re.compile(rf"Download {len(bulgarian)} articles \(CSV\)"))
    rows = list(csv.DictReader(io.StringIO(data.decode("utf-8-sig"), newline="")))
    assert {address(row["url"]) for row in rows} == {address(a.url) for a in bulgarian}
    assert {row["language"] for row in rows} == {"bg"}
    tab.screenshot("export")
    tab.assert_healthy()
