"""Security: hostile values never become SQL, article text never becomes markup, exports never
carry a live spreadsheet formula, the dashboard cannot write, and sign-in guards every page.

The database is built by the real ingest from records written here: ordinary articles, articles
whose source and text are SQL fragments, articles made of markdown/HTML/script/link/image
markup, and articles whose fields start like spreadsheet formulas.
"""

from __future__ import annotations

import contextlib
import csv
import hashlib
import io
import json
import re
import tomllib
from collections.abc import Callable
from datetime import date, timedelta
from pathlib import Path

import duckdb
import pytest
from google.protobuf.json_format import MessageToDict
from streamlit.testing.v1 import AppTest

from analytics import articles, coverage, crosstabs, health, sources, trends
from analytics.compare import CompareError, compare_series
from analytics.countries import co_mentioned, countries_on_map
from analytics.database import Database
from analytics.export import articles_csv
from analytics.filters import FACETS, Filters, text_terms
from analytics.search import SearchSyntaxError, ranked_matches
from etl.lemmas import tokenize
from etl.pipeline import ingest
from tests.conftest import Dashboard

ROOT = Path(__file__).resolve().parents[1]
VIEWS = sorted(f"views/{view.name}" for view in (ROOT / "views").glob("*.py"))

SQL_HOSTILE = [
    "x' OR '1'='1",
    "'; DROP TABLE articles; --",
    '"; DELETE FROM articles; --',
    "') UNION SELECT article_id, body FROM articles --",
    "bg'); ATTACH '/tmp/owned.duckdb' AS owned; --",
    "%' OR title LIKE '%",
    "*/ SELECT 1 /*",
]
# Too common in SQL to look for in it, or a parameter's own name: checked by meaning only.
ODD_VALUES = ["?", "_", "%", "\\", "NULL", "''", "\x00", " ", "$f_sources", "$1"]

# Fragments that must never reach a markdown renderer unescaped, and the subset that plotly
# (which reads a few HTML tags in labels, never markdown) must not receive raw.
MARKUP = ["<script>", "](javascript:", "![", "<img ", "**bold**", ":red[", "<a href", "# Big"]
HTML_MARKUP = ["<script>", "<img ", "<a href", "<b>"]
MARKUP_TITLE = (
    "<script>alert('title')</script> **bold** [click](javascript:alert(1)) "
    "![pixel](https://tracker.example/p.png) <img src=x onerror=alert(2)> :red[red]"
)
MARKUP_BODY = "\n\n".join(
    [
        "# Big heading in the body",
        '<a href="javascript:alert(3)">a link</a> and <b>bold</b> HTML',
        "[phishing](https://evil.example/login) ![img](https://tracker.example/q.png)",
        "<script>document.cookie</script> $x^2$ and **bold** text",
    ]
)
MARKUP_SOURCE = "<b>Evil</b> **News** [site](javascript:alert(4))"
FORMULAS = [
    '=HYPERLINK("http://evil.example","click")',
    "+SUM(1+1)*cmd|' /C calc'!A0",
    "-2+3+cmd|' /C calc'!A0",
    "@SUM(1+1)*cmd|' /C calc'!A0",
    "\t=1+1",
]
LATEST_MONDAY = date(2026, 3, 2)  # the newest week in the corpus: the trends page shows it


def _record(title: str, text: str, source: str, day: date, url: str, **more) -> dict:
    return {
        "url": url,
        "title": title,
        "text": text,
        "source": source,
        "published_at": f"{day.isoformat()}T10:00:00Z",
        "lang": "en",
        **more,
    }


def _records() -> list[dict]:
    records = []
    topics = ["parliament budget vote", "energy prices rise", "floods hit the north"]
    for week in range(6):
        for number, topic in enumerate(topics):
            day = LATEST_MONDAY - timedelta(weeks=5 - week) + timedelta(days=number)
            records.append(
                _record(
                    f"Week {week}: {topic} in Bulgaria and Germany",
                    f"Report number {week}-{number} about {topic}. Germany and Bulgaria reacted.",
                    "daily.example.com",
                    day,
                    f"https://daily.example.com/{week}/{number}",
                )
            )
    for number, hostile in enumerate(SQL_HOSTILE):
        records.append(
            _record(
                f"Hostile source {number}",
                f"This text quotes {hostile} on purpose.",
                hostile,
                LATEST_MONDAY - timedelta(days=number + 1),
                f"https://sql.example/{number}",
            )
        )
    stories = ["elections", "a storm", "a strike", "the markets"]
    for number, story in enumerate(stories):  # new this week, so it is a spike on the trends page
        records.append(
            _record(
                f"{MARKUP_TITLE} on {story}",
                f"{MARKUP_BODY}\n\nA distinct story about {story} in France, number {number}.",
                MARKUP_SOURCE,
                LATEST_MONDAY + timedelta(days=number),
                f"https://markup.example/{number}",
            )
        )
    for number, formula in enumerate(FORMULAS):
        records.append(
            _record(
                formula,
                f"{formula} is how this text starts, about Spain.",
                formula,
                LATEST_MONDAY - timedelta(days=7 + number),
                f"https://formula.example/{number}",
            )
        )
    records.append(
        {
            "title": "A record with a scripted date",
            "text": "Its date field holds markup.",
            "source": "daily.example.com",
            "date": "<script>alert(5)</script>",
        }
    )
    return records


@pytest.fixture(scope="module")
def db_path(tmp_path_factory: pytest.TempPathFactory) -> Path:
    folder = tmp_path_factory.mktemp("security")
    inputs = folder / "inputs"
    inputs.mkdir()
    lines = [json.dumps(record, ensure_ascii=False) for record in _records()]
    (inputs / "articles.jsonl").write_text("\n".join(lines) + "\n", encoding="utf-8")
    # a file name made of markup, with a broken line: its error is listed on the health page
    (inputs / "**x** [a](javascript:alert(6)).jsonl").write_text("{broken\n", encoding="utf-8")
    db = folder / "monitor.duckdb"
    ingest([inputs], db)
    return db


@pytest.fixture
def dashboard_db_path(db_path: Path) -> Path:
    """The dashboard fixture (tests/conftest.py) opened on this module's database."""
    return db_path


def _sha1(path: Path) -> str:
    return hashlib.sha1(path.read_bytes()).hexdigest()


def _stored(db_path: Path, sql: str, params: list | None = None) -> list[tuple]:
    with duckdb.connect(str(db_path), read_only=True) as con:
        return con.execute(sql, params or []).fetchall()


class RecordingDatabase(Database):
    """The dashboard's read-only database, keeping every statement it is asked to run."""

    def __init__(self, path: Path) -> None:
        super().__init__(path)
        self.statements: list[tuple[str, dict]] = []

    def frame(self, sql, params=None):
        self.statements.append((sql, dict(params or {})))
        return super().frame(sql, params)

    def rows(self, sql, params=None):
        self.statements.append((sql, dict(params or {})))
        return super().rows(sql, params)

    def stream(self, sql, params=None, batch_rows=5_000):
        self.statements.append((sql, dict(params or {})))
        return super().stream(sql, params, batch_rows)


WEEK = LATEST_MONDAY
QUERIES: dict[str, Callable[[Database, Filters], object]] = {
    "count_articles": articles.count_articles,
    "matching_articles": articles.matching_articles,
    "coverage_over_time": coverage.coverage_over_time,
    "coverage_by_source": lambda db, f: coverage.coverage_over_time(db, f, by="source"),
    "top_values": lambda db, f: coverage.top_values(db, f, "source"),
    "top_topics": lambda db, f: coverage.top_values(db, f, "topic"),
    "headline_numbers": coverage.headline_numbers,
    "facet_options": lambda db, f: [coverage.facet_options(db, f, facet) for facet in FACETS],
    "crosstab": lambda db, f: crosstabs.crosstab(db, f, "topic", "country"),
    "source_profiles": sources.source_profiles,
    "countries_on_map": countries_on_map,
    "co_mentioned": lambda db, f: co_mentioned(db, f, f.countries[0] if f.countries else "BG"),
    "daily_volume": health.daily_volume,
    "undated_articles": health.undated_articles,
    "language_coverage": health.language_coverage,
    "tag_coverage": health.tag_coverage,
    "complete_weeks": lambda db, f: trends.complete_weeks(db, f, WEEK + timedelta(days=8)),
    "weekly_changes": lambda db, f: trends.weekly_changes(db, f, "source", WEEK),
    "spike_stories": lambda db, f: trends.spike_stories(db, f, "source", f.text or "x", WEEK),
    "spike_terms": lambda db, f: trends.spike_terms(db, f, "source", f.text or "x", WEEK),
    "article": lambda db, f: articles.article(db, f.text),
    "article_countries": lambda db, f: articles.article_countries(db, f.text),
    "article_topics": lambda db, f: articles.article_topics(db, f.text),
    "article_copies": lambda db, f: articles.article_copies(db, f.text),
    "export": lambda db, f: articles_csv(db, f, include_body=True).read(),
}


def _hostile_filters(value: str) -> list[Filters]:
    """The value in every free-text field of the filters: every facet, the text query (as
    typed and as a phrase)."""
    every_facet = Filters(**{facet: (value,) for facet in FACETS})
    return [every_facet, Filters(text=value), Filters(text=f'"{value}"')]


@pytest.mark.parametrize("value", SQL_HOSTILE + ODD_VALUES)
def test_hostile_filter_values_reach_sql_only_as_bound_parameters(
    db_path: Path, value: str
) -> None:
    before = _sha1(db_path)
    db = RecordingDatabase(db_path)
    for filters in _hostile_filters(value):
        for name, query in QUERIES.items():
            query(db, filters)
            assert db.statements, name
    assert _sha1(db_path) == before
    if value in SQL_HOSTILE:
        for sql, _ in db.statements:
            assert value not in sql
            assert value.lower() not in sql.lower()
        assert any(value in _strings(params) for _, params in db.statements)


def _strings(params: dict) -> list[str]:
    """Every string among the bound values (lists flattened)."""
    values = []
    for value in params.values():
        values.extend(value if isinstance(value, list) else [value])
    return [value for value in values if isinstance(value, str)]


def _literal_matches(db_path: Path, text: str) -> int:
    """How many articles hold every word/phrase of the query as typed (computed in Python)."""
    terms = text_terms(text)
    rows = _stored(db_path, "SELECT title, body FROM articles")
    return sum(all(term in f"{t} {b}".lower() for term in terms) for t, b in rows)


def _ids(db: Database, filters: Filters) -> set[str]:
    return set(articles.matching_articles(db, filters, page_size=1_000)["article_id"])


@pytest.mark.parametrize("value", SQL_HOSTILE + ODD_VALUES)
def test_hostile_values_mean_exactly_their_literal_text(db_path: Path, value: str) -> None:
    """A facet value selects the articles with exactly that value. A text query is a search:
    its punctuation only separates words, as spaces do; one that is not a valid search matches
    its words as typed."""
    db = Database(db_path)
    stored_sources = [source for (source,) in _stored(db_path, "SELECT source FROM articles")]
    chosen = value.strip()  # a blank choice is no choice: every article
    expected = stored_sources.count(chosen) if chosen else len(stored_sources)
    assert articles.count_articles(db, Filters(sources=(value,))) == expected
    for text in (value, f'"{value}"'):
        filters = Filters(text=text)
        if filters.text_problem() is not None:
            assert articles.count_articles(db, filters) == _literal_matches(db_path, text)
    if value in SQL_HOSTILE and '"' not in value:
        sql = "SELECT article_id FROM articles WHERE source = ?"
        quoting = {article_id for (article_id,) in _stored(db_path, sql, [value])}
        phrase = Filters(text=f'"{value}"')
        twin = Filters(text='"' + " ".join(tokenize(value)) + '"')  # the words, no punctuation
        assert phrase.text_problem() is None
        assert quoting <= _ids(db, phrase) == _ids(db, twin)


@pytest.mark.parametrize("value", SQL_HOSTILE)
def test_hostile_search_queries_are_parsed_never_spliced(db_path: Path, value: str) -> None:
    before = _sha1(db_path)
    db = RecordingDatabase(db_path)
    for query in (value, f'"{value}"', f"title:{value}", f"source:{value}", f"{value}*"):
        try:
            ranked_matches(db, query)
        except SearchSyntaxError as error:
            assert error.message
        with contextlib.suppress(CompareError, SearchSyntaxError):  # refused with a reason
            compare_series(db, Filters(), (("hostile", query),))
    assert _sha1(db_path) == before
    for sql, _ in db.statements:
        assert value not in sql


def test_whitelisted_names_refuse_anything_else(db_path: Path) -> None:
    db = Database(db_path)
    hostile = "source; DROP TABLE articles"
    for call in (
        lambda: coverage.top_values(db, Filters(), hostile),
        lambda: coverage.coverage_over_time(db, Filters(), by=hostile),
        lambda: crosstabs.crosstab(db, Filters(), hostile, "topic"),
        lambda: articles.matching_articles(db, Filters(), sort=hostile),
        lambda: trends.weekly_changes(db, Filters(), hostile, WEEK),
        lambda: Filters(period=hostile),
        lambda: Filters(granularity=hostile),
        lambda: Filters(timezone="../../../etc/passwd"),
        lambda: Filters(measure=hostile),
    ):
        with pytest.raises(ValueError):
            call()


def _url_params() -> dict[str, str]:
    """Every query parameter the dashboard reads, each set to another hostile string."""
    keys = ["period", "from", "to", "by", "tz", "q", "count", "mode", "countries", "article"]
    keys += [facet.url_key for facet in FACETS.values()]
    return {key: SQL_HOSTILE[number % len(SQL_HOSTILE)] for number, key in enumerate(keys)}


def test_hostile_url_parameters_fall_back_or_stay_literal() -> None:
    params = _url_params()
    filters = Filters.from_query_params(params, today=WEEK)
    assert (filters.period, filters.granularity, filters.timezone) == ("all", "week", "UTC")
    assert (filters.measure, filters.mode) == ("stories", "count")
    for name, facet in FACETS.items():
        assert getattr(filters, name) == (params[facet.url_key].strip(),)
    assert filters.text == " ".join(params["q"].split())


@pytest.mark.parametrize("view", VIEWS)
def test_every_page_takes_hostile_url_parameters_without_harm(
    dashboard: Dashboard, db_path: Path, view: str
) -> None:
    before = _sha1(db_path)
    dashboard.open(view, **_url_params())
    assert not dashboard.app.error, [error.value for error in dashboard.app.error]
    assert _sha1(db_path) == before


def test_export_file_names_are_safe() -> None:
    for value in [*SQL_HOSTILE, "../../etc/passwd", 'a/b\\c:d*e?f"g<h>i|j', "\x00\n\r"]:
        stem = Filters(sources=(value,), topics=(value,), text=value).file_stem("articles")
        assert re.fullmatch(r"[\w-]+", stem), stem


# Content injection -------------------------------------------------------------------------

INERT_TYPES = {"text", "code", "json", "dataframe", "table", "arrow_data_frame"}
MARKDOWN_FIELDS = ("body", "label", "help")
MARKDOWN_OPTIONS = {"radio"}  # st.radio shows its options as markdown; select boxes do not


def _plotly_texts(figure: dict) -> list[str]:
    """The strings plotly draws: trace names, values, texts, axis and chart titles, and the
    customdata its hover templates show."""
    texts: list[str] = []

    def add(value) -> None:
        if isinstance(value, str):
            texts.append(value)
        elif isinstance(value, list):
            for item in value:
                add(item)

    for trace in figure.get("data", []):
        for key in ("name", "x", "y", "text", "hovertext", "labels", "ids"):
            add(trace.get(key))
        shown = {int(i) for i in re.findall(r"customdata\[(\d+)\]", trace.get("hovertemplate", ""))}
        for point in trace.get("customdata") or []:
            if isinstance(point, list):
                add([point[i] for i in shown if i < len(point)])
    layout = figure.get("layout", {})
    for part in ("title", "xaxis", "yaxis"):
        title = layout.get(part, {})
        add((title.get("title") or {}).get("text") if part != "title" else title.get("text"))
    for note in layout.get("annotations", []):
        add(note.get("text"))
    return texts


def rendered_markup(app: AppTest) -> list[tuple[str, str, list[str]]]:
    """(element type, text, fragments found raw) for every string on the page that Streamlit
    renders as markdown or plotly as HTML and that holds a markup fragment not escaped by a
    backslash."""
    found = []

    def check(kind: str, text: str, fragments: list[str]) -> None:
        raw = [f for f in fragments if re.search(r"(?<!\\)" + re.escape(f), text)]
        if raw:
            found.append((kind, text, raw))

    def walk(node) -> None:
        proto = getattr(node, "proto", None)
        if proto is not None and node.type not in INERT_TYPES and hasattr(proto, "DESCRIPTOR"):
            if node.type == "plotly_chart":
                for text in _plotly_texts(json.loads(proto.spec)):
                    check(node.type, text, HTML_MARKUP)
            else:
                fields = MessageToDict(proto, preserving_proto_field_name=True)
                for key in MARKDOWN_FIELDS:
                    if isinstance(fields.get(key), str):
                        check(node.type, fields[key], MARKUP)
                if node.type in MARKDOWN_OPTIONS:
                    for option in fields.get("options", []):
                        check(node.type, option, MARKUP)
        for child in getattr(node, "children", {}).values():
            walk(child)

    walk(app._tree)
    return found


def test_the_markup_detector_finds_rendered_markup_and_spares_inert_text() -> None:
    unsafe = AppTest.from_string(
        "import streamlit as st\n"
        f"TEXT = {MARKUP_TITLE!r}\n"
        "st.markdown(TEXT)\nst.caption(TEXT)\nst.expander(TEXT)\nst.radio('r', [TEXT])\n"
        "st.plotly_chart({'data': [{'type': 'bar', 'x': [TEXT], 'y': [1]}]})\n"
    ).run()
    assert [kind for kind, _, _ in rendered_markup(unsafe)] == [
        "markdown",
        "caption",
        "expander",
        "radio",
        "plotly_chart",
    ]
    safe = AppTest.from_string(
        "import html\nimport streamlit as st\nfrom ui.show import escape_markdown\n"
        f"TEXT = {MARKUP_TITLE!r}\n"
        "st.text(TEXT)\nst.code(TEXT)\nst.dataframe({'t': [TEXT]})\n"
        "st.markdown(escape_markdown(TEXT))\nst.expander(escape_markdown(TEXT))\n"
        "st.plotly_chart({'data': [{'type': 'bar', 'x': [html.escape(TEXT)], 'y': [1]}]})\n"
    ).run()
    assert rendered_markup(safe) == []


def _markup_article_id(db_path: Path) -> str:
    rows = _stored(db_path, "SELECT article_id FROM articles ORDER BY url")
    urls = dict(_stored(db_path, "SELECT article_id, url FROM articles"))
    return next(a for (a,) in rows if (urls[a] or "").startswith("https://markup.example/"))


def test_markup_in_chart_labels_is_escaped(dashboard: Dashboard) -> None:
    dashboard.open("views/overview.py")
    charts = [json.loads(chart.proto.spec) for chart in dashboard.app.get("plotly_chart")]
    texts = [text for chart in charts for text in _plotly_texts(chart)]
    assert any(text.startswith("&lt;b&gt;Evil&lt;/b&gt; **News**") for text in texts), texts
    assert rendered_markup(dashboard.app) == []


def test_a_spike_named_by_markup_is_inert(dashboard: Dashboard) -> None:
    dashboard.open("views/trends.py", count="placements")  # its copies are one story
    labels = [expander.proto.label for expander in dashboard.app.expander]
    assert any("Evil" in label for label in labels), labels  # the markup source spiked
    assert rendered_markup(dashboard.app) == []


# Spreadsheet formulas ----------------------------------------------------------------------

FORMULA_START = ("=", "+", "-", "@", "\t", "\r")


def _live_formulas(content: bytes) -> list[str]:
    """Cells that a spreadsheet would run as a formula (numbers are fine)."""
    text = content.decode("utf-8-sig")
    live = []
    for row in csv.reader(io.StringIO(text, newline="")):
        for cell in row:
            if cell.startswith(FORMULA_START):
                try:
                    float(cell)
                except ValueError:
                    live.append(cell)
    return live


@pytest.mark.parametrize("view", VIEWS)
def test_every_page_keeps_markup_inert_and_every_download_formula_free(
    dashboard: Dashboard, db_path: Path, view: str
) -> None:
    extra = {"article": _markup_article_id(db_path)} if view.endswith("articles.py") else {}
    dashboard.open(view, **extra)
    assert rendered_markup(dashboard.app) == []
    if extra:  # the article is on screen, as literal text
        texts = [text.value for text in dashboard.app.text]
        assert any(text.startswith(MARKUP_TITLE) for text in texts)
        assert any("<script>document.cookie</script>" in text for text in texts)
        links = [button.proto.url for button in dashboard.app.get("link_button")]
        assert all(url.startswith(("https://", "http://")) for url in links)
    downloads = {}
    for button in dashboard.app.get("download_button"):
        key = button.proto.id.split("-", 2)[2]
        downloads[key] = dashboard.download(key).content
        assert _live_formulas(downloads[key]) == [], (view, key)
    if view.endswith("export.py"):  # the formula-like titles were in the export, defused
        assert "'=HYPERLINK(" in downloads["export_articles"].decode("utf-8-sig")


def test_the_articles_export_neutralizes_every_field(db_path: Path) -> None:
    content = articles_csv(Database(db_path), Filters(), include_body=True).read()
    assert _live_formulas(content) == []
    rows = list(csv.DictReader(io.StringIO(content.decode("utf-8-sig"), newline="")))
    titles = {row["title"] for row in rows}
    sources_ = {row["source"] for row in rows}
    for formula in FORMULAS:
        stored = formula.strip()
        assert "'" + stored in titles or "'" + formula in titles
        assert "'" + stored in sources_ or "'" + formula in sources_
    assert len(rows) == _stored(db_path, "SELECT count(*) FROM articles")[0][0]


# Read-only ---------------------------------------------------------------------------------

WRITES = [
    "DELETE FROM articles",
    "UPDATE articles SET title = 'changed'",
    "INSERT INTO topics VALUES ('x', 'y')",
    "DROP TABLE articles",
    "CREATE TABLE stolen AS SELECT * FROM articles",
    "ALTER TABLE articles ADD COLUMN owned INTEGER",
    "CREATE INDEX owned ON articles (title)",
    "TRUNCATE ingest_errors",
]


@pytest.mark.parametrize("statement", WRITES)
def test_the_dashboard_connection_cannot_write(db_path: Path, statement: str) -> None:
    before = _sha1(db_path)
    db = Database(db_path)
    with pytest.raises(duckdb.Error, match=r"read-only|Cannot execute statement"):
        db.rows(statement)
    assert db.value("SELECT count(*) FROM articles") == len(_records())
    assert _sha1(db_path) == before


@pytest.mark.parametrize(
    "statement",
    [
        "COPY (SELECT * FROM articles) TO '{folder}/leak.csv'",
        "ATTACH '{folder}/other.duckdb' AS other",
        "SELECT * FROM read_text('/etc/hostname')",
    ],
)
def test_the_dashboard_connection_cannot_touch_other_files(
    db_path: Path, tmp_path: Path, statement: str
) -> None:
    db = Database(db_path)
    with pytest.raises(duckdb.Error):
        db.rows(statement.format(folder=tmp_path))
    assert list(tmp_path.iterdir()) == []


# Access ------------------------------------------------------------------------------------

AUTH = {
    "redirect_uri": "http://localhost:8501/oauth2callback",
    "cookie_secret": "a-long-random-secret-for-the-test-only-0123456789",
    "client_id": "media-monitor",
    "client_secret": "not-a-real-secret",
    "server_metadata_url": "https://login.example/.well-known/openid-configuration",
}
GUARDED_PAGE = (
    "import streamlit as st\nfrom access import require_sign_in\n"
    "require_sign_in()\nst.title('The monitored coverage')\nst.dataframe({'title': ['secret']})\n"
)


def _run(script: str, auth: bool, user: dict | None = None) -> AppTest:
    app = AppTest.from_string(script, default_timeout=30)
    if auth:
        app.secrets["auth"] = AUTH
    if user is not None:
        app.user = user
    return app.run()


def test_without_auth_configuration_the_app_is_open() -> None:
    app = _run(GUARDED_PAGE, auth=False)
    assert [title.value for title in app.title] == ["The monitored coverage"]
    assert not app.exception


@pytest.mark.parametrize("user", [{}, {"is_logged_in": False}, {"email": "guest@example.org"}])
def test_with_auth_configured_nobody_signed_out_sees_a_page(user: dict) -> None:
    app = _run(GUARDED_PAGE, auth=True, user=user)
    assert [title.value for title in app.title] == ["📰 Media Monitor"]
    assert not app.dataframe and not app.exception
    shown = [*[b.label for b in app.button], *[e.value for e in app.error]]
    assert any("Sign in" in text or "Authlib" in text for text in shown), shown


def test_with_auth_configured_a_signed_in_user_sees_the_page() -> None:
    user = {"is_logged_in": True, "name": "Ana **Admin**", "email": "ana@example.org"}
    app = _run(GUARDED_PAGE, auth=True, user=user)
    assert [title.value for title in app.title] == ["The monitored coverage"]
    assert app.dataframe
    assert "Signed in as Ana **Admin**" in [text.value for text in app.sidebar.text]
    assert [button.label for button in app.sidebar.button] == ["Sign out"]


@pytest.mark.parametrize("view", VIEWS)
def test_with_auth_configured_every_dashboard_page_needs_sign_in(
    dashboard: Dashboard, view: str
) -> None:
    dashboard.app.secrets["auth"] = AUTH
    dashboard.app.user = {"is_logged_in": False}
    dashboard.app.run()
    dashboard.app.switch_page(view).run()
    titles = [title.value for title in dashboard.app.title]
    assert titles == ["📰 Media Monitor"]
    assert not dashboard.app.dataframe and not dashboard.app.get("plotly_chart")


def test_without_auth_the_server_listens_on_localhost_only() -> None:
    config = tomllib.loads((ROOT / ".streamlit" / "config.toml").read_text(encoding="utf-8"))
    assert config["server"]["address"] == "127.0.0.1"
