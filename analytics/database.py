"""Read-only access to one published snapshot of the database file.

The ETL publishes by atomically renaming a finished working copy over the live file, so the
file's identity (inode + modification time) is the database's version: a new version means
a new file to open, and an open snapshot stays valid (and unchanged) until it is dropped.

A snapshot is attached read-only to a private in-memory DuckDB instance rather than opened
with `duckdb.connect(path)`: DuckDB caches instances by path within a process, and that
cache would keep serving the replaced file. Every query runs on its own cursor, because a
DuckDB connection must not be shared between threads (Streamlit sessions).
"""

from __future__ import annotations

import os
import re
from collections.abc import Iterator
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


class DatabaseUnavailable(Exception):
    """The database cannot be read now; the message tells the user why and what to do."""


@dataclass(frozen=True)
class Version:
    inode: int
    mtime_ns: int
    size: int


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
        """Only the parameters the statement names (DuckDB rejects extra ones)."""
        names = set(_PARAMETER.findall(sql))
        return {name: value for name, value in (params or {}).items() if name in names}

    def frame(self, sql: str, params: dict | None = None) -> pd.DataFrame:
        cursor = self._cursor()
        try:
            return cursor.execute(sql, self._used(sql, params)).df()
        finally:
            cursor.close()

    def rows(self, sql: str, params: dict | None = None) -> list[tuple]:
        cursor = self._cursor()
        try:
            return cursor.execute(sql, self._used(sql, params)).fetchall()
        finally:
            cursor.close()

    def value(self, sql: str, params: dict | None = None):
        rows = self.rows(sql, params)
        return rows[0][0] if rows else None

    def stream(
        self, sql: str, params: dict | None = None, batch_rows: int = 5_000
    ) -> tuple[list[str], Iterator[list[tuple]]]:
        """The column names and the result in batches of rows, never all held at once."""
        cursor = self._cursor()
        cursor.execute(sql, self._used(sql, params))
        columns = [column[0] for column in cursor.description]

        def batches() -> Iterator[list[tuple]]:
            try:
                while batch := cursor.fetchmany(batch_rows):
                    yield batch
            finally:
                cursor.close()

        return columns, batches()
