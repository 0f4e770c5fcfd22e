"""The current database snapshot and cached query results.

A query result is cached under the query's name, its arguments (the `Filters` value among
them) and the database version, so a newly published database is read on the next rerun
without a restart, and old results simply stop being asked for.
"""

from __future__ import annotations

import importlib
from collections.abc import Callable
from pathlib import Path

import streamlit as st

from analytics.database import Database, Version, database_path, database_version

CACHE_SECONDS = 600
CACHE_ENTRIES = 512


@st.cache_resource(max_entries=2, show_spinner=False)
def _snapshot(path: str, version: Version) -> Database:
    return Database(Path(path))


def current_database() -> Database:
    """The latest published snapshot; raises DatabaseUnavailable with a message for people."""
    path = database_path()
    version = database_version(path)
    if version is None:
        return Database(path)  # raises, explaining what is missing
    return _snapshot(str(path), version)


@st.cache_data(ttl=CACHE_SECONDS, max_entries=CACHE_ENTRIES, show_spinner=False)
def _cached(function: str, path: str, version: Version, args: tuple, kwargs: tuple):
    module_name, name = function.rsplit(".", 1)
    query = getattr(importlib.import_module(module_name), name)
    return query(_snapshot(path, version), *args, **dict(kwargs))


def query(function: Callable, *args, **kwargs):
    """`function(database, *args, **kwargs)` for the current snapshot, cached."""
    db = current_database()
    name = f"{function.__module__}.{function.__qualname__}"
    return _cached(name, str(db.path), db.version, args, tuple(sorted(kwargs.items())))
