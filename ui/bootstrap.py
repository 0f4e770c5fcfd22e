"""First start: with no database yet, build the demo corpus and show its progress.

The build is `python -m etl demo` in a process of its own, watched by a background thread
of the server, not by a page run: closing or reloading the tab neither stops nor restarts
it, and every session watches the same build. A process of its own, because the ETL's worker
pool must not start from inside the server: its workers would import the page script that
Streamlit runs as `__main__`.
"""

from __future__ import annotations

import re
import subprocess
import sys
import tempfile
import threading
from dataclasses import dataclass
from pathlib import Path

import streamlit as st

from analytics.database import being_built, database_path, database_version

POLL_SECONDS = 1.0
PROJECT_ROOT = Path(__file__).resolve().parent.parent
PROGRESS_LINE = re.compile(r"progress (\d+) (\d+)")


@dataclass
class DemoBuild:
    done: int = 0
    total: int = 0
    error: str | None = None


_lock = threading.Lock()
_builds: dict[Path, DemoBuild] = {}


def _build(path: Path, build: DemoBuild) -> None:
    command = [sys.executable, "-m", "etl", "demo", "--db", str(path.resolve()), "--progress"]
    with tempfile.TemporaryFile("w+", encoding="utf-8") as messages:
        with subprocess.Popen(
            command, cwd=PROJECT_ROOT, stdout=subprocess.PIPE, stderr=messages, text=True
        ) as process:
            for line in process.stdout:
                if progress := PROGRESS_LINE.fullmatch(line.strip()):
                    build.done, build.total = int(progress[1]), int(progress[2])
        if database_version(path) is None:
            messages.seek(0)
            errors = [line.removeprefix("error: ") for line in messages.read().splitlines()]
            stopped = f"the build stopped (exit code {process.returncode})"
            build.error = errors[-1] if errors else stopped


def _start(path: Path) -> DemoBuild:
    """The demo build for this database file, started now unless one is under way."""
    with _lock:
        build = _builds.get(path)
        if build is None or build.error:
            build = _builds[path] = DemoBuild()
            threading.Thread(target=_build, args=(path, build), daemon=True).start()
        return build


def database_ready() -> bool:
    """True when a database exists; otherwise show (and start) its build and return False."""
    path = database_path()
    if database_version(path) is not None:
        return True
    st.title("📰 Media Monitor")
    if being_built(path) and path not in _builds:
        st.info("An ingest is building the database right now; this page opens when it is done.")
        _watch(path, None)
        return False
    st.write(
        f"There is no database at `{path}` yet, so Media Monitor is building its **demo "
        "corpus**: synthetic articles in several languages, run through the real ETL. "
        "To monitor your own sources, run `python -m etl ingest PATH...`."
    )
    _watch(path, _start(path))
    return False


@st.fragment(run_every=POLL_SECONDS)
def _watch(path: Path, build: DemoBuild | None) -> None:
    if database_version(path) is not None:
        st.rerun(scope="app")
    if build is None:
        return
    if build.error:
        st.error(f"The demo corpus could not be built: {build.error}")
        if st.button("Try again"):
            _start(path)
    elif build.total:
        st.progress(
            build.done / build.total,
            text=f"Ingesting the demo corpus: {build.done:,} of {build.total:,} files",
        )
    else:
        st.progress(0.0, text="Writing the demo articles…")
