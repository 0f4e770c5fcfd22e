"""One reader per input format; `read_file` picks it by `--format` or by sniffing the file.

Each reader module exposes `read(path, source) -> Iterator[Article | IngestError]`.
"""

from __future__ import annotations

import importlib
from collections.abc import Iterator
from pathlib import Path

from etl.record import Article, IngestError

READERS = {
    "text": ("etl.readers.text_page", "read"),
    "jsonl": ("etl.readers.records", "read_jsonl"),
    "csv": ("etl.readers.records", "read_csv"),
    "html": ("etl.readers.html", "read"),
    "feed": ("etl.readers.feeds", "read"),
    "gdelt": ("etl.readers.gdelt", "read"),
    "mediacloud": ("etl.readers.mediacloud", "read"),
}
FORMATS = ("auto", *READERS)

_BY_SUFFIX = {
    ".txt": "text",
    ".text": "text",
    ".jsonl": "jsonl",
    ".ndjson": "jsonl",
    ".json": "jsonl",
    ".csv": "csv",
    ".tsv": "csv",
    ".html": "html",
    ".htm": "html",
    ".xhtml": "html",
    ".rss": "feed",
    ".atom": "feed",
    ".xml": "feed",
}


def _head(path: Path, size: int = 2048) -> bytes:
    try:
        with open(path, "rb") as handle:
            return handle.read(size)
    except OSError:
        return b""


def detect_format(path: Path) -> str | None:
    """The reader for a file, from its name and first bytes; None when nothing fits."""
    name = path.name.lower()
    if name.endswith((".gkg.csv", ".gkg.csv.zip", ".gkg.zip")):
        return "gdelt"
    fmt = _BY_SUFFIX.get(path.suffix.lower())
    head = _head(path).lstrip(b"\xef\xbb\xbf \t\r\n").lower()
    header = head.split(b"\n", 1)[0]
    newer_export = b"media_name" in header and b"publish_date" in header
    if fmt == "csv" and (b"stories_id" in header or newer_export):
        return "mediacloud"
    if fmt in (None, "feed", "html"):
        if any(tag in head for tag in (b"<rss", b"<feed", b"<rdf:rdf")):
            return "feed"
        if b"<html" in head or head.startswith(b"<!doctype html"):
            return "html"
    return fmt


def read_file(
    path: Path, fmt: str = "auto", source: str | None = None
) -> Iterator[Article | IngestError]:
    """Articles and errors from one input file."""
    chosen = detect_format(path) if fmt == "auto" else fmt
    if chosen is None:
        yield IngestError(
            str(path), "", "unknown file type: give --format (one of: " + ", ".join(READERS) + ")"
        )
        return
    module_name, function_name = READERS[chosen]
    reader = getattr(importlib.import_module(module_name), function_name)
    found = False
    for item in reader(path, source):
        found = True
        yield item
        if isinstance(item, Article):
            yield from _cut_warnings(item, path)
    if not found:
        yield IngestError(str(path), "", f"no {chosen} records found in the file")


def _cut_warnings(article: Article, path: Path) -> Iterator[IngestError]:
    """A warning for each field that was cut to its length limit (the article still loads)."""
    rest = article.origin.removeprefix(str(path))
    location = {":": "line ", "#": "item "}.get(rest[:1], rest[:1]) + rest[1:]
    for name, limit in article.cut:
        message = f"the {name} is longer than {limit:,} characters; only the start was kept"
        yield IngestError(str(path), location, message, "warning")
