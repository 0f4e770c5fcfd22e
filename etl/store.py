"""Publishing the database: an ingest writes a working copy and swaps it in when it is done.

Readers (the dashboard) open the live file read-only. An ingest copies the live file to
`NAME.ingest`, writes there, rebuilds what the dashboard reads (`etl.summaries`),
checkpoints, and atomically renames the copy over the live file. Readers therefore never
meet a write lock or a half-written run: they see the old snapshot until the rename and the
new one after it. A crash (even SIGKILL) leaves the live file untouched and a stale working
copy that the next ingest discards. A lock file keeps two ingests from working on the same
database at once.
"""

from __future__ import annotations

import fcntl
import os
import shutil
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import IO

import duckdb

from etl.schema import migrate
from etl.summaries import refresh_summaries


class StoreError(Exception):
    """The database cannot be written; the message says why and what to do."""


def working_copy_path(db_path: Path) -> Path:
    return db_path.with_name(db_path.name + ".ingest")


def _remove(path: Path) -> None:
    for stale in (path, path.with_name(path.name + ".wal")):
        stale.unlink(missing_ok=True)


def _fsync(path: Path) -> None:
    descriptor = os.open(path, os.O_RDONLY)
    try:
        os.fsync(descriptor)
    finally:
        os.close(descriptor)


def _acquire_lock(db_path: Path) -> IO:
    """An open lock file held exclusively until it is closed."""
    handle = open(db_path.with_name(db_path.name + ".lock"), "a")  # noqa: SIM115 (held open)
    try:
        fcntl.flock(handle, fcntl.LOCK_EX | fcntl.LOCK_NB)
    except BlockingIOError:
        handle.close()
        raise StoreError(
            f"another ingest is writing {db_path}; wait for it to finish and run again"
        ) from None
    return handle


def _explain(error: BaseException, db_path: Path) -> StoreError:
    text = str(error)
    lowered = text.lower()
    errno = getattr(error, "errno", None)
    if (
        isinstance(error, PermissionError)
        or errno == 30
        or "permission denied" in lowered
        or ("read-only" in lowered)
    ):
        return StoreError(
            f"cannot write to {db_path.parent}: the folder is read-only or not yours "
            "(choose another place with --db or MONITOR_DB)"
        )
    if errno == 28 or "no space left" in lowered or "could not write" in lowered:
        return StoreError(
            f"the disk holding {db_path.parent} is full; free some space and run again "
            "(the existing database was not changed)"
        )
    return StoreError(f"cannot write the database {db_path}: {text}")


@contextmanager
def writable_snapshot(db_path: Path) -> Iterator[duckdb.DuckDBPyConnection]:
    """A read-write connection to a working copy of the database, published on success."""
    db_path = db_path.resolve()
    work = working_copy_path(db_path)
    try:
        db_path.parent.mkdir(parents=True, exist_ok=True)
        lock = _acquire_lock(db_path)
    except OSError as error:
        raise _explain(error, db_path) from error
    try:
        _remove(work)
        if db_path.exists():
            shutil.copyfile(db_path, work)
        con = duckdb.connect(str(work))
        try:
            migrate(con)
            yield con
            refresh_summaries(con)
            con.execute("CHECKPOINT")
        finally:
            con.close()
        _fsync(work)
        os.replace(work, db_path)
        _fsync(db_path.parent)
    except (OSError, duckdb.Error) as error:
        _remove(work)
        raise _explain(error, db_path) from error
    except BaseException:
        _remove(work)
        raise
    finally:
        lock.close()
