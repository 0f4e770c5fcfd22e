"""The ingest run: files → read → enrich (in worker processes) → dedup + load (in batches).

Parsing, tagging and the per-article halves of dedup and search (shingles and LSH bands,
lemma tokens) are CPU-bound and independent per file, so they run in a process pool (one
worker per core); the loader stays in the main process, the only one that writes, and only
compares keys and writes rows.
"""

from __future__ import annotations

import multiprocessing
import os
import uuid
from collections.abc import Callable, Iterable, Iterator
from concurrent.futures import ProcessPoolExecutor
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path

import duckdb
from tqdm import tqdm

from etl.dedup import RecentTexts, article_keys
from etl.enrich import enrich
from etl.enrich.topics import topic_labels
from etl.load import BatchCounts, load_batch, record_errors
from etl.readers import read_file
from etl.record import Article, IngestError
from etl.search_index import analyze_article, update_search_index
from etl.store import writable_snapshot

BATCH_SIZE = 2_000
PARALLEL_MIN_BYTES = 2_000_000  # below this, worker start-up costs more than it saves
MAX_REPORTED_ERRORS = 20
# DuckDB's share of the machine's memory in the loader. Its default, 80%, leaves too little
# for the workers beside it: the full-text index build of a large run (15 GB at 1M articles)
# could exhaust a laptop. Beyond this share DuckDB spills to a folder beside the database.
DUCKDB_MEMORY_SHARE = 0.4

Progress = Callable[[int, int], None]
Task = tuple[Path, str, str | None, str]  # file, format, source, run id

# Word forms this process has already reported to the loader, for the current run only.
_reported_forms: dict[str, set[tuple[str, str]]] = {}


class UsageError(Exception):
    """The command was asked for something impossible (a path that does not exist...)."""


@dataclass
class RunSummary:
    run_id: str
    files: int = 0
    counts: BatchCounts = field(default_factory=BatchCounts)
    failed: int = 0
    warnings: int = 0
    first_errors: list[IngestError] = field(default_factory=list)


def collect_files(paths: Iterable[Path]) -> list[Path]:
    """Input files under the given paths (folders recursively). Hidden files are skipped, and
    so are the `NAME_files/` asset folders that browsers write beside a saved page."""
    files: list[Path] = []
    for path in paths:
        if not path.exists():
            raise UsageError(f"{path}: no such file or folder")
        if path.is_dir():
            found = (
                candidate
                for candidate in sorted(path.rglob("*"))
                if candidate.is_file()
                and not any(
                    part.startswith(".") or part.endswith("_files")
                    for part in candidate.relative_to(path).parent.parts
                )
                and not candidate.name.startswith(".")
            )
            files.extend(found)
        else:
            files.append(path)
    return [file for file in files if ".duckdb" not in file.name]


def process_file(task: Task) -> list[Article | IngestError]:
    """Read, tag and key every article of one file. Runs in a worker process."""
    path, fmt, source, run_id = task
    if run_id not in _reported_forms:
        _reported_forms.clear()
        _reported_forms[run_id] = set()
    results: list[Article | IngestError] = []
    try:
        for item in read_file(path, fmt, source):
            if isinstance(item, Article):
                enrich(item)
                item.dedup_keys = article_keys(item)
                item.analysis = analyze_article(
                    item.title, item.body, item.language, _reported_forms[run_id]
                )
                item.hashed = item.content_hash()
                if item.date_problem:
                    within = item.origin.removeprefix(str(path))
                    if within.startswith(":"):
                        location = f"line {within[1:]}"
                    else:
                        location = f"item {within[1:]}" if within.startswith("#") else ""
                    message = f"kept without a date: {item.date_problem}"
                    results.append(IngestError(str(path), location, message, "warning"))
            results.append(item)
    except Exception as error:  # a bug must not end the run; the file is reported instead
        message = f"internal error: {type(error).__name__}: {error}"
        results.append(IngestError(str(path), "", message))
    return results


def _processed(tasks: list[Task]) -> Iterator[list[Article | IngestError]]:
    total_bytes = sum(task[0].stat().st_size for task in tasks)
    workers = os.cpu_count() or 1
    if workers == 1 or len(tasks) == 1 or total_bytes < PARALLEL_MIN_BYTES:
        yield from map(process_file, tasks)
        return
    # forkserver: workers start from a clean process, never a copy of a threaded server.
    context = multiprocessing.get_context("forkserver")
    with ProcessPoolExecutor(workers, mp_context=context) as pool:
        yield from pool.map(process_file, tasks, chunksize=4)


def _limit_memory(con: duckdb.DuckDBPyConnection) -> None:
    try:
        memory = os.sysconf("SC_PAGE_SIZE") * os.sysconf("SC_PHYS_PAGES")
    except (AttributeError, ValueError, OSError):  # not told here: DuckDB's own default
        return
    con.execute("SET memory_limit = ?", [f"{memory * DUCKDB_MEMORY_SHARE / 2**20:.0f}MB"])


def _start_run(con: duckdb.DuckDBPyConnection, run_id: str, paths: list[Path]) -> None:
    con.execute(
        "INSERT INTO ingest_runs (run_id, started_at, inputs) VALUES (?, ?, ?)",
        [run_id, datetime.now(UTC).replace(tzinfo=None), [str(p.resolve()) for p in paths]],
    )


def _finish_run(con: duckdb.DuckDBPyConnection, summary: RunSummary) -> None:
    con.execute(
        "UPDATE ingest_runs SET finished_at = ?, files = ?, inserted = ?, updated = ?, "
        "unchanged = ?, failed = ? WHERE run_id = ?",
        [
            datetime.now(UTC).replace(tzinfo=None),
            summary.files,
            summary.counts.inserted,
            summary.counts.updated,
            summary.counts.unchanged,
            summary.failed,
            summary.run_id,
        ],
    )


def ingest(
    paths: Iterable[Path],
    db_path: Path,
    fmt: str = "auto",
    source: str | None = None,
    progress: Progress | None = None,
) -> RunSummary:
    """Ingest files and folders into the database and publish it; returns the run's summary."""
    paths = [Path(p) for p in paths]
    files = collect_files(paths)
    summary = RunSummary(run_id=uuid.uuid4().hex[:12], files=len(files))
    tasks = [(file, fmt, source, summary.run_id) for file in files]
    recent = RecentTexts()
    with writable_snapshot(Path(db_path)) as con:
        # DuckDB checkpoints whenever its log passes 16 MB by default, which on a large run
        # rewrites the growing tables again and again; a checkpoint per GB is enough.
        con.execute("SET checkpoint_threshold = '1GB'")
        _limit_memory(con)
        _start_run(con, summary.run_id, paths)
        batch: list[Article] = []
        errors: list[IngestError] = []
        bar = tqdm(total=len(files), unit="file", desc="ingest", disable=None, leave=False)
        for done, results in enumerate(_processed(tasks), start=1):
            for item in results:
                if isinstance(item, Article):
                    batch.append(item)
                else:
                    errors.append(item)
            if len(batch) >= BATCH_SIZE or done == len(tasks):
                summary.counts.add(load_batch(con, batch, recent))
                _record(con, summary, errors)
                batch, errors = [], []
            bar.update()
            if progress:
                progress(done, len(files))
        bar.close()
        _store_topic_labels(con)
        update_search_index(con)
        _finish_run(con, summary)
    return summary


def _store_topic_labels(con: duckdb.DuckDBPyConnection) -> None:
    """The `topics` table mirrors the topic rule files (labels may have been edited)."""
    labels = topic_labels()
    con.execute("DELETE FROM topics")
    con.executemany("INSERT INTO topics VALUES (?, ?)", list(labels.items()))


def _record(con: duckdb.DuckDBPyConnection, summary: RunSummary, errors: list[IngestError]) -> None:
    record_errors(con, summary.run_id, errors)
    for error in errors:
        if error.severity == "warning":
            summary.warnings += 1
            continue
        summary.failed += 1
        if len(summary.first_errors) < MAX_REPORTED_ERRORS:
            summary.first_errors.append(error)
