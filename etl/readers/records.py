"""Record files: JSON Lines and CSV, one article per record, common field names mapped.

Which field feeds which attribute is data (`reference/record_fields.yaml`); every other
field is kept in `extra`. A bad record is an error for its line; the records around it load.
"""

from __future__ import annotations

import csv
import io
import json
from collections.abc import Iterator
from pathlib import Path

from etl.dates import parse_date_value
from etl.readers.files import read_text
from etl.record import Article, IngestError
from etl.reference import load_yaml
from etl.urls import url_domain

csv.field_size_limit(64 * 1024 * 1024)
_JSON_KINDS = {
    list: "array",
    str: "string",
    int: "number",
    float: "number",
    bool: "boolean",
    type(None): "null",
}


def _text(value) -> str:
    if value is None:
        return ""
    if isinstance(value, list):
        return "\n\n".join(_text(item) for item in value)
    return str(value).strip()


def record_to_article(
    record: dict, origin: str, location: str, default_source: str | None
) -> Article | IngestError:
    """Map one record's fields onto an Article, or explain why it is not an article."""
    by_name = {str(key).strip().casefold(): key for key in record if key is not None}
    used: set = set()

    def pick(attribute: str):
        for name in load_yaml("record_fields.yaml")[attribute]:
            key = by_name.get(name)
            if key is not None and _text(record[key]):
                used.add(key)
                return record[key]
        return None

    body, title = _text(pick("body")), _text(pick("title"))
    if not body and not title:
        fields = ", ".join(sorted(by_name)) or "none"
        return IngestError(origin, location, f"record has no title or text (fields: {fields})")
    raw_date = pick("published_at")
    published, date_problem = parse_date_value(raw_date)
    url = _text(pick("url")) or None
    source = _text(pick("source")) or default_source
    if source and source.startswith(("http://", "https://")):
        source = url_domain(source)
    language = _text(pick("language")).lower().replace("_", "-") or None
    extra = {str(key): value for key, value in record.items() if key not in used}
    article = Article(
        origin=f"{origin}:{location.removeprefix('line ')}",
        title=title,
        body=body,
        url=url,
        source=source,
        published_at=published,
        date_problem=date_problem,
        language_hint=language.split("-")[0] if language else None,
        extra=extra,
    )
    if not (article.title or article.body):
        return IngestError(
            origin, location, "record's title and text hold only control or formatting characters"
        )
    if not article.source and article.url:
        article.source = url_domain(article.url)
    return article


def read_jsonl(path: Path, source: str | None = None) -> Iterator[Article | IngestError]:
    origin = str(path)
    decoded, problems = read_text(path)
    yield from problems
    if decoded is None:
        return
    lines = decoded.text.split("\n")
    for number, line in enumerate(lines, start=1):
        if not line.strip():
            continue
        location = f"line {number}"
        try:
            record = json.loads(line)
        except json.JSONDecodeError as error:
            is_last = not any(rest.strip() for rest in lines[number:])
            ends_mid_record = not decoded.text.endswith("\n") or error.pos >= len(line.rstrip())
            truncated = is_last and ends_mid_record
            reason = "truncated JSON (the file ends mid-record)" if truncated else "invalid JSON"
            yield IngestError(origin, location, f"{reason}: {error.msg} at column {error.colno}")
            continue
        except RecursionError:
            yield IngestError(origin, location, "JSON nested too deeply to read")
            continue
        if not isinstance(record, dict):  # null, numbers, strings, arrays
            kind = _JSON_KINDS.get(type(record), "value")
            yield IngestError(origin, location, f"JSON {kind} is not a record (expected an object)")
            continue
        yield record_to_article(record, origin, location, source)


def read_csv(path: Path, source: str | None = None) -> Iterator[Article | IngestError]:
    origin = str(path)
    decoded, problems = read_text(path)
    yield from problems
    if decoded is None:
        return
    text = decoded.text
    try:
        dialect = csv.Sniffer().sniff(text[:20_000], delimiters=",;\t|")
    except csv.Error:
        dialect = csv.excel
    reader = csv.reader(io.StringIO(text, newline=""), dialect)
    try:
        header = [name.strip() for name in next(reader)]
    except StopIteration:
        yield IngestError(origin, "line 1", "CSV has no header row")
        return
    except csv.Error as error:
        yield IngestError(origin, "line 1", f"unreadable CSV header: {error}")
        return
    start_line = 2
    while True:
        try:
            row = next(reader)
        except StopIteration:
            break
        except csv.Error as error:
            yield IngestError(origin, f"line {reader.line_num}", f"unreadable CSV row: {error}")
            start_line = reader.line_num + 1
            continue
        location = f"line {start_line}"
        start_line = reader.line_num + 1
        if not any(cell.strip() for cell in row):
            continue
        if len(row) != len(header):
            yield IngestError(
                origin,
                location,
                f"row has {len(row)} fields but the header has {len(header)}; row skipped",
            )
            continue
        yield record_to_article(dict(zip(header, row, strict=True)), origin, location, source)
