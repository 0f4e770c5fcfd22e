"""Saved searches: a name for a text query with its filters, kept in a small JSON file beside
the database (`data/monitor.duckdb` → `data/monitor.saved.json`).

The article database stays read-only for the dashboard; this file is the only thing it
writes. A saved search holds the filters' URL parameters (`Filters.to_query_params()`, the
text query under `q`), so reopening one is reopening its URL, and the URL can be shared.
Writes replace the file atomically under a lock, so two sessions saving at once cannot
corrupt it.
"""

from __future__ import annotations

import fcntl
import json
import os
import tempfile
from collections.abc import Iterator, Mapping, Sequence
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from urllib.parse import urlencode

from analytics.search import parse

FORMAT_VERSION = 1
MAX_NAME_CHARS = 80
MAX_SAVED = 500

Params = dict[str, str | list[str]]


class SavedSearchError(Exception):
    """The saved searches cannot be read or written, or a request makes no sense."""


@dataclass(frozen=True)
class SavedSearch:
    name: str
    params: Params  # the filters' URL query parameters
    saved_at: str  # ISO 8601, UTC

    @property
    def query(self) -> str:
        value = self.params.get("q", "")
        return value if isinstance(value, str) else " ".join(value)

    def url(self, base: str = "") -> str:
        """A link to the search: `base` (a page address) followed by its query string."""
        return f"{base}?{urlencode(self.params, doseq=True)}" if self.params else base


def saved_path(db_path: Path) -> Path:
    """The saved-searches file that belongs to a database file."""
    return db_path.with_name(db_path.stem + ".saved.json")


def load_saved(path: Path) -> list[SavedSearch]:
    """The saved searches, by name; none when the file does not exist yet."""
    try:
        text = path.read_text(encoding="utf-8")
    except FileNotFoundError:
        return []
    except OSError as error:
        raise SavedSearchError(f"{path}: cannot be read ({error.strerror})") from error
    try:
        document = json.loads(text)
    except json.JSONDecodeError as error:
        raise SavedSearchError(
            f"{path}, line {error.lineno}: not valid JSON ({error.msg}); fix or remove the file"
        ) from error
    entries = document.get("searches") if isinstance(document, dict) else None
    if not isinstance(entries, list):
        raise SavedSearchError(f"{path}: not a saved-searches file (no list of 'searches')")
    searches = [search for search in map(_from_json, entries) if search is not None]
    return sorted(searches, key=lambda search: search.name.casefold())


def _from_json(entry: object) -> SavedSearch | None:
    if not isinstance(entry, dict):
        return None
    name, params, saved_at = entry.get("name"), entry.get("params"), entry.get("saved_at")
    if not isinstance(name, str) or not isinstance(params, dict):
        return None
    clean: Params = {}
    for key, value in params.items():
        if isinstance(value, str):
            clean[str(key)] = value
        elif isinstance(value, list) and all(isinstance(item, str) for item in value):
            clean[str(key)] = list(value)
    return SavedSearch(name, clean, saved_at if isinstance(saved_at, str) else "")


def check_name(name: str) -> str:
    """The name, trimmed; raises SavedSearchError when it cannot name a search."""
    name = " ".join(name.split())
    if not name:
        raise SavedSearchError("give the search a name")
    if len(name) > MAX_NAME_CHARS:
        raise SavedSearchError(f"a name can be at most {MAX_NAME_CHARS} characters long")
    return name


def save_search(
    path: Path, name: str, params: Mapping[str, str | Sequence[str]], now: datetime | None = None
) -> SavedSearch:
    """Save (or replace, by name regardless of case) a search; returns what was stored.

    The text query must parse: SearchSyntaxError is raised otherwise, nothing is written.
    """
    name = check_name(name)
    clean: Params = {
        key: value if isinstance(value, str) else list(value) for key, value in params.items()
    }
    saved = SavedSearch(name, clean, (now or datetime.now(UTC)).isoformat(timespec="seconds"))
    if saved.query:
        parse(saved.query)
    with _locked(path):
        others = [s for s in load_saved(path) if s.name.casefold() != name.casefold()]
        if len(others) >= MAX_SAVED:
            raise SavedSearchError(f"at most {MAX_SAVED} searches can be saved; delete some")
        _write(path, [*others, saved])
    return saved


def delete_search(path: Path, name: str) -> bool:
    """Delete a saved search by name; False when there was none of that name."""
    with _locked(path):
        searches = load_saved(path)
        kept = [s for s in searches if s.name.casefold() != name.casefold()]
        if len(kept) == len(searches):
            return False
        _write(path, kept)
    return True


@contextmanager
def _locked(path: Path) -> Iterator[None]:
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        handle = open(path.with_name(path.name + ".lock"), "a")  # noqa: SIM115
    except OSError as error:
        raise SavedSearchError(f"{path}: cannot be written ({error.strerror})") from error
    with handle:
        fcntl.flock(handle, fcntl.LOCK_EX)
        yield


def _write(path: Path, searches: list[SavedSearch]) -> None:
    document = {
        "version": FORMAT_VERSION,
        "searches": [
            {"name": s.name, "params": s.params, "saved_at": s.saved_at}
            for s in sorted(searches, key=lambda search: search.name.casefold())
        ],
    }
    temporary = None
    try:
        with tempfile.NamedTemporaryFile(
            "w", encoding="utf-8", dir=path.parent, prefix=path.name, delete=False
        ) as handle:
            temporary = Path(handle.name)
            json.dump(document, handle, ensure_ascii=False, indent=2)
        os.replace(temporary, path)
    except OSError as error:
        if temporary:
            temporary.unlink(missing_ok=True)
        raise SavedSearchError(f"{path}: cannot be written ({error.strerror})") from error
