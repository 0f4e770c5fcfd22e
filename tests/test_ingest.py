"""The ingest command end to end: record files, bad input, idempotency, exit codes, publishing."""

from __future__ import annotations

import json
import subprocess
import sys
from datetime import datetime
from pathlib import Path

import duckdb
import pytest

from etl.cli import main
from etl.pipeline import ingest
from etl.store import working_copy_path

ROOT = Path(__file__).resolve().parents[1]

PAGE_BG = """3 Февруари, 2026

Софийският университет откри нова лаборатория

Софийският университет откри нова лаборатория

Университетът представи центъра за изкуствен интелект пред студенти и преподаватели.

Лабораторията е финансирана по европейска програма. /БГНЕС

Сподели:
"""

RECORDS = [
    {
        "url": "https://www.example.bg/news/1?utm_source=x",
        "title": "Правителството одобри плана",
        "text": "Министрите приеха плана за енергетиката.",
        "published_at": "2026-02-01T10:00:00+02:00",
        "source": "example.bg",
        "lang": "bg",
        "section": "politics",
    },
    {
        "link": "https://news.example.com/a/2",
        "headline": "Markets rally on rate hopes",
        "content": "Stocks rose across Europe on Monday.",
        "pubDate": "Mon, 02 Feb 2026 09:30:00 -0500",
        "outlet": "Example News",
    },
    {
        "headline": "Undated item",
        "article": "A record with no date at all.",
        "media_name": "Wire Digest",
    },
]


def _write_jsonl(path: Path, records: list, tail: str = "") -> Path:
    lines = [json.dumps(record, ensure_ascii=False) for record in records]
    path.write_text("\n".join(lines) + "\n" + tail, encoding="utf-8")
    return path


def _rows(db: Path, sql: str, params: list | None = None) -> list[tuple]:
    with duckdb.connect(str(db), read_only=True) as con:
        return con.execute(sql, params or []).fetchall()


@pytest.fixture
def inputs(tmp_path: Path) -> Path:
    folder = tmp_path / "inputs"
    (folder / "pages").mkdir(parents=True)
    (folder / "pages" / "lab.txt").write_text(PAGE_BG, encoding="utf-8")
    _write_jsonl(folder / "records.jsonl", RECORDS)
    (folder / "records.csv").write_text(
        "headline,body,date,site,notes\n"
        '"Floods hit the north","Rivers burst their banks,\nforcing evacuations.",2026-01-15,'
        "north.example.org,checked\n",
        encoding="utf-8",
    )
    return folder


def test_ingest_maps_fields_and_is_idempotent(inputs: Path, tmp_path: Path):
    db = tmp_path / "monitor.duckdb"
    first = ingest([inputs], db)
    assert (first.files, first.counts.inserted, first.failed) == (3, 5, 0)

    rows = dict(
        (title, (url, source, published_at, hint, extra))
        for title, url, source, published_at, hint, extra in _rows(
            db, "SELECT title, url, source, published_at, language_hint, extra FROM articles"
        )
    )
    assert rows["Правителството одобри плана"] == (
        "https://example.bg/news/1",
        "example.bg",
        datetime(2026, 2, 1, 8, 0),
        "bg",
        json.dumps({"section": "politics"}),
    )
    assert rows["Markets rally on rate hopes"][:3] == (
        "https://news.example.com/a/2",
        "Example News",
        datetime(2026, 2, 2, 14, 30),
    )
    assert rows["Undated item"][1:3] == ("Wire Digest", None)
    assert rows["Floods hit the north"][1:3] == ("north.example.org", datetime(2026, 1, 15))
    assert json.loads(rows["Floods hit the north"][4]) == {"notes": "checked"}
    (body,) = _rows(db, "SELECT body FROM articles WHERE title = 'Floods hit the north'")[0]
    assert body == "Rivers burst their banks,\nforcing evacuations."

    second = ingest([inputs], db)
    assert (second.counts.inserted, second.counts.updated, second.counts.unchanged) == (0, 0, 5)
    assert _rows(db, "SELECT count(*) FROM articles") == [(5,)]
    assert _rows(db, "SELECT count(*) FROM ingest_runs WHERE finished_at IS NOT NULL") == [(2,)]


def test_changed_record_updates_its_row(inputs: Path, tmp_path: Path):
    db = tmp_path / "monitor.duckdb"
    ingest([inputs], db)
    changed = [dict(RECORDS[0], text="Министрите приеха променения план.")]
    _write_jsonl(inputs / "records.jsonl", changed + RECORDS[1:])
    summary = ingest([inputs], db)
    assert (summary.counts.inserted, summary.counts.updated, summary.counts.unchanged) == (0, 1, 4)
    assert _rows(db, "SELECT body FROM articles WHERE url = 'https://example.bg/news/1'") == [
        ("Министрите приеха променения план.",)
    ]


def test_bad_inputs_are_recorded_and_the_good_records_load(tmp_path: Path):
    folder = tmp_path / "bad"
    folder.mkdir()
    (folder / "empty.txt").write_bytes(b"")
    (folder / "blank.txt").write_text("  \n\t\n", encoding="utf-8")
    (folder / "image.txt").write_bytes(b"\x89PNG\r\n\x1a\n" + bytes(range(256)))
    _write_jsonl(folder / "truncated.jsonl", RECORDS[:2], tail='{"title": "cut off", "te')
    _write_jsonl(folder / "not_objects.jsonl", [RECORDS[2], [1, 2], "just text"])
    (folder / "short_row.csv").write_text(
        "title,text,date\nGood row,Body text,2026-01-01\nMissing column,Body only\n",
        encoding="utf-8",
    )
    (folder / "bad_bytes.txt").write_bytes(
        PAGE_BG.encode("utf-8").replace("Университетът".encode(), b"\xff\xfe")
    )
    db = tmp_path / "monitor.duckdb"
    summary = ingest([folder], db)

    titles = {row[0] for row in _rows(db, "SELECT title FROM articles")}
    assert titles == {
        "Правителството одобри плана",
        "Markets rally on rate hopes",
        "Undated item",
        "Good row",
        "Софийският университет откри нова лаборатория",
    }
    errors = {
        (Path(origin).name, location, severity): message
        for origin, location, message, severity in _rows(
            db, "SELECT origin, location, message, severity FROM ingest_errors"
        )
    }
    assert "empty file" in errors[("empty.txt", "", "error")]
    assert "empty file" in errors[("blank.txt", "", "error")]
    assert "PNG image" in errors[("image.txt", "", "error")]
    assert "truncated JSON" in errors[("truncated.jsonl", "line 3", "error")]
    assert "JSON array is not a record" in errors[("not_objects.jsonl", "line 2", "error")]
    assert "JSON string is not a record" in errors[("not_objects.jsonl", "line 3", "error")]
    assert "2 fields but the header has 3" in errors[("short_row.csv", "line 3", "error")]
    assert "invalid UTF-8" in errors[("bad_bytes.txt", "line 7", "warning")]
    assert summary.failed == 7


def test_cli_exit_codes_and_summary(inputs: Path, tmp_path: Path):
    db = tmp_path / "cli.duckdb"
    command = [sys.executable, "-m", "etl", "ingest", str(inputs), "--db", str(db)]
    ok = subprocess.run(command, capture_output=True, text=True, cwd=ROOT, check=False)
    assert ok.returncode == 0, ok.stderr
    assert "inserted 5, updated 0, unchanged 0, failed 0" in ok.stdout

    (inputs / "broken.jsonl").write_text('{"title": "x", "text": "y"}\n{oops\n', encoding="utf-8")
    partial = subprocess.run(command, capture_output=True, text=True, cwd=ROOT, check=False)
    assert partial.returncode == 1
    assert "inserted 1, updated 0, unchanged 5, failed 1" in partial.stdout
    assert "broken.jsonl line 2: invalid JSON" in partial.stdout

    missing = [sys.executable, "-m", "etl", "ingest", str(tmp_path / "nope"), "--db", str(db)]
    usage = subprocess.run(missing, capture_output=True, text=True, cwd=ROOT, check=False)
    assert usage.returncode == 2
    assert "no such file or folder" in usage.stderr
    assert "Traceback" not in usage.stderr


def test_db_from_environment_and_source_flag(tmp_path: Path, monkeypatch):
    page = tmp_path / "page.txt"
    page.write_text(PAGE_BG, encoding="utf-8")
    db = tmp_path / "from_env.duckdb"
    monkeypatch.setenv("MONITOR_DB", str(db))
    assert main(["ingest", str(page), "--source", "novini.bg"]) == 0
    assert _rows(db, "SELECT source FROM articles") == [("novini.bg",)]


def test_failed_run_leaves_the_published_database_untouched(inputs: Path, tmp_path: Path):
    db = tmp_path / "monitor.duckdb"
    ingest([inputs], db)
    before = db.read_bytes()

    def interrupt(done: int, total: int) -> None:
        raise KeyboardInterrupt

    (inputs / "more.jsonl").write_text('{"title": "New", "text": "More text."}\n', encoding="utf-8")
    with pytest.raises(KeyboardInterrupt):
        ingest([inputs], db, progress=interrupt)
    assert db.read_bytes() == before
    assert not working_copy_path(db.resolve()).exists()


def test_read_only_folder_gives_a_clear_message(inputs: Path, tmp_path: Path, capsys):
    locked = tmp_path / "locked"
    locked.mkdir()
    locked.chmod(0o500)
    try:
        probe = locked / "probe"
        try:
            probe.touch()
            pytest.skip("running as a user who can write to read-only folders (root)")
        except PermissionError:
            pass
        code = main(["ingest", str(inputs), "--db", str(locked / "monitor.duckdb")])
    finally:
        locked.chmod(0o700)
    assert code == 1
    assert "read-only" in capsys.readouterr().err
