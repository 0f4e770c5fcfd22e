"""Every page of the dashboard runs on the fixture database without an exception."""

from __future__ import annotations

from pathlib import Path

import pytest
from streamlit.testing.v1 import AppTest

ROOT = Path(__file__).resolve().parents[1]
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


@pytest.fixture
def app(dashboard_db_path: Path, monkeypatch: pytest.MonkeyPatch) -> AppTest:
    monkeypatch.setenv("MONITOR_DB", str(dashboard_db_path))
    return AppTest.from_file(str(ROOT / "dashboard.py"), default_timeout=60)


@pytest.mark.parametrize("page", PAGES)
def test_page_renders_without_errors(app: AppTest, page: str) -> None:
    app.run()
    app.switch_page(page).run()
    assert not app.exception, [item.value for item in app.exception]
    assert app.title[0].value
