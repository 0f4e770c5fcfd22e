"""Every page of the dashboard runs on the fixture database without an exception."""

from __future__ import annotations

import pytest

from tests.conftest import Dashboard

PAGES = [
    "pages/overview.py",
    "pages/topics.py",
    "pages/countries.py",
    "pages/sources.py",
    "pages/articles.py",
    "pages/trends.py",
    "pages/export.py",
    "pages/health.py",
]


@pytest.mark.parametrize("page", PAGES)
def test_page_renders_with_the_sidebar_filters(dashboard: Dashboard, page: str) -> None:
    dashboard.open(page)
    app = dashboard.app
    assert app.title[0].value
    assert app.sidebar.multiselect(key="f_topics").label == "Topics"
    assert not app.error
