"""Faults: re-runs are idempotent (also after failures), a SIGKILL in the middle of a large run
loses nothing and corrupts nothing while readers keep seeing whole snapshots, and a full disk or
a read-only data folder gives a clear message and leaves the database as it was."""

from __future__ import annotations

import hashlib
import json
import os
import shutil
import signal
import subprocess
import sys
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import duckdb
import pytest

from etl.cli import main
from etl.pipeline import BATCH_SIZE, PARALLEL_MIN_BYTES, ingest
from etl.store import working_copy_path
from tests.bulk_records import write_records

ROOT = Path(__file__).resolve().parents[1]
RECORDS = 2_400  # more than one load batch, so the kill can land between two batches
VOLATILE = {  # columns that say when something ran, not what the database holds
    "articles": {"ingested_at"},
    "ingest_runs": {"run_id", "started_at", "finished_at"},
    "ingest_errors": {"run_id"},
    "schema_version": {"applied_at"},
}
BROKEN_FILE = '{"title": "Loads fine", "text": "Before a broken line."}\n{"title": broken\n'


def _sha1(path: Path) -> str:
    return hashlib.sha1(path.read_bytes()).hexdigest()


def fingerprint(db: Path) -> dict[str, tuple[int, str]]:
    """Row count and content hash of every table (search index included), times left out."""
    result = {}
    with duckdb.connect(str(db), read_only=True) as con:
        tables = con.execute(
            "SELECT table_schema, table_name FROM information_schema.tables "
            "WHERE table_type = 'BASE TABLE' ORDER BY ALL"
        ).fetchall()
        for schema, table in tables:
            columns = [
                name
                for (name,) in con.execute(
                    "SELECT column_name FROM information_schema.columns "
                    "WHERE table_schema = ? AND table_name = ? ORDER BY ordinal_position",
                    [schema, table],
                ).fetchall()
                if name not in VOLATILE.get(table, set())
            ]
            listed = ", ".join(f'"{name}"' for name in columns)
            rows = con.execute(f'SELECT {listed} FROM "{schema}"."{table}" ORDER BY ALL').fetchall()
            digest = hashlib.sha1(repr(rows).encode()).hexdigest()
            result[f"{schema}.{table}"] = (len(rows), digest)
    return result


def counts(db: Path) -> tuple[int, int]:
    with duckdb.connect(str(db), read_only=True) as con:
        return con.execute(
            "SELECT (SELECT count(*) FROM articles), "
            "(SELECT count(*) FROM ingest_runs WHERE finished_at IS NOT NULL)"
        ).fetchone()


@pytest.fixture(scope="module")
def corpus(tmp_path_factory: pytest.TempPathFactory) -> Path:
    folder = tmp_path_factory.mktemp("corpus") / "records"
    paths = write_records(folder, RECORDS)
    (folder / "broken.jsonl").write_text(BROKEN_FILE, encoding="utf-8")
    assert RECORDS > BATCH_SIZE
    # in one process, so that the runs in this test process reuse its loaded language data
    assert sum(path.stat().st_size for path in paths) < PARALLEL_MIN_BYTES
    return folder


@pytest.fixture(scope="module")
def seed_db(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The database before the large run: it already holds some articles."""
    folder = tmp_path_factory.mktemp("seed")
    write_records(folder / "earlier", 120, first=100_000, seed=5)
    db = folder / "monitor.duckdb"
    ingest([folder / "earlier"], db)
    return db


@pytest.fixture(scope="module")
def reference(seed_db: Path, corpus: Path, tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The large run, uninterrupted."""
    db = tmp_path_factory.mktemp("reference") / "monitor.duckdb"
    shutil.copyfile(seed_db, db)
    assert main(["ingest", str(corpus), "--db", str(db)]) == 1  # broken.jsonl line 2
    return db


@contextmanager
def snapshot_reader(db: Path, folder: Path) -> Iterator[Path]:
    """A separate process opening `db` read-only over and over; yields its log file."""
    stop, log = folder / "stop-reader", folder / "reader.jsonl"
    with open(log, "w", encoding="utf-8") as out:
        reader = subprocess.Popen(
            [sys.executable, "-m", "tests.snapshot_reader", str(db), str(stop)],
            cwd=ROOT,
            stdout=out,
        )
        try:
            yield log
        finally:
            stop.touch()
            reader.wait(timeout=60)


def _looks(log: Path) -> list[dict]:
    """The reader's looks so far (a line still being written is left for later)."""
    lines = log.read_text(encoding="utf-8").split("\n")[:-1]
    return [json.loads(line) for line in lines]


def _wait_until(condition, timeout: float, what: str) -> None:
    deadline = time.monotonic() + timeout
    while not condition():
        if time.monotonic() > deadline:
            pytest.fail(f"timed out waiting for {what}")
        time.sleep(0.02)


def _first_batch_written(db: Path) -> bool:
    """The working copy holds at least one loaded batch (its WAL or file has grown)."""
    work = working_copy_path(db.resolve())
    wal = work.with_name(work.name + ".wal")
    try:
        grown = work.stat().st_size > db.stat().st_size + 64 * 1024
        return grown or wal.stat().st_size > 256 * 1024
    except FileNotFoundError:
        return False


@pytest.mark.slow
def test_sigkill_mid_run_then_restart_equals_an_uninterrupted_run(
    seed_db: Path, corpus: Path, reference: Path, tmp_path: Path
) -> None:
    db = tmp_path / "monitor.duckdb"
    shutil.copyfile(seed_db, db)
    before_bytes, before_counts = _sha1(db), counts(db)
    after_counts = counts(reference)
    assert after_counts == (before_counts[0] + RECORDS + 1, before_counts[1] + 1)

    with snapshot_reader(db, tmp_path) as log:
        command = [sys.executable, "-m", "etl", "ingest", str(corpus), "--db", str(db)]
        with open(tmp_path / "killed-run.log", "w", encoding="utf-8") as output:
            run = subprocess.Popen(command, cwd=ROOT, stdout=output, stderr=output)
        try:
            _wait_until(
                lambda: _first_batch_written(db) or run.poll() is not None,
                timeout=600,
                what="the first batch to be loaded",
            )
            assert run.poll() is None, "the ingest ended before it could be killed"
            run.send_signal(signal.SIGKILL)
        finally:
            run.kill()
            run.wait()
        assert run.returncode == -signal.SIGKILL
        assert _sha1(db) == before_bytes  # the live file never saw the killed run
        assert working_copy_path(db.resolve()).exists()  # it died with work in progress

        assert main(["ingest", str(corpus), "--db", str(db)]) == 1  # the restart
        assert not working_copy_path(db.resolve()).exists()
        _wait_until(
            lambda: after_counts in [(x.get("articles"), x.get("runs")) for x in _looks(log)],
            timeout=60,
            what="the reader to see the published run",
        )

    assert fingerprint(db) == fingerprint(reference)
    looks = _looks(log)
    assert [look for look in looks if "error" in look] == []
    seen = {(look["articles"], look["runs"]) for look in looks}
    assert seen == {before_counts, after_counts}, "a reader saw a partial database"


@pytest.mark.slow
def test_a_rerun_changes_nothing(reference: Path, corpus: Path, tmp_path: Path) -> None:
    db = tmp_path / "monitor.duckdb"
    shutil.copyfile(reference, db)
    before = fingerprint(db)
    summary = ingest([corpus], db)
    assert (summary.counts.inserted, summary.counts.updated) == (0, 0)
    assert summary.counts.unchanged == RECORDS + 1
    assert summary.failed == 1
    after = fingerprint(db)
    for table in ("main.articles", "main.article_countries", "main.article_topics"):
        assert after[table] == before[table], table
    assert after["main.ingest_runs"][0] == before["main.ingest_runs"][0] + 1


def test_after_a_partial_failure_a_rerun_and_a_fix_load_exactly_the_rest(tmp_path: Path) -> None:
    folder = tmp_path / "in"
    write_records(folder, 40, per_file=20, seed=3)
    broken = folder / "late.jsonl"
    broken.write_text(BROKEN_FILE, encoding="utf-8")
    db = tmp_path / "monitor.duckdb"

    first = ingest([folder], db)
    assert (first.counts.inserted, first.failed) == (41, 1)
    rerun = ingest([folder], db)
    assert (rerun.counts.inserted, rerun.counts.updated, rerun.counts.unchanged) == (0, 0, 41)
    assert rerun.failed == 1

    repaired = BROKEN_FILE.replace('"title": broken', '"title": "Repaired", "text": "Now whole."}')
    broken.write_text(repaired, encoding="utf-8")
    fixed = ingest([folder], db)
    assert (fixed.counts.inserted, fixed.counts.unchanged, fixed.failed) == (1, 41, 0)
    with duckdb.connect(str(db), read_only=True) as con:
        assert con.execute("SELECT count(*), count(DISTINCT url) FROM articles").fetchone() == (
            42,
            40,
        )


def test_a_run_that_fails_midway_leaves_no_trace_and_a_rerun_completes(tmp_path: Path) -> None:
    folder = tmp_path / "in"
    write_records(folder, 60, per_file=20, seed=4)
    db = tmp_path / "monitor.duckdb"
    ingest([folder / "records-000000.jsonl"], db)
    before, before_bytes = fingerprint(db), _sha1(db)

    def fail_on_second_file(done: int, total: int) -> None:
        if done == 2:
            raise RuntimeError("simulated failure in the middle of the run")

    with pytest.raises(RuntimeError, match="simulated"):
        ingest([folder], db, progress=fail_on_second_file)
    assert _sha1(db) == before_bytes and fingerprint(db) == before
    summary = ingest([folder], db)
    assert (summary.counts.inserted, summary.counts.unchanged) == (40, 20)


@contextmanager
def small_filesystem(folder: Path, size: str) -> Iterator[Path]:
    """A tmpfs of `size` mounted on `folder` (needs root: CAP_SYS_ADMIN)."""
    folder.mkdir()
    mounted = subprocess.run(
        ["mount", "-t", "tmpfs", "-o", f"size={size}", "tmpfs", str(folder)],
        capture_output=True,
        text=True,
        check=False,
    )
    if mounted.returncode != 0:
        pytest.skip(f"cannot mount a small filesystem here: {mounted.stderr.strip()}")
    try:
        yield folder
    finally:
        subprocess.run(["umount", "-l", str(folder)], check=False)


def _assert_intact(db: Path, before_bytes: str, before: dict) -> None:
    assert _sha1(db) == before_bytes
    assert fingerprint(db) == before
    assert not working_copy_path(db.resolve()).exists()


@pytest.mark.parametrize(
    "room",
    [
        pytest.param("copy", id="copy-does-not-fit"),
        pytest.param("load", id="new-rows-do-not-fit"),
    ],
)
def test_a_full_disk_gives_a_clear_message_and_no_corrupt_database(
    seed_db: Path, tmp_path: Path, capsys: pytest.CaptureFixture, room: str
) -> None:
    size = seed_db.stat().st_size
    space = size + size // 2 if room == "copy" else 2 * size + 128 * 1024
    inputs = tmp_path / "inputs"
    write_records(inputs, 600, first=200_000, seed=9)
    with small_filesystem(tmp_path / "disk", str(space)) as disk:
        db = disk / "monitor.duckdb"
        shutil.copyfile(seed_db, db)
        before, before_bytes = fingerprint(db), _sha1(db)
        code = main(["ingest", str(inputs), "--db", str(db)])
        err = capsys.readouterr().err
        assert code == 1
        assert "is full; free some space and run again" in err
        assert "Traceback" not in err
        _assert_intact(db, before_bytes, before)


def test_a_read_only_data_folder_gives_a_clear_message(
    seed_db: Path, tmp_path: Path, capsys: pytest.CaptureFixture
) -> None:
    inputs = tmp_path / "inputs"
    write_records(inputs, 20, first=300_000)
    with small_filesystem(tmp_path / "data", str(4 * seed_db.stat().st_size)) as data:
        db = data / "monitor.duckdb"
        shutil.copyfile(seed_db, db)
        before, before_bytes = fingerprint(db), _sha1(db)
        subprocess.run(["mount", "-o", "remount,ro", str(data)], check=True)
        code = main(["ingest", str(inputs), "--db", str(db)])
        err = capsys.readouterr().err
        assert code == 1
        assert "read-only" in err.lower() and str(data) in err
        assert "Traceback" not in err
        _assert_intact(db, before_bytes, before)
        assert os.listdir(data) == ["monitor.duckdb"]
