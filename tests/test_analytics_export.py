"""CSV exports: Excel-friendly encoding, formula injection neutralized, every row written."""

from __future__ import annotations

import csv
import io
from datetime import date

import pandas as pd
import pytest

from analytics.articles import EXPORT_COLUMNS
from analytics.database import Database
from analytics.export import articles_csv, frame_csv, neutralize
from analytics.filters import Filters


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        ('=HYPERLINK("x")', '\'=HYPERLINK("x")'),
        ("+1", "'+1"),
        ("-cmd", "'-cmd"),
        ("@SUM(A1)", "'@SUM(A1)"),
        ("\t=1", "'\t=1"),
        ("a=1", "a=1"),
        ("България", "България"),
        (-5, -5),
        (2.5, 2.5),
    ],
)
def test_neutralize(value: object, expected: object) -> None:
    assert neutralize(value) == expected


def _read(data: bytes) -> list[list[str]]:
    assert data.startswith("\ufeff".encode())
    return list(csv.reader(io.StringIO(data.decode("utf-8-sig"), newline="")))


def test_an_aggregate_frame_as_csv() -> None:
    frame = pd.DataFrame({"label": ["=cmd", "Русия"], "count": [3, -1], "share": [0.5, None]})
    data = frame_csv(frame)
    assert b"\r\n" in data
    assert _read(data) == [["label", "count", "share"], ["'=cmd", "3", "0.5"], ["Русия", "-1", ""]]


def test_articles_export_streams_every_selected_article(dashboard_db: Database) -> None:
    filters = Filters(period="custom", start=date(2026, 3, 23), end=date(2026, 3, 29))
    rows = _read(articles_csv(dashboard_db, filters.replace(topics=("11000000",))).read())
    assert rows[0] == list(EXPORT_COLUMNS)
    assert len(rows) == 1 + 6
    talks = next(row for row in rows if row[7] == "https://dnevnik.bg/talks-kyiv-moscow")
    record = dict(zip(rows[0], talks, strict=True))
    assert record["countries"] == "RU;TR;UA;US"
    assert record["topics"] == "11000000"
    assert record["published_utc"] == "2026-03-25T10:00:00Z"
    assert record["agency"] == "БГНЕС"


def test_formula_titles_are_neutralized_and_bodies_optional(dashboard_db: Database) -> None:
    rows = _read(articles_csv(dashboard_db, Filters(text="hyperlink"), include_body=True).read())
    assert rows[0][-1] == "body"
    record = dict(zip(rows[0], rows[1], strict=True))
    assert record["title"] == '\'=HYPERLINK("http://example.invalid","click")'
    assert record["body"].startswith("Цените на горивата")


def test_an_empty_export_still_has_its_header(dashboard_db: Database) -> None:
    rows = _read(articles_csv(dashboard_db, Filters(text="no such words anywhere")).read())
    assert rows == [list(EXPORT_COLUMNS)]
