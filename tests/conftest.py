"""Shared fixtures: the dashboard's fixture database, built once per test session."""

from __future__ import annotations

from pathlib import Path

import duckdb
import pytest
import yaml

from analytics.database import Database
from etl.pipeline import ingest
from etl.urls import normalize_url

DASHBOARD_FIXTURES = Path(__file__).parent / "fixtures" / "dashboard"


def _apply_expected_tags(db_path: Path) -> None:
    """Give the fixture articles the tags in expected_tags.yaml.

    Interim step while the ETL's country, topic, agency, source and dedup enrichers are
    being written: the articles themselves come from the real ingest; only their tags are
    set here, so the dashboard tests can rely on exact, hand-derived numbers.
    """
    expected = yaml.safe_load((DASHBOARD_FIXTURES / "expected_tags.yaml").read_text("utf-8"))
    with duckdb.connect(str(db_path)) as con:
        con.execute("BEGIN TRANSACTION")
        con.execute("DELETE FROM topics")
        con.executemany("INSERT INTO topics VALUES (?, ?)", list(expected["topics"].items()))
        ids = dict(con.execute("SELECT url, article_id FROM articles").fetchall())
        for table in ("article_countries", "article_topics"):
            con.execute(f"DELETE FROM {table}")
        con.execute("UPDATE articles SET language = coalesce(language, language_hint)")
        for url, tags in expected["articles"].items():
            article_id = ids[normalize_url(url)]
            original = tags.get("copy_of")
            group = ids[normalize_url(original)] if original else article_id
            con.execute(
                "UPDATE articles SET source_country = ?, agency = ?, cited_agencies = ?, "
                "dup_group = ? WHERE article_id = ?",
                [
                    tags.get("source_country"),
                    tags.get("agency"),
                    tags.get("cited_agencies", []),
                    group,
                    article_id,
                ],
            )
            for country, (mentions, terms) in tags.get("countries", {}).items():
                con.execute(
                    "INSERT INTO article_countries VALUES (?, ?, ?, ?)",
                    [article_id, country, mentions, terms],
                )
            for topic, (score, terms) in tags.get("topics", {}).items():
                con.execute(
                    "INSERT INTO article_topics VALUES (?, ?, ?, ?)",
                    [article_id, topic, score, terms],
                )
        con.execute("COMMIT")
        con.execute("CHECKPOINT")


@pytest.fixture(scope="session")
def dashboard_db_path(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The dashboard fixture database file (tests/fixtures/dashboard, through the ETL)."""
    db_path = tmp_path_factory.mktemp("dashboard") / "monitor.duckdb"
    ingest([DASHBOARD_FIXTURES / "articles.jsonl"], db_path)
    _apply_expected_tags(db_path)
    return db_path


@pytest.fixture(scope="session")
def dashboard_db(dashboard_db_path: Path) -> Database:
    return Database(dashboard_db_path)
