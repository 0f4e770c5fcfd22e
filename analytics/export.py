"""CSV that opens cleanly in Excel: UTF-8 with a byte-order mark, formulas neutralized.

A cell that starts with = + - @ (or a tab or carriage return) would run as a formula in a
spreadsheet; such text cells get a leading apostrophe, which spreadsheets show as plain
text. Numbers are written as numbers. The articles export streams from DuckDB in batches
into a temporary file, so no row cap is needed.
"""

from __future__ import annotations

import csv
import io
import tempfile
from collections.abc import Iterable, Sequence
from typing import IO

import pandas as pd

from analytics.articles import export_query
from analytics.database import Database
from analytics.filters import Filters

BOM = "\ufeff"
_FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


def neutralize(value: object) -> object:
    """A text cell made safe for spreadsheets; other values unchanged."""
    if isinstance(value, str) and value.startswith(_FORMULA_STARTS):
        return "'" + value
    return value


def _cell(value: object) -> object:
    if isinstance(value, str):  # most cells: checked first, the export writes millions
        return "'" + value if value.startswith(_FORMULA_STARTS) else value
    if value is None or (not isinstance(value, list) and pd.isna(value)):
        return ""
    if isinstance(value, list):
        value = ";".join(str(item) for item in value)
    return neutralize(value)


def write_rows(out: IO[str], header: Sequence[str], batches: Iterable[Sequence[Sequence]]) -> None:
    """Write a BOM, the header and every row of every batch."""
    out.write(BOM)
    writer = csv.writer(out, lineterminator="\r\n")
    writer.writerow([_cell(name) for name in header])
    for batch in batches:
        writer.writerows([_cell(value) for value in row] for row in batch)


def frame_csv(frame: pd.DataFrame) -> bytes:
    """A small aggregate frame as CSV bytes."""
    out = io.StringIO()
    rows = frame.astype(object).itertuples(index=False, name=None)
    write_rows(out, [str(column) for column in frame.columns], [list(rows)])
    return out.getvalue().encode("utf-8")


def articles_csv(db: Database, filters: Filters, include_body: bool = False) -> IO[bytes]:
    """Every selected article as CSV in a temporary file on disk, rewound and ready to read.

    Rows go from DuckDB to the file in batches, so the export never holds the result set.
    """
    sql, params = export_query(filters, include_body)
    buffered = tempfile.TemporaryFile()  # noqa: SIM115 (handed to the caller to read)
    text = io.TextIOWrapper(buffered, encoding="utf-8", newline="")
    header, batches = db.stream(sql, params)
    write_rows(text, header, batches)
    text.flush()
    raw = text.detach().detach()  # the plain file: what Streamlit's download accepts
    raw.seek(0)
    return raw
