"""Every page of the dashboard runs on the fixture database without an exception."""

from __future__ import annotations

import pytest

from tests.conftest import Dashboard

PAGES = [
    "views/overview.py",
    "views/topics.py",
    "views/countries.py",
    "views/sources.py",
    "views/articles.py",
    "views/compare.py",
    "views/saved.py",
    "views/trends.py",
    "views/export.py",
    "views/health.py",
]


@pytest.mark.parametrize("page", PAGES)
def test_page_renders_with_the_sidebar_filters(dashboard: Dashboard, page: str) -> None:
    dashboard.open(page)
    app = dashboard.app
    assert app.title[0].value
    assert app.sidebar.multiselect(key="f_topics").label == "Topics"
    assert not app.error
