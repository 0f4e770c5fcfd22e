"""The Compare and Saved searches pages in Streamlit's AppTest, on the search corpus."""

from __future__ import annotations

from pathlib import Path

import pytest
from streamlit.testing.v1 import AppTest
from test_search_corpus import build_search_db

from analytics.saved_searches import load_saved, saved_path

ROOT = Path(__file__).resolve().parents[1]
# The page under test runs as the dashboard runs it: after the sidebar put the selection
# in the session (here a fixed one, March 2026 by day).
RUNNER = """
import runpy
from datetime import date
import streamlit as st
from analytics.filters import Filters
st.session_state.setdefault("filters", Filters(
    period="custom", start=date(2026, 3, 1), end=date(2026, 3, 12), granularity="day",
    text="{text}"))
runpy.run_path("{page}", run_name="__page__")
"""


@pytest.fixture(scope="module")
def db_path(tmp_path_factory):
    return build_search_db(tmp_path_factory.mktemp("pages") / "monitor.duckdb")


def page(name: str, db_path: Path, monkeypatch, text: str = "") -> AppTest:
    monkeypatch.setenv("MONITOR_DB", str(db_path))
    monkeypatch.chdir(ROOT)
    script = RUNNER.format(page=f"views/{name}.py", text=text)
    app = AppTest.from_string(script, default_timeout=60)
    app.run()
    assert not app.exception, [item.value for item in app.exception]
    return app


def test_compare_draws_one_line_per_query(db_path, monkeypatch):
    app = page("compare", db_path, monkeypatch)
    assert "Type up to four queries" in app.info[0].value
    app.text_input(key="compare_name_1").input("Sanctions")
    app.text_input(key="compare_query_1").input("санкция OR sanction")
    app.text_input(key="compare_query_2").input("НАТО OR NATO").run()
    assert not app.exception
    (chart,) = app.get("plotly_chart")
    assert '"name":"Sanctions"' in chart.proto.spec and '"name":"Query 2"' in chart.proto.spec


def test_compare_shows_a_syntax_error_next_to_its_box(db_path, monkeypatch):
    app = page("compare", db_path, monkeypatch)
    app.text_input(key="compare_query_3").input("(НАТО OR").run()
    assert not app.exception
    assert "must be followed by a search term" in app.error[0].value
    assert app.code[0].value == "(НАТО OR\n      ^"


def test_saving_the_current_selection_and_listing_it(db_path, monkeypatch):
    app = page("saved", db_path, monkeypatch, text="НАТО NOT спорт")
    app.text_input(key="saved_name").input("<b>NATO</b> watch")
    app.button(key="saved_save").click().run()
    assert not app.exception
    (saved,) = load_saved(saved_path(db_path))
    assert (saved.name, saved.query) == ("<b>NATO</b> watch", "НАТО NOT спорт")
    assert saved.params["period"] == "custom"
    table = app.dataframe[0].value
    assert list(table["Name"]) == ["<b>NATO</b> watch"]


def test_a_broken_query_is_not_saved(db_path, monkeypatch):
    app = page("saved", db_path, monkeypatch, text="НАТО AND")
    app.text_input(key="saved_name").input("broken")
    app.button(key="saved_save").click().run()
    assert not app.exception
    assert "must be followed by a search term" in app.error[0].value
    assert all(search.name != "broken" for search in load_saved(saved_path(db_path)))
