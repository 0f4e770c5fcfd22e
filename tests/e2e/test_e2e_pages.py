"""Every page of the dashboard in a real browser: it draws without an error, fetches nothing
from outside this machine, and shows article markup as text."""

from __future__ import annotations

import re
from datetime import timedelta

import pytest

pytestmark = pytest.mark.browser

# The pages the dashboard is designed to have (DESIGN.md); the test visits every page the
# navigation lists, and these must be among them.
DESIGNED_PAGES = {
    "Overview",
    "Topics",
    "Countries",
    "Sources",
    "Articles",
    "Weekly trends",
    "Export",
    "Data health",
}


def not_pwned(tab) -> bool:
    return tab.page.evaluate("() => typeof window.__pwned === 'undefined'")


def test_every_page_draws_without_errors_and_offline(tab) -> None:
    tab.open("/")
    tab.heading("Overview")
    links = tab.sidebar.get_by_test_id("stSidebarNavLink")
    pages = [
        (re.sub(r"^\W+", "", text).strip(), href)
        for text, href in zip(
            links.all_inner_texts(),
            [link.get_attribute("href") for link in links.all()],
            strict=True,
        )
    ]
    assert {title for title, _ in pages} >= DESIGNED_PAGES

    for title, href in pages:
        tab.sidebar.get_by_test_id("stSidebarNavLink").filter(has_text=title).click()
        tab.page.wait_for_url(href.split("?")[0] + "*")
        tab.settle()
        tab.heading(title)
        assert tab.errors_shown() == [], title
        assert tab.undrawn_charts() == [], title
        assert not_pwned(tab), title
        slug = re.sub(r"\W+", "-", title.lower())
        tab.screenshot(f"page-{slug}")
    tab.assert_healthy()


def test_page_icons_are_drawn_without_fetching_fonts(tab) -> None:
    tab.open("/")
    tab.heading("Overview")
    assert tab.page.get_by_test_id("stIconEmoji").count() > 0
    assert tab.icons_not_drawn() == []
    tab.assert_healthy()


def test_markup_in_a_title_stays_text(tab, injected) -> None:
    published = injected.published.date()
    day = published.isoformat()
    tab.open(f"/articles?period=custom&from={day}&to={day}")
    tab.heading("Articles")
    assert tab.table_column("Title") == [injected.title]

    tab.click_row(injected.title)
    shown = tab.page.get_by_test_id("stText").filter(has_text="window.__pwned")
    assert shown.first.inner_text() == injected.title
    tab.page.wait_for_timeout(500)  # time for any injected script or handler to run
    assert not_pwned(tab)
    assert tab.page.evaluate(
        "() => [...document.scripts].every(s => !s.textContent.includes('__pwned'))"
    )
    main = tab.page.get_by_test_id("stMain")
    assert main.locator("a[href^='javascript' i]").count() == 0
    assert main.locator("strong, b").filter(has_text=re.compile(r"^bold$")).count() == 0
    assert main.locator("img[src='x']").count() == 0
    tab.screenshot("article-with-markup-title")

    tab.open(f"/?period=custom&from={day}&to={published + timedelta(days=1)}")
    tab.heading("Overview")
    assert injected.title in tab.table_column("Title")
    assert not_pwned(tab)
    tab.assert_healthy()
