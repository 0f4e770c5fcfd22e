"""Read-only access to one published snapshot of the database file.

The ETL publishes by atomically renaming a finished working copy over the live file, so the
file's identity (inode + modification time) is the database's version: a new version means
a new file to open, and an open snapshot stays valid (and unchanged) until it is dropped.

A snapshot is attached read-only to a private in-memory DuckDB instance rather than opened
with `duckdb.connect(path)`: DuckDB caches instances by path within a process, and that
cache would keep serving the replaced file. Every query runs on its own cursor, because a
DuckDB connection must not be shared between threads (Streamlit sessions).

A costly part that many queries share (the matches of a text search, the articles of a
selection's topics and countries) can be computed once per snapshot: a statement's
parameters may hold a `Materialized` value, and the snapshot then stores its result as a
table of the private in-memory database (never the file) before the statement runs. The
table is named from a hash of its SQL and values, so no text a user typed ever becomes part
of a name, and only the most recently used few are kept. A stored result may itself read
stored results (a selection reads a search's matches).
"""

from __future__ import annotations

import hashlib
import json
import os
import re
import threading
from collections import Counter, OrderedDict
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

import duckdb
import pandas as pd

DEFAULT_PATH = Path("data/monitor.duckdb")
CATALOG = "monitor"
REQUIRED_TABLES = (
    "article_search",
    "articles",
    "article_countries",
    "article_topics",
    "topics",
    "ingest_runs",
    "ingest_errors",
    # written by every ingest since schema version 5 (etl/summaries.py)
    "article_facts",
    "topic_facts",
    "country_facts",
    "facet_counts",
    "facet_pairs",
    "corpus_counts",
)
SEARCH_SCHEMA = "fts_main_article_search"  # built by every ingest (etl/search_index.py)
_PARAMETER = re.compile(r"\$([A-Za-z_]\w*)")
SCRATCH = "memory"  # the private in-memory database: the only one the snapshot writes to
MAX_MATERIALIZED = 16  # tables kept per snapshot; the least recently used go first
# ... and rows: a stored selection costs about 80 bytes a row (a 650,000-article selection
# of a 1M corpus: 50 MB), so this keeps them within about 250 MB of the process's memory.
MAX_MATERIALIZED_ROWS = 3_000_000
_MATERIALIZED_NAME = re.compile(r"[a-z]+_[0-9a-f]{32}")


class DatabaseUnavailable(Exception):
    """The database cannot be read now; the message tells the user why and what to do."""


@dataclass(frozen=True)
class Version:
    inode: int
    mtime_ns: int
    size: int


@dataclass(frozen=True, eq=False)
class Materialized:
    """A result stored once per snapshot: `select` (SQL over the snapshot, its `$name` values
    in `params`) becomes the table `table`, which a statement reads in its stead.

    Made by `materialized()`, which names the table from a hash of the SQL and its values.
    """

    table: str  # qualified: SCRATCH.main.<name>
    select: str
    params: dict[str, object]


def materialized(kind: str, select: str, params: dict[str, object]) -> Materialized:
    """`select` stored as a table named `<kind>_<hash of select and params>`."""
    if not re.fullmatch(r"[a-z]+", kind):
        raise ValueError(f"not a table kind: {kind!r}")
    identity = json.dumps([select, sorted(params.items())], ensure_ascii=False, default=str)
    digest = hashlib.sha256(identity.encode()).hexdigest()[:32]
    return Materialized(f"{SCRATCH}.main.{kind}_{digest}", select, dict(params))


def database_path() -> Path:
    """The database file: `$MONITOR_DB`, else data/monitor.duckdb."""
    return Path(os.environ.get("MONITOR_DB") or DEFAULT_PATH)


def database_version(path: Path) -> Version | None:
    """The identity of the file now at `path`; None when there is no file."""
    try:
        stat = path.stat()
    except FileNotFoundError:
        return None
    return Version(stat.st_ino, stat.st_mtime_ns, stat.st_size)


def being_built(path: Path) -> bool:
    """Whether an ingest is writing the first version of the database right now."""
    return path.with_name(path.name + ".ingest").exists()


class Database:
    """One snapshot of the database, opened read-only."""

    def __init__(self, path: Path) -> None:
        self.path = Path(path)
        self.version = database_version(self.path)
        if self.version is None:
            if being_built(self.path):
                raise DatabaseUnavailable(
                    "The database is being built right now. This page will show it as soon "
                    "as the first ingest finishes."
                )
            raise DatabaseUnavailable(
                f"There is no database at {self.path}. Build one with "
                "`python -m etl ingest PATH...` or `python -m etl demo`."
            )
        self._con = duckdb.connect(":memory:")
        # ATTACH takes no bound parameters; the path comes from configuration, never a user.
        quoted = str(self.path.resolve()).replace("'", "''")
        try:
            self._con.execute(f"ATTACH '{quoted}' AS {CATALOG} (READ_ONLY)")
        except duckdb.Error as error:
            self._con.close()
            raise DatabaseUnavailable(
                f"The file {self.path} cannot be read as a Media Monitor database "
                f"({error}). Rebuild it with `python -m etl ingest` or point MONITOR_DB "
                "at another file."
            ) from error
        tables = self._tables()
        missing = set(REQUIRED_TABLES) - {name for _, name in tables}
        if not missing and (SEARCH_SCHEMA, "terms") not in tables:
            missing = {f"{SEARCH_SCHEMA}.terms (the search index)"}
        if missing:
            self._con.close()
            raise DatabaseUnavailable(
                f"The file {self.path} lacks what the dashboard reads ({', '.join(sorted(missing))}"
                "). An ingest adds it: run `python -m etl ingest` on this database."
            )
        # From here on the connection can touch no other file (no COPY TO, ATTACH, read_text)
        # and no query can switch that back on.
        self._con.execute("SET enable_external_access = false")
        self._con.execute("SET lock_configuration = true")
        self._lock = threading.Lock()
        self._stored: OrderedDict[str, threading.Event] = OrderedDict()  # set once built
        self._in_use: Counter[str] = Counter()
        self._rows: Counter[str] = Counter()  # of each stored table

    def _tables(self) -> set[tuple[str, str]]:
        rows = self._con.execute(
            "SELECT table_schema, table_name FROM information_schema.tables "
            "WHERE table_catalog = ?",
            [CATALOG],
        ).fetchall()
        return set(rows)

    def _cursor(self) -> duckdb.DuckDBPyConnection:
        cursor = self._con.cursor()
        cursor.execute(f"USE {CATALOG}")
        return cursor

    @staticmethod
    def _used(sql: str, params: dict | None) -> dict:
        """Only the values the statement names (DuckDB rejects extra ones)."""
        names = set(_PARAMETER.findall(sql))
        return {
            name: value
            for name, value in (params or {}).items()
            if name in names and not isinstance(value, Materialized)
        }

    @contextmanager
    def _tables_for(self, params: dict | None) -> Iterator[None]:
        """The tables of the `Materialized` values among `params` exist until the block ends."""
        needed = {
            value.table: value
            for value in (params or {}).values()
            if isinstance(value, Materialized)
        }
        stored = []
        try:
            for result in needed.values():
                self._store(result)
                stored.append(result.table)
            yield
        finally:
            if stored:
                with self._lock:
                    self._in_use.subtract(stored)
                    self._evict()

    def _store(self, result: Materialized) -> None:
        """Build the table once (other threads wait for it) and mark it in use."""
        name = result.table.removeprefix(f"{SCRATCH}.main.")
        if not _MATERIALIZED_NAME.fullmatch(name):
            raise ValueError(f"not a materialized table name: {result.table!r}")
        with self._lock:
            built = self._stored.get(result.table)
            owner = built is None
            if owner:
                built = self._stored[result.table] = threading.Event()
            self._stored.move_to_end(result.table)
            self._in_use[result.table] += 1
        if owner:
            cursor = self._cursor()
            try:
                with self._tables_for(result.params):  # the stored results it reads
                    (rows,) = cursor.execute(
                        f"CREATE TABLE {result.table} AS {result.select}",
                        self._used(result.select, result.params),
                    ).fetchone()  # the number of rows stored
            except BaseException:
                with self._lock:
                    del self._stored[result.table]
                    self._in_use[result.table] -= 1
                built.set()
                raise
            finally:
                cursor.close()
            with self._lock:
                self._rows[result.table] = rows
            built.set()
        else:
            built.wait()
            with self._lock:
                failed = result.table not in self._stored
            if failed:  # the builder failed: try again here, raising its error if it recurs
                with self._lock:
                    self._in_use[result.table] -= 1
                self._store(result)

    def _evict(self) -> None:
        """Drop the least recently used tables that no query reads while more than
        MAX_MATERIALIZED tables or MAX_MATERIALIZED_ROWS rows are kept.

        Called with the lock held; a table being built is in use."""
        idle = [table for table in self._stored if self._in_use[table] <= 0]
        for table in idle:
            over_rows = sum(self._rows.values()) > MAX_MATERIALIZED_ROWS
            if len(self._stored) <= MAX_MATERIALIZED and not over_rows:
                break
            del self._stored[table]
            del self._in_use[table]
            self._rows.pop(table, None)
            cursor = self._con.cursor()
            try:
                cursor.execute(f"DROP TABLE IF EXISTS {table}")
            finally:
                cursor.close()

    def materialized_tables(self) -> list[str]:
        """The qualified names of the stored results, least recently used first."""
        with self._lock:
            return list(self._stored)

    def _fetch(self, sql: str, params: dict | None, fetch: Callable):
        """Run a statement on a cursor of its own and return `fetch(executed cursor)`."""
        with self._tables_for(params):
            cursor = self._cursor()
            try:
                return fetch(cursor.execute(sql, self._used(sql, params)))
            finally:
                cursor.close()

    def frame(self, sql: str, params: dict | None = None) -> pd.DataFrame:
        return self._fetch(sql, params, duckdb.DuckDBPyConnection.df)

    def rows(self, sql: str, params: dict | None = None) -> list[tuple]:
        return self._fetch(sql, params, duckdb.DuckDBPyConnection.fetchall)

    def value(self, sql: str, params: dict | None = None):
        rows = self.rows(sql, params)
        return rows[0][0] if rows else None

    def stream(
        self, sql: str, params: dict | None = None, batch_rows: int = 5_000
    ) -> tuple[list[str], Iterator[list[tuple]]]:
        """The column names and the result in batches of rows, never all held at once."""
        tables = self._tables_for(params)
        tables.__enter__()  # left when the last batch is read (or the batches are dropped)
        cursor = self._cursor()
        try:
            cursor.execute(sql, self._used(sql, params))
        except BaseException:
            cursor.close()
            tables.__exit__(None, None, None)
            raise
        columns = [column[0] for column in cursor.description]

        def batches() -> Iterator[list[tuple]]:
            try:
                while batch := cursor.fetchmany(batch_rows):
                    yield batch
            finally:
                cursor.close()
                tables.__exit__(None, None, None)

        return columns, batches()
