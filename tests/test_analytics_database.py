"""Read-only snapshots: a replaced file is a new version, an open snapshot keeps reading its
own file, and a missing or foreign file gives a message people can act on."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest

from analytics.database import Database, DatabaseUnavailable, database_path, database_version
from etl.pipeline import ingest

EXTRA = {
    "url": "https://example.org/new-article",
    "title": "A later article",
    "text": "Published after the dashboard opened the database.",
    "published_at": "2026-03-31T09:00:00Z",
    "source": "example.org",
}


def test_the_path_comes_from_the_environment(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("MONITOR_DB", raising=False)
    assert database_path() == Path("data/monitor.duckdb")
    monkeypatch.setenv("MONITOR_DB", "/srv/monitor.duckdb")
    assert database_path() == Path("/srv/monitor.duckdb")


def test_a_published_ingest_is_a_new_version_and_old_readers_keep_theirs(
    dashboard_db_path: Path, tmp_path: Path
) -> None:
    live = tmp_path / "monitor.duckdb"
    shutil.copyfile(dashboard_db_path, live)
    before = Database(live)
    assert before.value("SELECT count(*) FROM articles") == 22
    record = tmp_path / "more.jsonl"
    record.write_text(json.dumps(EXTRA) + "\n", encoding="utf-8")
    ingest([record], live)
    after = Database(live)
    assert after.version != before.version
    assert after.value("SELECT count(*) FROM articles") == 23
    assert before.value("SELECT count(*) FROM articles") == 22


def test_the_dashboard_never_writes(dashboard_db: Database) -> None:
    with pytest.raises(Exception, match="read-only"):
        dashboard_db.rows("DELETE FROM articles")


def test_unused_parameters_are_not_sent(dashboard_db: Database) -> None:
    assert dashboard_db.value("SELECT $a + 1", {"a": 1, "unused": 2}) == 2


def test_missing_database(tmp_path: Path) -> None:
    with pytest.raises(DatabaseUnavailable, match="python -m etl"):
        Database(tmp_path / "monitor.duckdb")
    assert database_version(tmp_path / "monitor.duckdb") is None


def test_database_being_built(tmp_path: Path) -> None:
    (tmp_path / "monitor.duckdb.ingest").write_bytes(b"")
    with pytest.raises(DatabaseUnavailable, match="being built"):
        Database(tmp_path / "monitor.duckdb")


def test_not_a_database(tmp_path: Path) -> None:
    path = tmp_path / "monitor.duckdb"
    path.write_text("just text", encoding="utf-8")
    with pytest.raises(DatabaseUnavailable, match="cannot be read"):
        Database(path)
