"""First start: with no database yet, build the demo corpus and show its progress.

The build runs in a background thread of the server, not in a page run: closing or
reloading the tab neither stops nor restarts it, and every session watches the same build.
"""

from __future__ import annotations

import threading
from dataclasses import dataclass
from pathlib import Path

import streamlit as st

from analytics.database import being_built, database_path, database_version
from etl.store import StoreError

POLL_SECONDS = 1.0


@dataclass
class DemoBuild:
    done: int = 0
    total: int = 0
    error: str | None = None
    finished: bool = False

    def progress(self, done: int, total: int) -> None:
        self.done, self.total = done, total


_lock = threading.Lock()
_builds: dict[Path, DemoBuild] = {}


def _build(path: Path, build: DemoBuild) -> None:
    # The ETL (with its language models) is imported only when a build is needed.
    from etl.demo import build_demo
    from etl.pipeline import UsageError

    try:
        build_demo(path, progress=build.progress)
    except (StoreError, UsageError) as error:
        build.error = str(error)
    finally:
        build.finished = True


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
