"""Saved searches: stored beside the database, replaced by name, shareable as URLs, and a
broken file is reported, never a traceback."""

from __future__ import annotations

import json
import threading
from datetime import UTC, datetime
from pathlib import Path
from urllib.parse import parse_qs, urlsplit

import pytest

from analytics.filters import Filters
from analytics.saved_searches import (
    MAX_NAME_CHARS,
    SavedSearch,
    SavedSearchError,
    delete_search,
    load_saved,
    save_search,
    saved_path,
)
from analytics.search import SearchSyntaxError

NOW = datetime(2026, 3, 12, 9, 30, tzinfo=UTC)


@pytest.fixture
def path(tmp_path) -> Path:
    return saved_path(tmp_path / "data" / "monitor.duckdb")


def test_file_sits_beside_the_database():
    assert saved_path(Path("data/monitor.duckdb")) == Path("data/monitor.saved.json")


def test_nothing_saved_yet(path):
    assert load_saved(path) == []


def test_save_and_reopen_a_search_with_its_filters(path):
    filters = Filters(
        period="custom",
        start=datetime(2026, 3, 1).date(),
        end=datetime(2026, 3, 12).date(),
        languages=("bg", "ru"),
        text="(НАТО OR NATO) AND Украйна NOT спорт",
    )
    saved = save_search(path, "  Украйна   и НАТО ", filters.to_query_params(), now=NOW)
    assert saved.name == "Украйна и НАТО"
    (loaded,) = load_saved(path)
    assert loaded == saved
    assert loaded.query == "(НАТО OR NATO) AND Украйна NOT спорт"
    assert loaded.saved_at == "2026-03-12T09:30:00+00:00"
    assert Filters.from_query_params(loaded.params) == filters


def test_url_reproduces_the_parameters(path):
    params = {"q": 'title:"нови санкции" OR "a & b?"', "lang": ["bg", "ru"], "period": "30d"}
    saved = save_search(path, "Санкции", params, now=NOW)
    url = saved.url("http://localhost:8501/articles")
    parts = urlsplit(url)
    assert parts.path == "/articles"
    expected = {key: value if isinstance(value, list) else [value] for key, value in params.items()}
    assert parse_qs(parts.query) == expected


def test_saving_under_an_existing_name_replaces_it_whatever_the_case(path):
    save_search(path, "Sanctions", {"q": "sanctions"}, now=NOW)
    save_search(path, "other", {"q": "NATO"}, now=NOW)
    save_search(path, "SANCTIONS", {"q": "санкции"}, now=NOW)
    assert [(s.name, s.query) for s in load_saved(path)] == [
        ("other", "NATO"),
        ("SANCTIONS", "санкции"),
    ]


def test_delete_by_name(path):
    save_search(path, "a", {"q": "x"}, now=NOW)
    save_search(path, "b", {"q": "y"}, now=NOW)
    assert delete_search(path, "A") is True
    assert delete_search(path, "missing") is False
    assert [s.name for s in load_saved(path)] == ["b"]


def test_a_query_with_a_syntax_error_is_not_saved(path):
    with pytest.raises(SearchSyntaxError):
        save_search(path, "broken", {"q": "(НАТО OR"}, now=NOW)
    assert load_saved(path) == []


def test_filters_without_a_text_query_can_be_saved(path):
    saved = save_search(path, "Bulgarian sources", {"lang": ["bg"]}, now=NOW)
    assert saved.query == ""


@pytest.mark.parametrize("name", ["", "   ", "x" * (MAX_NAME_CHARS + 1)])
def test_unusable_names_are_refused(path, name):
    with pytest.raises(SavedSearchError):
        save_search(path, name, {"q": "x"}, now=NOW)


def test_hostile_text_is_stored_as_data(path):
    name = "<script>alert(1)</script> '); DROP TABLE articles;--"
    saved = save_search(path, name, {"q": '"Robert\'); DROP"'}, now=NOW)
    assert load_saved(path) == [saved]
    assert json.loads(path.read_text("utf-8"))["searches"][0]["name"] == name


def test_not_json_is_a_clear_error_with_the_line(path):
    path.parent.mkdir(parents=True)
    path.write_text('{"searches": [\n  {"name": "a",\n  oops\n]}', encoding="utf-8")
    with pytest.raises(SavedSearchError, match=r"line 3: not valid JSON"):
        load_saved(path)


def test_wrong_shape_is_a_clear_error(path):
    path.parent.mkdir(parents=True)
    path.write_text('["a", "b"]', encoding="utf-8")
    with pytest.raises(SavedSearchError, match="not a saved-searches file"):
        load_saved(path)


def test_malformed_entries_are_skipped_and_good_ones_kept(path):
    path.parent.mkdir(parents=True)
    good = {"name": "good", "params": {"q": "НАТО", "lang": ["bg"], "bad": 3}, "saved_at": "x"}
    document = {"searches": [good, {"name": 5}, "text", {"name": "no params"}]}
    path.write_text(json.dumps(document), encoding="utf-8")
    assert load_saved(path) == [SavedSearch("good", {"q": "НАТО", "lang": ["bg"]}, "x")]


def test_unwritable_folder_is_a_clear_error(tmp_path):
    blocker = tmp_path / "data"
    blocker.write_text("a file where the folder should be")
    with pytest.raises(SavedSearchError, match="cannot be written"):
        save_search(saved_path(blocker / "monitor.duckdb"), "a", {"q": "x"}, now=NOW)


def test_concurrent_saves_keep_every_search(path):
    def save(number: int) -> None:
        save_search(path, f"search {number}", {"q": f"word{number}"}, now=NOW)

    threads = [threading.Thread(target=save, args=(number,)) for number in range(12)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert len(load_saved(path)) == 12
    assert not list(path.parent.glob("*.tmp*")) and len(list(path.parent.iterdir())) == 2
