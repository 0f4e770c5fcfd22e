"""The first start of `./start`: no database yet, so the dashboard builds the demo corpus
with the real ETL, shows its progress, then opens on it."""

from __future__ import annotations

import re

import duckdb
import pytest

from etl.demo import DEFAULT_ARTICLES, MARKER
from tests.e2e.conftest import Tab, start_server, stop_server

BUILD_MS = 600_000  # the whole demo ingest, on a loaded 2-core machine


@pytest.fixture
def first_start(tmp_path, browser_context, screenshots):
    """A server over a data folder with no database in it, and a tab on it."""
    database = tmp_path / "data" / "monitor.duckdb"
    database.parent.mkdir()
    log_path = tmp_path / "streamlit.log"
    process, url = start_server(database, log_path)
    tab = Tab(browser_context.new_page(), url, screenshots)
    yield tab, database, log_path
    tab.page.close()
    stop_server(process)


def test_the_first_start_builds_the_demo_corpus_and_opens_on_it(first_start) -> None:
    tab, database, log_path = first_start
    tab.page.goto(tab.base_url + "/")

    tab.page.get_by_text("demo corpus", exact=False).first.wait_for()
    progress = re.compile(r"Ingesting the demo corpus: [\d,]+ of [\d,]+ files")
    tab.page.get_by_text(progress).wait_for(timeout=BUILD_MS)
    tab.page.get_by_role("heading", level=1).filter(has_text="Overview").wait_for(timeout=BUILD_MS)
    # The switch to the Overview is a rerun asked for by the build's polling fragment; its
    # timer can mark the app "not running" while the Overview's first run is still drawing
    # (seen in the browser: the heading, "notRunning", then the metrics 2 s later). So wait
    # for the metrics themselves before settling.
    tab.page.get_by_test_id("stMetricLabel").filter(has_text="Placements").wait_for()
    tab.settle()

    labels = tab.page.get_by_test_id("stMetricLabel").all_inner_texts()
    values = tab.page.get_by_test_id("stMetricValue").all_inner_texts()
    assert dict(zip(labels, values, strict=True))["Placements"] == f"{DEFAULT_ARTICLES:,}"
    tab.screenshot("first-start-overview")
    tab.assert_healthy()

    # One build, of the corpus written beside the database; no page script was run by the
    # ETL's worker processes (they would warn that they run outside Streamlit).
    assert (database.parent / "demo" / MARKER).is_file()
    with duckdb.connect(str(database), read_only=True) as con:
        assert con.execute("SELECT count(*) FROM ingest_runs").fetchone() == (1,)
    assert "ScriptRunContext" not in log_path.read_text(encoding="utf-8", errors="replace")
