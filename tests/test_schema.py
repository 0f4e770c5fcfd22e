"""Migrations upgrade an older database file in place, keeping its rows."""

from __future__ import annotations

from pathlib import Path

import duckdb

from etl.pipeline import ingest
from etl.schema import LATEST_VERSION, MIGRATIONS, current_version, migrate


def _version_1_database(path: Path) -> None:
    with duckdb.connect(str(path)) as con:
        con.execute(
            "CREATE TABLE schema_version "
            "(version INTEGER PRIMARY KEY, description VARCHAR, applied_at TIMESTAMP)"
        )
        number, description, statements = MIGRATIONS[0]
        for statement in statements:
            con.execute(statement)
        con.execute("INSERT INTO schema_version VALUES (?, ?, now())", [number, description])
        con.execute(
            "INSERT INTO articles (article_id, title, body, ingested_at, content_hash) "
            "VALUES ('old-1', 'Old article', 'Kept across upgrades.', now(), 'x')"
        )


def test_ingest_upgrades_an_older_file_in_place(tmp_path: Path):
    db = tmp_path / "old.duckdb"
    _version_1_database(db)
    page = tmp_path / "page.txt"
    page.write_text("2 March 2026\n\nA new headline\n\nThe new article's text.", encoding="utf-8")

    ingest([page], db)

    with duckdb.connect(str(db), read_only=True) as con:
        assert current_version(con) == LATEST_VERSION
        versions = [
            row[0]
            for row in con.execute("SELECT version FROM schema_version ORDER BY 1").fetchall()
        ]
        assert versions == [number for number, _, _ in MIGRATIONS]
        titles = sorted(row[0] for row in con.execute("SELECT title FROM articles").fetchall())
    assert titles == ["A new headline", "Old article"]


def test_migrate_twice_does_nothing_the_second_time():
    con = duckdb.connect()
    assert migrate(con) == len(MIGRATIONS)
    assert migrate(con) == 0
    assert current_version(con) == LATEST_VERSION
