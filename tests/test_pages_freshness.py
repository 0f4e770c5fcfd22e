"""A newly published database shows up on the next rerun, without restarting the app."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest

from etl.pipeline import ingest
from tests.conftest import Dashboard

LATER = {
    "url": "https://example.org/later",
    "title": "A later article",
    "text": "Published while the dashboard was open.",
    "published_at": "2026-03-31T09:00:00Z",
    "source": "example.org",
}


def test_a_published_ingest_shows_on_the_next_rerun(
    dashboard: Dashboard,
    dashboard_db_path: Path,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    live = tmp_path / "monitor.duckdb"
    shutil.copyfile(dashboard_db_path, live)
    monkeypatch.setenv("MONITOR_DB", str(live))
    dashboard.open()
    assert [metric.value for metric in dashboard.app.metric][1] == "22"
    records = tmp_path / "later.jsonl"
    records.write_text(json.dumps(LATER) + "\n", encoding="utf-8")
    ingest([records], live)
    dashboard.app.run()
    dashboard.assert_no_exception()
    assert [metric.value for metric in dashboard.app.metric][1] == "23"


def test_a_database_being_built_elsewhere_is_waited_for(
    dashboard: Dashboard, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    (tmp_path / "monitor.duckdb.ingest").write_bytes(b"")
    monkeypatch.setenv("MONITOR_DB", str(tmp_path / "monitor.duckdb"))
    dashboard.open()
    assert "building the database right now" in dashboard.app.info[0].value


def test_a_file_that_is_not_a_database_gets_a_message_not_a_traceback(
    dashboard: Dashboard, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    (tmp_path / "monitor.duckdb").write_text("not a database", encoding="utf-8")
    monkeypatch.setenv("MONITOR_DB", str(tmp_path / "monitor.duckdb"))
    dashboard.open()
    assert "cannot be read as a Media Monitor database" in dashboard.app.warning[0].value
