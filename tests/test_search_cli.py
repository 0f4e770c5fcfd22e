"""`python -m analytics search` as a script sees it: CSV on stdout, exit codes 0, 1 and 2."""

from __future__ import annotations

import csv
import io
import os
import subprocess
import sys
from pathlib import Path

import duckdb
import pytest
from test_search_corpus import build_search_db

from etl.schema import migrate

ROOT = Path(__file__).resolve().parents[1]


@pytest.fixture(scope="module")
def db_path(tmp_path_factory):
    return build_search_db(tmp_path_factory.mktemp("cli") / "search.duckdb")


def run(*args: str, env: dict | None = None) -> subprocess.CompletedProcess:
    return subprocess.run(
        [sys.executable, "-m", "analytics", "search", *args],
        cwd=ROOT,
        capture_output=True,
        text=True,
        encoding="utf-8",
        env={**os.environ, **(env or {})},
        timeout=120,
    )


def table(stdout: str) -> list[dict[str, str]]:
    return list(csv.DictReader(io.StringIO(stdout)))


def test_matches_print_as_csv_ranked_by_relevance(db_path):
    result = run("(НАТО OR NATO) AND Украйна NOT спорт", "--db", str(db_path))
    assert result.returncode == 0, result.stderr
    assert result.stdout.splitlines()[0] == "article_id,published_at,source,title,score"
    rows = table(result.stdout)
    assert [row["article_id"] for row in rows] == ["bg-nato"]
    assert rows[0]["published_at"] == "2026-03-03T12:00:00Z"
    assert rows[0]["source"] == "bnr.bg"
    assert rows[0]["title"] == "НАТО и Украйна задълбочават сътрудничеството"
    assert float(rows[0]["score"]) > 0


def test_limit_and_date_order(db_path):
    result = run("НАТО OR NATO", "--db", str(db_path), "--limit", "2", "--order", "date")
    assert result.returncode == 0, result.stderr
    assert [row["article_id"] for row in table(result.stdout)] == ["bg-football", "ru-nato"]


def test_database_from_the_environment(db_path):
    result = run("санкция", env={"MONITOR_DB": str(db_path)})
    assert result.returncode == 0, result.stderr
    assert {row["article_id"] for row in table(result.stdout)} == {"bg-sanctions", "ru-sanctions"}


def test_no_match_prints_the_header_only(db_path):
    result = run("несъществуващо", "--db", str(db_path))
    assert (result.returncode, result.stdout) == (0, "article_id,published_at,source,title,score\n")


def test_text_cells_are_safe_for_spreadsheets(db_path):
    result = run('"DROP TABLE articles"', "--db", str(db_path))
    assert result.returncode == 0, result.stderr
    (row,) = table(result.stdout)
    assert row["title"] == "Robert'); DROP TABLE articles;--"
    assert row["published_at"] == ""


@pytest.mark.parametrize(
    ("query", "position"),
    [("(НАТО OR NATO", 0), ("НАТО AND", 5), ('"санкции', 0), ("titel:x", 0)],
)
def test_syntax_error_exits_2_with_message_and_caret(db_path, query, position):
    result = run(query, "--db", str(db_path))
    assert result.returncode == 2
    assert result.stdout == ""
    lines = result.stderr.splitlines()
    assert lines[0].startswith("search syntax error: ")
    assert f"(at character {position + 1})" in lines[0]
    assert lines[1] == f"  {query}"
    assert lines[2] == "  " + " " * position + "^"
    assert "Traceback" not in result.stderr


def test_syntax_error_is_reported_even_without_a_database(tmp_path):
    result = run("a OR", "--db", str(tmp_path / "missing.duckdb"))
    assert result.returncode == 2


def test_missing_database_exits_1_with_a_message(tmp_path):
    result = run("санкции", "--db", str(tmp_path / "missing.duckdb"))
    assert result.returncode == 1
    assert "no database" in result.stderr.lower()
    assert "Traceback" not in result.stderr


@pytest.mark.parametrize("limit", ["0", "-3", "many"])
def test_bad_limit_is_a_usage_error(db_path, limit):
    result = run("санкции", "--db", str(db_path), "--limit", limit)
    assert result.returncode == 2
    assert "--limit" in result.stderr


def test_database_without_search_index_exits_1(tmp_path):
    path = tmp_path / "fresh.duckdb"
    with duckdb.connect(str(path)) as con:
        migrate(con)
    result = run("санкции", "--db", str(path))
    assert result.returncode == 1
    assert "search index" in result.stderr
