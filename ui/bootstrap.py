"""First start: with no database yet, build the demo corpus, showing its progress."""

from __future__ import annotations

import threading

import streamlit as st

from analytics.database import being_built, database_path, database_version
from etl.store import StoreError

_BUILDING = threading.Lock()  # one demo build per server process, whatever the sessions


def database_ready() -> bool:
    """True when a database exists; otherwise build the demo (or explain) and return False."""
    path = database_path()
    if database_version(path) is not None:
        return True
    st.title("📰 Media Monitor")
    if being_built(path) or not _BUILDING.acquire(blocking=False):
        st.info("The database is being built right now. Reload this page in a minute.")
        st.button("Check again")
        return False
    try:
        _build_demo(path)
    finally:
        _BUILDING.release()
    st.rerun()
    return False


def _build_demo(path) -> None:
    from etl.demo import build_demo  # the ETL (and its language models) loads only if needed

    st.write(
        f"There is no database at `{path}` yet, so Media Monitor is building its **demo "
        "corpus**: synthetic articles in several languages, run through the real ETL. "
        "To monitor your own sources, run `python -m etl ingest PATH...`."
    )
    bar = st.progress(0.0, text="Preparing the demo corpus…")

    def progress(done: int, total: int) -> None:
        bar.progress(done / max(total, 1), text=f"Building the demo corpus: {done} of {total}")

    try:
        build_demo(path, progress=progress)
    except StoreError as error:
        st.error(f"The demo corpus could not be built: {error}")
        st.stop()
