"""Ingest while the dashboard is serving: the real Streamlit server and a headless Chromium
read the database over and over while a large ingest publishes a new version of it. Every
page loads without an error and shows either the old corpus or the new one, never a mix; once
the ingest is done the new articles appear without a restart."""

from __future__ import annotations

import os
import re
import signal
import socket
import subprocess
import sys
import threading
import time
import urllib.request
from collections.abc import Iterator
from pathlib import Path

import pytest

from etl.pipeline import RunSummary, ingest
from tests.bulk_records import write_records
from tests.chromium import chromium_context

ROOT = Path(__file__).resolve().parents[1]
PAGES = ["/"] + [  # every page of the app (the overview is the default page, at "/")
    f"/{view.stem}" for view in sorted((ROOT / "views").glob("*.py")) if view.stem != "overview"
]
SEED_RECORDS, NEW_RECORDS = 200, 2_400
WAIT_MS = 90_000
PROBLEMS = (
    "[data-testid='stException'], [data-testid='stAlertContentError'], "
    "[data-testid='stAlertContentWarning']"
)
ARTICLE_COUNT = re.compile(r"([\d,]+) articles in the database")

pytestmark = [pytest.mark.browser, pytest.mark.slow]


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def _health(url: str) -> int:
    with urllib.request.urlopen(f"{url}/_stcore/health", timeout=10) as answer:
        return answer.status


@pytest.fixture(scope="module")
def database(tmp_path_factory: pytest.TempPathFactory) -> Path:
    folder = tmp_path_factory.mktemp("serving")
    write_records(folder / "earlier", SEED_RECORDS, first=500_000, seed=21)
    db = folder / "monitor.duckdb"
    ingest([folder / "earlier"], db)
    return db


@pytest.fixture(scope="module")
def server(database: Path, tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    """`streamlit run dashboard.py` on a free localhost port, stopped by its PID afterwards."""
    port = _free_port()
    url = f"http://127.0.0.1:{port}"
    log = tmp_path_factory.mktemp("server-log") / "streamlit.log"
    environment = {**os.environ, "MONITOR_DB": str(database)}
    command = [sys.executable, "-m", "streamlit", "run", "dashboard.py"]
    command += ["--server.headless", "true", "--server.address", "127.0.0.1"]
    command += ["--server.port", str(port), "--browser.gatherUsageStats", "false"]
    with log.open("wb") as out:
        process = subprocess.Popen(command, cwd=ROOT, env=environment, stdout=out, stderr=out)
    try:
        deadline = time.monotonic() + 90
        while True:
            try:
                if _health(url) == 200:
                    break
            except OSError:
                pass
            if process.poll() is not None or time.monotonic() > deadline:
                pytest.fail("the server did not start:\n" + log.read_text(errors="replace"))
            time.sleep(0.5)
        yield url
    finally:
        process.send_signal(signal.SIGTERM)
        try:
            process.wait(timeout=20)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()


@pytest.fixture(scope="module")
def page(tmp_path_factory: pytest.TempPathFactory):
    with chromium_context(tmp_path_factory.mktemp("chromium-profile")) as context:
        context.set_default_timeout(WAIT_MS)
        yield context.new_page()


def visit(page, url: str) -> tuple[int, list[str]]:
    """Open a page, wait until its script run is over; the article count the sidebar shows
    and the text of every error or warning box on the page."""
    page.goto(url)
    page.wait_for_timeout(250)
    page.wait_for_selector(
        "[data-testid='stApp'][data-test-script-state='notRunning']", timeout=WAIT_MS
    )
    caption = page.get_by_text(ARTICLE_COUNT).first
    caption.wait_for(timeout=WAIT_MS)
    count = int(ARTICLE_COUNT.search(caption.inner_text()).group(1).replace(",", ""))
    return count, page.locator(PROBLEMS).all_inner_texts()


def test_pages_stay_whole_while_an_ingest_publishes(
    server: str, page, database: Path, tmp_path: Path
) -> None:
    before = SEED_RECORDS
    assert visit(page, server + "/") == (before, [])

    inputs = tmp_path / "new"
    write_records(inputs, NEW_RECORDS, first=600_000, seed=22)
    outcome: list[RunSummary | BaseException] = []

    def run_ingest() -> None:
        try:
            outcome.append(ingest([inputs], database))
        except BaseException as error:  # handed to the test thread
            outcome.append(error)

    worker = threading.Thread(target=run_ingest)
    worker.start()
    seen: list[tuple[str, int, list[str]]] = []
    try:
        while worker.is_alive():
            assert _health(server) == 200
            path = PAGES[len(seen) % len(PAGES)]
            count, problems = visit(page, server + path)
            seen.append((path, count, problems))
    finally:
        worker.join()
    (summary,) = outcome
    assert isinstance(summary, RunSummary), summary
    after = before + summary.counts.inserted
    assert summary.counts.inserted == NEW_RECORDS

    assert len(seen) >= 2, "the ingest ended before the pages could be read during it"
    assert [entry for entry in seen if entry[2]] == [], "a page showed an error"
    assert {count for _, count, _ in seen} <= {before, after}, "a page saw a partial database"

    for path in PAGES:
        assert visit(page, server + path) == (after, [])
    assert _health(server) == 200
