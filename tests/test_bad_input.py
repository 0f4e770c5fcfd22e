"""Bad input, one case each: the run goes on, the good records around it load, the problem is
recorded with file, line and reason (and shown on the data health page), and what the database
held before is still there, unchanged.

One folder holds every case; it is ingested once, through the real pipeline, into a database
that already holds other articles. Each test then checks one case against that result.
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path

import duckdb
import pytest

from etl.pipeline import RunSummary, ingest
from etl.record import MAX_BODY_CHARS, MAX_TITLE_CHARS
from tests.conftest import Dashboard

FIFTY_MB = 50 * 1024 * 1024
BIG_BODY_TITLE = "A report with a two-megabyte body"


def _jsonl(*records) -> bytes:
    return "".join(json.dumps(r, ensure_ascii=False) + "\n" for r in records).encode("utf-8")


def _record(title: str, text: str, url: str | None = None, **fields) -> dict:
    record = {"title": title, "text": text, **fields}
    if url:
        record["url"] = url
    return record


BEFORE = [  # what the database holds before the bad batch arrives
    _record(
        "Народното събрание прие бюджета",
        "Депутатите гласуваха окончателно държавния бюджет за годината. /БТА",
        "https://bta.example.bg/budget",
        date="2026-02-10T09:00:00Z",
        source="bta.example.bg",
    ),
    _record(
        "Rail strike halts trains across Germany",
        "Train drivers walked out on Tuesday, stopping most long-distance services.",
        "https://news.example.com/rail-strike",
        date="2026-02-11T07:30:00Z",
    ),
    _record(
        "Київ і Варшава домовилися про транзит зерна",
        "Уряди України та Польщі погодили новий порядок транзиту зерна.",
        "https://ukr.example.ua/grain",
        date="2026-02-12T12:00:00Z",
    ),
    _record(
        "Le Parlement européen vote la loi sur l'IA",
        "Les députés ont adopté le texte final après des mois de négociations.",
        "https://fr.example.fr/ia",
        date="2026-02-13T15:00:00Z",
    ),
]

PAGE_CP1251 = """14 Февруари, 2026

Пловдив посреща международния панаир

Пловдив посреща международния панаир

Над 500 изложители от 30 държави участват в тазгодишното издание на панаира.

Организаторите очакват рекорден брой посетители през седмицата.
"""

HTML_WITHOUT_ARTICLE = b"""<!doctype html><html lang="en"><head><title>Loading</title>
<script>window.dataLayer = []; function track() { return 1; }</script>
<script src="/app.js"></script></head>
<body><nav><a href="/">Home</a> | <a href="/news">News</a></nav>
<script>document.write("<p>rendered by script</p>")</script>
<noscript>Enable JavaScript.</noscript></body></html>
"""

BROKEN_FEED = b"""<?xml version="1.0" encoding="utf-8"?>
<rss version="2.0"><channel><title>Radio Example</title>
<item><title>Floods close mountain roads</title><link>https://radio.example.org/floods</link>
<description>Heavy rain closed three mountain passes overnight.</description>
<pubDate>Mon, 16 Feb 2026 06:00:00 GMT</pubDate></item>
<item><title>Unclosed <b>item & broken</title>
<description>This item never ends
</channel>
"""

CSV_CYRILLIC = (
    "title,text\nМосква и Пекин подписаха споразумение,Двете страни ще увеличат търговията.\n"
)
CONTROL_TITLE = "Bidi\u202e gnirts\u202c and\x00 nulls\x07 in\x1b[31m a title\u200f"
CONTROL_BODY = "שלום עולם\u200f — مرحبا بالعالم\u200e\x0b text\x7f with \ufeffcontrols."


def _bad_utf8_jsonl() -> bytes:
    good = _jsonl(_record("Първа новина", "Текстът на първата новина е на български език."))
    bad = b'{"title": "Stray \xff\xfe bytes", "text": "Body with \xc3\x28 broken bytes."}\n'
    last = _jsonl(_record("Трета новина", "Още текст, без никакви проблеми в него."))
    return good + bad + last


def _csv_columns() -> bytes:
    return (
        b"title,text,date,source\n"
        b"Good first row,Body of the first row,2026-02-01,csv.example\n"
        b"Missing a column,Body only,2026-02-02\n"
        b"Extra column,Body,2026-02-03,csv.example,surplus\n"
        b'"Multi-line row","First line of the body\nsecond line, with a comma\n'
        b'third line",2026-02-04,csv.example\n'
        b"Last good row,Body of the last row,2026-02-05,csv.example\n"
    )


@dataclass
class Case:
    """One bad input file: what must load from it and what must be recorded about it."""

    file: str
    data: bytes | None  # None: written by the fixture (too big to hold here)
    titles: set[str] = field(default_factory=set)
    errors: list[tuple[str, str, str]] = field(default_factory=list)  # location, severity, text


CASES = [
    Case("empty.txt", b"", errors=[("", "error", "empty file")]),
    Case("empty.jsonl", b"", errors=[("", "error", "empty file")]),
    Case("blank-page.txt", b" \n\t\r\n   \n", errors=[("", "error", "empty file")]),
    Case(
        "photo.txt",
        b"\xff\xd8\xff\xe0\x00\x10JFIF\x00\x01" + bytes(range(256)) * 8,
        errors=[("", "error", "not a text file: looks like JPEG image")],
    ),
    Case("single-line-50mb.txt", None, errors=[("", "error", "no article text found")]),
    Case(
        "bad-utf8-inside.jsonl",
        _bad_utf8_jsonl(),
        titles={"Първа новина", "Stray \ufffd\ufffd bytes", "Трета новина"},
        errors=[("line 2", "warning", "invalid UTF-8 bytes replaced")],
    ),
    Case(
        "windows-1251.txt",
        PAGE_CP1251.encode("cp1251"),
        titles={"Пловдив посреща международния панаир"},
    ),
    Case(
        "utf-16-bom.csv",
        CSV_CYRILLIC.encode("utf-16"),
        titles={"Москва и Пекин подписаха споразумение"},
    ),
    Case(
        "utf-16-no-bom.jsonl",
        _jsonl(_record("Κυβέρνηση ανακοίνωσε μέτρα", "Νέα μέτρα για την ενέργεια."))
        .decode()
        .encode("utf-16-le"),
        titles={"Κυβέρνηση ανακοίνωσε μέτρα"},
    ),
    Case(
        "truncated-last-line.jsonl",
        _jsonl(_record("Whole record one", "Complete."), _record("Whole record two", "Done."))
        + b'{"title": "Cut off", "text": "The writer cra',
        titles={"Whole record one", "Whole record two"},
        errors=[("line 3", "error", "truncated JSON (the file ends mid-record)")],
    ),
    Case(
        "not-objects.jsonl",
        b'[{"title": "in an array", "text": "x"}]\n"just a string"\n42\nnull\ntrue\n'
        + _jsonl(_record("The one real record", "Between values that are not records.")),
        titles={"The one real record"},
        errors=[
            ("line 1", "error", "JSON array is not a record"),
            ("line 2", "error", "JSON string is not a record"),
            ("line 3", "error", "JSON number is not a record"),
            ("line 4", "error", "JSON null is not a record"),
            ("line 5", "error", "JSON boolean is not a record"),
        ],
    ),
    Case(
        "columns.csv",
        _csv_columns(),
        titles={"Good first row", "Multi-line row", "Last good row"},
        errors=[
            ("line 3", "error", "row has 3 fields but the header has 4"),
            ("line 4", "error", "row has 5 fields but the header has 4"),
        ],
    ),
    Case(
        "scripts-only.html",
        HTML_WITHOUT_ARTICLE,
        errors=[("", "error", "no article text found in the HTML page")],
    ),
    Case(
        "malformed.xml",
        BROKEN_FEED,
        titles={"Floods close mountain roads", "Unclosed item & broken"},  # what was recovered
        errors=[("line 6", "error", "malformed feed XML")],
    ),
    Case(
        "dates.jsonl",
        _jsonl(
            _record("Impossible day", "February has no 31st.", date="31.02.2026"),
            _record("All zeros", "A placeholder date.", date="0000-00-00"),
            _record("Far future", "A date typed wrong.", date="2099-01-01"),
            _record("Epoch seconds", "Unix time in seconds.", date=1771243200),
            _record("Epoch milliseconds", "Unix time in ms.", date=1771243200000),
            _record("Epoch seconds as text", "Unix time as a string.", date="1771243200"),
        ),
        titles={
            "Impossible day",
            "All zeros",
            "Far future",
            "Epoch seconds",
            "Epoch milliseconds",
            "Epoch seconds as text",
        },
        errors=[
            ("line 1", "warning", "date '31.02.2026' is not a valid date"),
            ("line 2", "warning", "date '0000-00-00' is not a valid date"),
            ("line 3", "warning", "date 2099-01-01 is in the future"),
        ],
    ),
    Case(
        "big-body.jsonl",
        None,
        titles={BIG_BODY_TITLE},
        errors=[("line 1", "warning", f"the body is longer than {MAX_BODY_CHARS:,} characters")],
    ),
    Case(
        "long-title.jsonl",
        _jsonl(_record("Headline " * 1111 + "end", "A short body under a huge title.")),
        titles={("Headline " * 1111)[:MAX_TITLE_CHARS].strip()},
        errors=[("line 1", "warning", f"the title is longer than {MAX_TITLE_CHARS:,} characters")],
    ),
    Case(
        "control-characters.jsonl",
        _jsonl(_record(CONTROL_TITLE, CONTROL_BODY, "https://controls.example/1")),
        titles={"Bidi gnirts and nulls in[31m a title"},
    ),
    Case(
        "same-article-twice.jsonl",
        _jsonl(
            _record(
                "Twice in one batch", "The same story.", "https://dup.example/story?utm_source=a"
            ),
            _record("Twice in one batch", "The same story.", "https://www.dup.example/story"),
        ),
        titles={"Twice in one batch"},
    ),
]


def _write_inputs(folder: Path) -> None:
    folder.mkdir()
    for case in CASES:
        if case.data is not None:
            (folder / case.file).write_bytes(case.data)
    unit = "новина news 2026 ".encode()
    (folder / "single-line-50mb.txt").write_bytes(unit * (FIFTY_MB // len(unit) + 1))
    words = "markets energy prices parliament vote reform budget talks weather floods".split()
    body = " ".join(words[i % len(words)] for i in range(2 * 1024 * 1024 // 7))
    (folder / "big-body.jsonl").write_bytes(_jsonl(_record(BIG_BODY_TITLE, body)))


def _table(db: Path, sql: str, params: list | None = None) -> list[tuple]:
    with duckdb.connect(str(db), read_only=True) as con:
        return con.execute(sql, params or []).fetchall()


def _snapshot(db: Path) -> dict[str, list[tuple]]:
    """Everything stored about the articles, except when each was ingested."""
    return {
        "articles": _table(db, "SELECT * EXCLUDE (ingested_at) FROM articles ORDER BY article_id"),
        "countries": _table(db, "SELECT * FROM article_countries ORDER BY ALL"),
        "topics": _table(db, "SELECT * FROM article_topics ORDER BY ALL"),
    }


@dataclass
class Result:
    db: Path
    before: dict[str, list[tuple]]
    summary: RunSummary
    by_file: dict[str, list[tuple]]  # file name -> (title, body, published_at) loaded from it
    errors_by_file: dict[str, list[tuple[str, str, str]]]


_ORIGIN = re.compile(r"^(.*?)(?:[:#]\d+)?$")


@pytest.fixture(scope="module")
def result(tmp_path_factory: pytest.TempPathFactory) -> Result:
    base = tmp_path_factory.mktemp("bad_input")
    existing = base / "existing.jsonl"
    existing.write_bytes(_jsonl(*BEFORE))
    db = base / "monitor.duckdb"
    ingest([existing], db)
    before = _snapshot(db)

    folder = base / "bad"
    _write_inputs(folder)
    summary = ingest([folder], db)

    by_file: dict[str, list[tuple]] = {}
    for origin, title, body, published in _table(
        db, "SELECT origin, title, body, published_at FROM articles"
    ):
        name = Path(_ORIGIN.match(origin).group(1)).name
        by_file.setdefault(name, []).append((title, body, published))
    errors_by_file: dict[str, list[tuple[str, str, str]]] = {}
    for origin, location, severity, message in _table(
        db,
        "SELECT origin, location, severity, message FROM ingest_errors "
        "WHERE run_id = ? ORDER BY origin, location",
        [summary.run_id],
    ):
        errors_by_file.setdefault(Path(origin).name, []).append((location, severity, message))
    return Result(db, before, summary, by_file, errors_by_file)


@pytest.mark.parametrize("case", CASES, ids=[case.file for case in CASES])
def test_bad_input_is_reported_and_the_good_records_load(result: Result, case: Case) -> None:
    loaded = {title for title, _, _ in result.by_file.get(case.file, [])}
    assert loaded == case.titles
    recorded = result.errors_by_file.get(case.file, [])
    assert len(recorded) == len(case.errors), recorded
    for (location, severity, message), (want_location, want_severity, fragment) in zip(
        recorded, case.errors, strict=True
    ):
        assert (location, severity) == (want_location, want_severity), message
        assert fragment in message


def test_the_run_went_on_and_counted_every_failure(result: Result) -> None:
    expected_failed = sum(
        1 for case in CASES for _, severity, _ in case.errors if severity == "error"
    )
    assert result.summary.failed == expected_failed
    assert result.summary.files == len(CASES)
    assert result.summary.counts.inserted == sum(len(case.titles) for case in CASES)
    finished = _table(result.db, "SELECT count(*) FROM ingest_runs WHERE finished_at IS NOT NULL")
    assert finished == [(2,)]


def test_nothing_already_in_the_database_was_lost_or_changed(result: Result) -> None:
    after = _snapshot(result.db)
    for table, rows in result.before.items():
        kept = {repr(row) for row in after[table]}
        assert [row for row in rows if repr(row) not in kept] == [], table
    assert len(after["articles"]) == len(result.before["articles"]) + sum(
        len(case.titles) for case in CASES
    )


def test_dates_kept_when_valid_and_dropped_when_not(result: Result) -> None:
    published = {title: when for title, _, when in result.by_file["dates.jsonl"]}
    moment = datetime(2026, 2, 16, 12, 0)
    assert published == {
        "Impossible day": None,
        "All zeros": None,
        "Far future": None,
        "Epoch seconds": moment,
        "Epoch milliseconds": moment,
        "Epoch seconds as text": moment,
    }


def test_long_fields_are_cut_to_their_limits(result: Result) -> None:
    ((_, body, _),) = result.by_file["big-body.jsonl"]
    assert len(body) == MAX_BODY_CHARS and body.startswith("markets energy prices")
    ((title, _, _),) = result.by_file["long-title.jsonl"]
    assert len(title) <= MAX_TITLE_CHARS and title.startswith("Headline Headline")


def test_control_and_direction_characters_are_removed_but_the_text_kept(result: Result) -> None:
    ((title, body, _),) = result.by_file["control-characters.jsonl"]
    for text in (title, body):
        assert not any(ord(char) < 32 and char != "\n" for char in text)
        assert not set(text) & set("\x7f\u200e\u200f\u202c\u202e\ufeff")
    assert "שלום עולם" in body and "مرحبا بالعالم" in body


def test_encodings_are_decoded(result: Result) -> None:
    ((_, body, published),) = result.by_file["windows-1251.txt"]
    assert body.startswith("Над 500 изложители от 30 държави")
    assert published == datetime(2026, 2, 14)
    ((_, body, _),) = result.by_file["utf-16-no-bom.jsonl"]
    assert body == "Νέα μέτρα για την ενέργεια."


def test_a_csv_row_with_line_breaks_keeps_them(result: Result) -> None:
    bodies = {title: body for title, body, _ in result.by_file["columns.csv"]}
    assert bodies["Multi-line row"] == (
        "First line of the body\nsecond line, with a comma\nthird line"
    )


def test_the_same_article_twice_is_stored_once(result: Result) -> None:
    assert len(result.by_file["same-article-twice.jsonl"]) == 1
    rows = _table(result.db, "SELECT url FROM articles WHERE title = 'Twice in one batch'")
    assert rows == [("https://dup.example/story",)]


@pytest.fixture
def dashboard_db_path(result: Result) -> Path:
    """The dashboard fixture (tests/conftest.py) opened on this module's database."""
    return result.db


def test_every_error_is_listed_on_the_data_health_page(
    result: Result, dashboard: Dashboard
) -> None:
    dashboard.open("views/health.py")
    tables = [element.value for element in dashboard.app.dataframe]
    listed = next(frame for frame in tables if "message" in frame.columns)
    shown = {
        (Path(origin).name, location, message)
        for origin, location, message in listed[["origin", "location", "message"]].itertuples(
            index=False
        )
    }
    for file, errors in result.errors_by_file.items():
        for location, _, message in errors:
            assert (file, location, message) in shown
    assert not dashboard.app.exception and not dashboard.app.error


def test_a_binary_file_with_any_name_is_refused(tmp_path: Path) -> None:
    """The same image under each text suffix: one clear error, never a garbage article."""
    image = b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR" + bytes(range(256)) * 4
    for suffix in (".txt", ".jsonl", ".csv", ".html"):
        (tmp_path / f"image{suffix}").write_bytes(image)
    summary = ingest([tmp_path], tmp_path / "db" / "monitor.duckdb")
    assert (summary.counts.inserted, summary.failed) == (0, 4)
    assert all("PNG image" in error.message for error in summary.first_errors)
