"""The dashboard in a real Chromium against a real Streamlit server: what only a browser
shows (a chart click reaching the server, the offline world map, text that stays text)."""

from __future__ import annotations

import socket
import subprocess
import sys
import time
import urllib.request
from collections.abc import Iterator
from pathlib import Path

import pytest

from tests.chromium import chromium_context

pytestmark = pytest.mark.browser
ROOT = Path(__file__).resolve().parents[1]


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


@pytest.fixture(scope="module")
def server(dashboard_db_path: Path) -> Iterator[str]:
    port = _free_port()
    command = [
        sys.executable,
        "-m",
        "streamlit",
        "run",
        str(ROOT / "dashboard.py"),
        "--server.port",
        str(port),
        "--server.address",
        "127.0.0.1",
        "--server.headless",
        "true",
    ]
    environment = {"MONITOR_DB": str(dashboard_db_path), "PATH": "/usr/bin:/bin"}
    process = subprocess.Popen(
        command, cwd=ROOT, env=environment, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE
    )
    url = f"http://127.0.0.1:{port}"
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        try:
            with urllib.request.urlopen(f"{url}/_stcore/health", timeout=2) as answer:
                if answer.status == 200:
                    break
        except OSError:
            time.sleep(0.5)
    else:
        process.kill()
        pytest.fail("the Streamlit server did not start: " + process.stderr.read().decode())
    yield url
    process.terminate()
    process.wait(timeout=20)


@pytest.fixture
def page(server: str, tmp_path: Path):
    with chromium_context(
        tmp_path / "profile", viewport={"width": 1400, "height": 1000}
    ) as context:
        tab = context.new_page()
        tab.outside_requests = []
        tab.dialogs = []
        tab.on(
            "request",
            lambda request: (
                tab.outside_requests.append(request.url)
                if not request.url.startswith((server, "data:", "blob:"))
                else None
            ),
        )
        tab.on("dialog", lambda dialog: (tab.dialogs.append(dialog.message), dialog.dismiss()))
        yield tab


def test_a_shared_link_is_the_first_request_of_a_fresh_server(page, server: str) -> None:
    # Runs first in this module: no session has opened the entry page before this link.
    page.goto(f"{server}/articles?source=bta.bg&period=custom&from=2026-03-01&to=2026-03-31")
    page.get_by_text("3 articles").first.wait_for(timeout=60_000)
    page.get_by_text("Search text").first.wait_for()  # the sidebar filters are there


def test_clicking_a_bar_opens_the_articles_behind_it(page, server: str) -> None:
    page.goto(f"{server}/")
    bars = page.locator(".st-key-overview_country .js-plotly-plot g.point path")
    bars.first.wait_for(timeout=60_000)
    top = bars.last.bounding_box()  # the top bar: Bulgaria
    page.mouse.click(top["x"] + top["width"] / 2, top["y"] + top["height"] / 2)
    page.wait_for_url("**/articles?*country=BG*", timeout=30_000)
    page.get_by_text("9 articles").first.wait_for(timeout=30_000)  # 8 stories, 9 articles
    assert page.outside_requests == []


def test_the_world_map_draws_offline(page, server: str) -> None:
    page.goto(f"{server}/countries")
    countries = page.locator(".st-key-countries_map .js-plotly-plot .choropleth path")
    countries.first.wait_for(timeout=60_000)
    assert countries.count() >= 8
    borders = page.locator(".st-key-countries_map .js-plotly-plot .countries path")
    assert borders.count() == 1  # the border mesh from the locally served outlines
    assert page.outside_requests == []


def test_markup_in_an_article_stays_text(page, server: str, dashboard_db_path: Path) -> None:
    import duckdb

    with duckdb.connect(str(dashboard_db_path), read_only=True) as con:
        (article_id,) = con.execute(
            "SELECT article_id FROM articles WHERE url LIKE '%markup-test'"
        ).fetchone()
    page.goto(f"{server}/articles?article={article_id}")
    page.get_by_text("**x** <script>alert(1)</script> [a](javascript:x)").wait_for(timeout=60_000)
    page.get_by_text("<img src=x onerror=alert(2)>", exact=False).first.wait_for()
    page.wait_for_timeout(1_000)
    assert page.dialogs == []
    assert page.locator("a[href^='javascript']").count() == 0
    assert page.locator("img[src='x']").count() == 0
