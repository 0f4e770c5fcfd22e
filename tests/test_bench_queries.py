"""bench/queries.py runs end to end on the fixture database: every state measured both ways,
the naive answers equal ours, and the last line is the summary. Timings are never checked."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from analytics.database import Database
from bench.queries import main

SUMMARY = re.compile(
    r"summary: articles=(\d+) p50_ms=[\d.]+ p95_ms=[\d.]+ naive_over_ours=[\d.]+ "
    r"memory_ratio=[\d.]+"
)


@pytest.mark.slow
def test_bench_runs_on_the_fixture_database(
    dashboard_db: Database, dashboard_db_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    status = main(["--db", str(dashboard_db_path), "--runs", "1"])
    lines = capsys.readouterr().out.strip().splitlines()
    assert status == 0
    assert re.search(r"^answers: all \d+ naive answers equal ours$", "\n".join(lines), re.M)
    last = SUMMARY.fullmatch(lines[-1])
    assert last, lines[-1]
    assert int(last.group(1)) == dashboard_db.value("SELECT count(*) FROM articles")
    for state in ("all data", "last 30 days", "weekly trends", "export, newest 100k"):
        assert any(line.startswith(state) for line in lines), state
