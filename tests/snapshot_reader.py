"""A dashboard-like reader for the fault tests: `python -m tests.snapshot_reader DB STOP_FILE`.

Until STOP_FILE exists it opens the live database read-only again and again, alternately as the
dashboard does (`analytics.database.Database`) and with a plain read-only DuckDB connection,
and prints one JSON line per look: the article and finished-run counts it saw, or the error it
met. A consistent snapshot shows the counts from before an ingest or from after it, nothing
in between, and never an error.
"""

from __future__ import annotations

import json
import sys
import time
from pathlib import Path

import duckdb

from analytics.database import Database

COUNTS = (
    "SELECT (SELECT count(*) FROM articles), "
    "(SELECT count(*) FROM ingest_runs WHERE finished_at IS NOT NULL)"
)


def look(db_path: Path, number: int) -> dict:
    try:
        if number % 2:
            with duckdb.connect(str(db_path), read_only=True) as con:
                articles, runs = con.execute(COUNTS).fetchone()
        else:
            articles, runs = Database(db_path).rows(COUNTS)[0]
    except Exception as error:  # every failure is what the test wants to hear about
        return {"error": f"{type(error).__name__}: {error}"}
    return {"articles": articles, "runs": runs}


def main(db_path: Path, stop_file: Path) -> None:
    number = 0
    while not stop_file.exists():
        sys.stdout.write(json.dumps(look(db_path, number)) + "\n")
        sys.stdout.flush()
        number += 1
        time.sleep(0.02)


if __name__ == "__main__":
    main(Path(sys.argv[1]), Path(sys.argv[2]))
