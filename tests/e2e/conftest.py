"""End-to-end fixtures: the real Streamlit server over a fixture database built by the real
ingest, and Debian's Chromium driven by Playwright.

Per pytest-xdist worker (or per plain run): one database in the worker's tmp folder, one
server on a free localhost port, one browser with a fresh profile. Each test gets a new tab
(a new Streamlit session) that records every request it makes, so tests can assert that
nothing was fetched from outside this machine.
"""

from __future__ import annotations

import json
import os
import re
import signal
import socket
import subprocess
import sys
import time
import urllib.request
import warnings
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from datetime import UTC, date, datetime
from pathlib import Path
from urllib.parse import urlsplit

import pytest
import yaml
from PIL import Image, ImageStat

from tests.chromium import chromium_context

ROOT = Path(__file__).resolve().parents[2]
CORPUS = ROOT / "tests" / "fixtures" / "dashboard"
SCREENSHOTS = ROOT / "test-artifacts" / "screenshots"
VIEWPORT = {"width": 1400, "height": 1000}
# The machine is shared with other test runs: waits are generous, they end as soon as the
# awaited thing shows.
WAIT_MS = 60_000
SERVER_START_SECONDS = 90
LOCAL_HOSTS = {"127.0.0.1", "localhost", "[::1]", "::1"}

# Added to the fixture corpus for these tests only: a title made of script, markdown and a
# javascript: link, which the dashboard must show as literal text.
# No other fixture article was published on its day, so a one-day filter finds it alone.
INJECTED_TITLE = "<script>window.__pwned=1</script> **bold** [x](javascript:alert(1))"
E2E_RECORDS = [
    {
        "url": "https://www.novinite.com/markup-in-the-title",
        "title": INJECTED_TITLE,
        "text": "The title of this article is made of markup. <b>Readers</b> must see it "
        "exactly as it was written: <img src=x onerror=window.__pwned=2>.",
        "published_at": "2026-03-19T10:00:00Z",
        "source": "novinite.com",
        "lang": "en",
    }
]


@dataclass(frozen=True)
class CorpusArticle:
    """One fixture article as the tests expect the dashboard to show it."""

    url: str
    title: str
    text: str
    source: str
    language: str
    published: datetime | None
    story: str  # the URL of the story's first placement (copies share it)
    countries: frozenset[str]
    topics: frozenset[str]


def _corpus_records() -> list[dict]:
    """The valid records of the corpus file (its broken line is left out) and ours."""
    records = []
    for line in (CORPUS / "articles.jsonl").read_text(encoding="utf-8").splitlines():
        try:
            records.append(json.loads(line))
        except json.JSONDecodeError:
            continue
    return records + E2E_RECORDS


@pytest.fixture(scope="session")
def corpus() -> list[CorpusArticle]:
    """The fixture articles with the tags the corpus' authors expect (expected_tags.yaml)."""
    tags = yaml.safe_load((CORPUS / "expected_tags.yaml").read_text(encoding="utf-8"))
    expected = tags["articles"]
    articles = []
    for record in _corpus_records():
        known = expected.get(record["url"], {})
        stamp = record.get("published_at")
        articles.append(
            CorpusArticle(
                url=record["url"],
                title=record["title"],
                text=record["text"],
                source=record["source"],
                language=record["lang"],
                published=datetime.fromisoformat(stamp).astimezone(UTC) if stamp else None,
                story=known.get("copy_of", record["url"]),
                countries=frozenset(known.get("countries", {})),
                topics=frozenset(known.get("topics", {})),
            )
        )
    return articles


@pytest.fixture(scope="session")
def injected(corpus: list[CorpusArticle]) -> CorpusArticle:
    """The article whose title is made of script, markdown and a javascript: link."""
    (article,) = [a for a in corpus if a.title == INJECTED_TITLE]
    return article


@pytest.fixture(scope="session")
def e2e_database(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The dashboard fixture corpus plus our records, through the real ingest."""
    from etl.pipeline import ingest

    folder = tmp_path_factory.mktemp("e2e")
    extra = folder / "e2e_articles.jsonl"
    extra.write_text(
        "".join(json.dumps(record, ensure_ascii=False) + "\n" for record in E2E_RECORDS),
        encoding="utf-8",
    )
    database = folder / "monitor.duckdb"
    ingest([CORPUS / "articles.jsonl", extra], database)
    return database


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def _healthy(url: str) -> bool:
    try:
        with urllib.request.urlopen(f"{url}/_stcore/health", timeout=2) as answer:
            return answer.status == 200
    except OSError:
        return False


def stop_server(process: subprocess.Popen) -> None:
    """Stop the server by its PID: SIGTERM, then SIGKILL if it does not exit."""
    if process.poll() is not None:
        return
    os.kill(process.pid, signal.SIGTERM)
    try:
        process.wait(timeout=20)
    except subprocess.TimeoutExpired:
        os.kill(process.pid, signal.SIGKILL)
        process.wait(timeout=20)


def start_server(database: Path, log_path: Path) -> tuple[subprocess.Popen, str]:
    """`streamlit run dashboard.py` on a free port; returns it once it answers health checks.
    A port taken between choosing and binding it is retried with another."""
    environment = {**os.environ, "MONITOR_DB": str(database)}
    environment.pop("MONITOR_TIMEZONE", None)
    for _attempt in range(3):
        port = _free_port()
        command = [
            sys.executable,
            "-m",
            "streamlit",
            "run",
            "dashboard.py",
            "--server.headless",
            "true",
            "--server.address",
            "127.0.0.1",
            "--server.port",
            str(port),
            "--browser.gatherUsageStats",
            "false",
        ]
        with log_path.open("ab") as log:
            process = subprocess.Popen(
                command, cwd=ROOT, env=environment, stdout=log, stderr=subprocess.STDOUT
            )
        url = f"http://127.0.0.1:{port}"
        deadline = time.monotonic() + SERVER_START_SECONDS
        while time.monotonic() < deadline and process.poll() is None:
            if _healthy(url):
                return process, url
            time.sleep(0.5)
        stop_server(process)
    log = log_path.read_text(encoding="utf-8", errors="replace")[-3000:]
    pytest.fail(f"the Streamlit server did not start; its log ({log_path}):\n{log}")


@pytest.fixture(scope="session")
def streamlit_server(e2e_database: Path, tmp_path_factory) -> Iterator[str]:
    """`streamlit run dashboard.py` for this worker; stopped by its PID at the end."""
    log_path = tmp_path_factory.mktemp("server") / "streamlit.log"
    process, url = start_server(e2e_database, log_path)
    yield url
    stop_server(process)


@pytest.fixture(scope="module")
def browser_context(tmp_path_factory: pytest.TempPathFactory):
    """Debian's Chromium with a fresh profile (never a browser downloaded by Playwright).

    Per test module: Playwright's sync API cannot run two instances in one thread, and
    other modules of the suite start their own on the same xdist worker."""
    with chromium_context(
        tmp_path_factory.mktemp("chromium-profile"),
        viewport=VIEWPORT,
        accept_downloads=True,
        locale="en-US",
        timezone_id="UTC",
    ) as context:
        context.set_default_timeout(WAIT_MS)
        yield context


@pytest.fixture(scope="module")
def server(streamlit_server: str, browser_context) -> str:
    """The dashboard's URL, once the app itself (not just its frame) has drawn a page."""
    tab = Tab(browser_context.new_page(), streamlit_server)
    tab.open("/")
    tab.heading("Overview")
    tab.page.close()
    return streamlit_server


@pytest.fixture(scope="session")
def screenshots() -> Path:
    """The screenshots folder. Where it is goes out as a warning: the one channel from a
    test to the terminal that also works from xdist workers (a warning class of our own
    would not unpickle in the controller, so it is a plain UserWarning)."""
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    warnings.warn(f"browser screenshots are saved in {SCREENSHOTS}", UserWarning, stacklevel=1)
    return SCREENSHOTS


@pytest.hookimpl(wrapper=True)
def pytest_runtest_makereport(item: pytest.Item, call: pytest.CallInfo):
    """Keep each phase's report on the test, so a fixture can tell that its test failed."""
    report = yield
    setattr(item, f"report_{report.when}", report)
    return report


@pytest.fixture
def tab(request: pytest.FixtureRequest, server: str, browser_context, screenshots: Path):
    """A new browser tab (a new Streamlit session) on the dashboard. When the test fails,
    what the tab showed is saved as failed-<test>.png beside the other screenshots."""
    opened = Tab(browser_context.new_page(), server, screenshots)
    yield opened
    report = getattr(request.node, "report_call", None)
    if report is not None and report.failed:
        opened.page.screenshot(path=screenshots / f"failed-{request.node.name}.png")
    opened.page.close()


@pytest.fixture
def new_tab(server: str, browser_context, screenshots: Path) -> Iterator[Callable[[], Tab]]:
    """Opens more tabs (each its own Streamlit session), closed after the test."""
    opened: list[Tab] = []

    def open_tab() -> Tab:
        opened.append(Tab(browser_context.new_page(), server, screenshots))
        return opened[-1]

    yield open_tab
    for each in opened:
        each.page.close()


@dataclass
class Tab:
    """One browser tab on the dashboard, with what a person does and sees there."""

    page: object
    base_url: str
    screenshot_folder: Path | None = None
    requests: list[str] = field(default_factory=list)
    script_errors: list[str] = field(default_factory=list)
    dialogs: list[str] = field(default_factory=list)

    def __post_init__(self) -> None:
        self.page.on("request", lambda request: self.requests.append(request.url))
        self.page.on("pageerror", lambda error: self.script_errors.append(str(error)))
        self.page.on("dialog", self._dismiss)

    def _dismiss(self, dialog) -> None:
        self.dialogs.append(dialog.message)
        dialog.dismiss()

    # navigation and waiting

    def open(self, path: str) -> Tab:
        self.page.goto(self.base_url + path)
        self.settle()
        return self

    def settle(self) -> None:
        """Wait until the script run is over and everything it drew is on screen: no stale
        element, every visible chart and table drawn (those in hidden tabs draw when shown)."""
        self.page.wait_for_timeout(250)  # a rerun just asked for has not flagged itself yet
        self.page.wait_for_selector(
            "[data-testid='stApp'][data-test-script-state='notRunning']", timeout=WAIT_MS
        )
        self.page.wait_for_function(
            """() => !document.querySelector('[data-stale="true"]')
                && [...document.querySelectorAll('[data-testid="stPlotlyChart"]')]
                    .every(chart => !chart.checkVisibility() || chart.querySelector('.main-svg'))
                && [...document.querySelectorAll('[data-testid="stDataFrame"]')]
                    .every(table => !table.checkVisibility() || table.querySelector('canvas'))""",
            timeout=WAIT_MS,
        )

    def heading(self, title: str):
        """The page's title (h1), waited for: the app's own content, not just its frame.
        The title is drawn first, so the run that drew it is then waited out as well: on a
        slow machine the first run may not have begun when `open` looked."""
        heading = self.page.get_by_role("heading", level=1).filter(has_text=title)
        heading.wait_for()
        self.settle()
        return heading

    @property
    def sidebar(self):
        return self.page.get_by_test_id("stSidebar")

    def path(self) -> str:
        return self.page.url.removeprefix(self.base_url)

    # what the page shows

    def figure(self, chart_key: str) -> list[dict]:
        """The traces plotly drew in a chart (key = the chart's Streamlit key): x, y, and
        each point's customdata, as plain lists (plotly's decoded copy of the figure)."""
        return self.chart(chart_key).evaluate(
            """plot => plot._fullData.map(trace => ({
                x: Array.from(trace.x || []),
                y: Array.from(trace.y || []),
                customdata: Array.from(trace.customdata || []),
            }))"""
        )

    def changed_figure(self, chart_key: str, before: list[dict]) -> list[dict]:
        """The chart's traces once they differ from `before` (plotly redraws a chart a
        moment after the script run that changed it), or as they are after the wait."""
        deadline = time.monotonic() + WAIT_MS / 1000
        while (now := self.figure(chart_key)) == before and time.monotonic() < deadline:
            self.page.wait_for_timeout(200)
        return now

    def chart(self, chart_key: str):
        return self.page.locator(f".st-key-{chart_key} .js-plotly-plot")

    def table(self, index: int = 0):
        return self.page.get_by_test_id("stDataFrame").nth(index)

    def table_column(self, header: str, index: int = 0) -> list[str]:
        """The cells of one column of a table, read from the grid's accessible table."""
        table = self.table(index)
        table.locator("table tbody tr").first.wait_for(state="attached")
        headers = table.locator("table thead th").all_inner_texts()
        column = headers.index(header) + 1
        return table.locator(f"table tbody td[aria-colindex='{column}']").all_inner_texts()

    def undrawn_charts(self) -> list[str]:
        """The keys of visible charts that show no mark at all (no bar, point, line, area or
        map shape)."""
        return self.page.evaluate(
            """() => [...document.querySelectorAll('[data-testid="stPlotlyChart"]')]
                .filter(chart => chart.checkVisibility())
                .filter(chart => ![...chart.querySelectorAll('.trace path, .trace .point')]
                    .some(mark => (mark.getAttribute('d') || '').length > 2))
                .map(chart => chart.closest('[class*="st-key-"]')?.className
                    .match(/st-key-(\\S+)/)?.[1] ?? '(no key)')"""
        )

    def icons_not_drawn(self) -> list[str]:
        """The page's emoji icons (navigation and page title) that the browser has no glyph
        for: drawn on a canvas in their own font, they come out exactly like a code point
        that no font has (the "tofu" box)."""
        return self.page.evaluate(
            """() => {
                const canvas = document.createElement('canvas');
                canvas.width = canvas.height = 64;
                const pen = canvas.getContext('2d', {willReadFrequently: true});
                const draw = (text, font) => {
                    pen.clearRect(0, 0, 64, 64);
                    pen.font = font;
                    pen.textBaseline = 'top';
                    pen.fillText(text, 4, 4);
                    return pen.getImageData(0, 0, 64, 64).data.join();
                };
                const icons = [...document.querySelectorAll('[data-testid="stIconEmoji"]')]
                    .map(icon => [icon.textContent, icon]);
                const title = document.querySelector('h1');
                if (title) icons.push([title.textContent.trim().split(/\\s/)[0], title]);
                return icons.filter(([text, element]) => {
                    const style = getComputedStyle(element);
                    const font = `${style.fontSize} ${style.fontFamily}`;
                    return draw(text, font) === draw('\\u{10FFFD}', font);
                }).map(([text]) => text);
            }"""
        )

    def errors_shown(self) -> list[str]:
        """Exceptions and error boxes on the page."""
        shown = self.page.locator(
            "[data-testid='stException'], [data-testid='stAlertContentError']"
        )
        return shown.all_inner_texts()

    def outside_requests(self) -> list[str]:
        """Requests to anything but this machine (data: and blob: URLs stay in the page)."""
        return [
            url
            for url in self.requests
            if not url.startswith(("data:", "blob:")) and urlsplit(url).hostname not in LOCAL_HOSTS
        ]

    def assert_healthy(self) -> None:
        """No error on the page, no script error, no dialog, nothing fetched from outside."""
        assert self.errors_shown() == []
        assert self.script_errors == []
        assert self.dialogs == []
        assert self.outside_requests() == []

    # what a person does

    def choose(self, label: str, option: str | re.Pattern) -> None:
        """Pick an option of a select box or a multiselect (in the sidebar or the page)."""
        self.page.get_by_role("combobox", name=label).click()
        self.page.get_by_role("option", name=option).first.click()
        self.page.keyboard.press("Escape")
        self.settle()

    def type_date_range(self, label: str, first: date, last: date) -> None:
        """Type both days into a date range input, then leave it (which commits it)."""
        for end, day in (("start", first), ("end", last)):
            self.page.get_by_role("spinbutton", name=f"year, {label} {end} date").click()
            self.page.keyboard.type(day.strftime("%Y%m%d"))
        self.page.get_by_role("heading", level=1).click()
        self.settle()

    def click_point(self, chart_key: str, index: int, selector: str) -> None:
        """Click one point of a chart by its coordinates, as a person does: hover until
        plotly shows the point's label, then click (plotly's drag layer covers the points,
        so an element click never reaches them)."""
        chart = self.chart(chart_key)
        chart.scroll_into_view_if_needed()
        box = chart.locator(selector).nth(index).bounding_box()
        x, y = box["x"] + box["width"] / 2, box["y"] + box["height"] / 2
        self.page.mouse.move(x, y)
        chart.locator(".hoverlayer .hovertext").wait_for()
        self.page.mouse.click(x, y)

    def click_row(self, title: str, column: str = "Title", index: int = 0) -> None:
        """Select the row of a table whose `column` cell is `title` (a click on its row
        marker; the grid draws on a canvas, so the row is found by its position)."""
        cells = self.table_column(column, index)
        row = cells.index(title)
        table = self.table(index)
        table.scroll_into_view_if_needed()
        canvas = table.locator("canvas").first.bounding_box()
        row_height = canvas["height"] / (len(cells) + 1)  # the header is one row high
        self.page.mouse.click(canvas["x"] + row_height / 2, canvas["y"] + row_height * (row + 1.5))
        self.settle()

    def screenshot(self, name: str) -> Path:
        """Save the whole page (the viewport grown to the page's height) and check that the
        main area is not blank."""
        assert self.screenshot_folder is not None
        height = self.page.evaluate(
            "() => document.querySelector('[data-testid=\"stMain\"]').scrollHeight"
        )
        self.page.set_viewport_size({"width": VIEWPORT["width"], "height": min(height, 8000)})
        self.settle()
        path = self.screenshot_folder / f"{name}.png"
        self.page.screenshot(path=path)
        sidebar = self.sidebar.bounding_box()
        self.page.set_viewport_size(VIEWPORT)
        assert_not_blank(path, left=int(sidebar["width"]) if sidebar else 0)
        return path


def assert_not_blank(path: Path, left: int = 0) -> None:
    """A screenshot shows something: its main area (right of `left`) has varied pixels and
    ink (text, lines, bars). Measured on this app: a blank page is 0 and 0%; a page with only
    its heading, or its heading and loading skeletons, about 10 and 0.2%; an empty-state page
    (heading and notes) about 14 and 0.4%; pages with charts or tables 16+ and 0.6%+."""
    with Image.open(path) as image:
        main = image.convert("L").crop((left, 0, image.width, image.height))
    spread = ImageStat.Stat(main).stddev[0]
    ink = sum(main.histogram()[:128]) / (main.width * main.height)
    assert spread > 12, f"{path} looks blank (pixel spread {spread:.1f})"
    assert ink > 0.003, f"{path} has almost no text or drawing ({ink:.2%} dark pixels)"
