"""Shared fixtures: the dashboard's fixture database, built once per test session."""

from __future__ import annotations

from pathlib import Path

import pytest

from analytics.database import Database
from etl.pipeline import ingest

DASHBOARD_FIXTURES = Path(__file__).parent / "fixtures" / "dashboard"


@pytest.fixture(scope="session")
def dashboard_db_path(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The dashboard fixture database: tests/fixtures/dashboard through the real ingest."""
    db_path = tmp_path_factory.mktemp("dashboard") / "monitor.duckdb"
    ingest([DASHBOARD_FIXTURES / "articles.jsonl"], db_path)
    return db_path


@pytest.fixture(scope="session")
def dashboard_db(dashboard_db_path: Path) -> Database:
    return Database(dashboard_db_path)
