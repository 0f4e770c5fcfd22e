"""A text search's matches are stored once per snapshot and read by every query that holds the
search: the answers are those of the search run inline, the stored tables are few, live in the
private in-memory database and are named by a hash, never by the query's text."""

from __future__ import annotations

import hashlib
import re
import threading
from pathlib import Path

import pytest

from analytics import coverage
from analytics.articles import count_articles, matching_articles
from analytics.compare import compare_series
from analytics.database import MAX_MATERIALIZED, Database
from analytics.export import articles_csv
from analytics.filters import Filters
from analytics.search import compile_search
from tests.test_security import ODD_VALUES, SQL_HOSTILE

QUERIES = [
    "Украйна OR Ukraine OR Украина",
    "Киев",
    "budget OR tax",
    "NOT Украйна",
    '"no such words anywhere"',
    "title:Ukraine OR source:example*",
]
TABLE = re.compile(r"memory\.main\.(search|selection)_[0-9a-f]{32}")


def _stored(text: str) -> set[str]:
    """The tables a view of this search reads: its matches, and the articles they select."""
    filters = Filters(period="all", text=text)
    return {compile_search(text).stored().table, filters.where().params["f_selection"].table}


@pytest.fixture
def db(dashboard_db_path: Path) -> Database:
    """A snapshot of its own: no table stored yet."""
    return Database(dashboard_db_path)


def _inline_ids(db: Database, text: str) -> set[str]:
    """The matching articles with the search run inside the statement, as before storing."""
    clause, params = compile_search(text).clause("a")
    return {
        row[0]
        for row in db.rows(f"SELECT a.article_id FROM article_facts a WHERE {clause}", params)
    }


def _inline_by_relevance(db: Database, text: str) -> list[str]:
    matches, params = compile_search(text).matches()
    sql = f"""
        SELECT a.article_id FROM article_facts a JOIN ({matches}) m USING (article_id)
        ORDER BY m.score DESC, a.published_at DESC NULLS LAST, a.article_id
    """
    return [row[0] for row in db.rows(sql, params)]


@pytest.mark.parametrize("text", QUERIES)
def test_stored_matches_give_the_answers_of_the_inline_search(db: Database, text: str) -> None:
    filters = Filters(period="all", text=text)
    expected = _inline_ids(db, text)
    assert count_articles(db, filters) == len(expected)
    listed = matching_articles(db, filters, page_size=1_000)
    assert set(listed["article_id"]) == expected
    ranked = matching_articles(db, filters, sort="relevance", page_size=1_000)
    assert ranked["article_id"].tolist() == _inline_by_relevance(db, text)
    assert set(db.materialized_tables()) == _stored(text)


def test_every_query_of_a_page_reads_one_stored_search(db: Database) -> None:
    filters = Filters(period="all", text="Украйна OR Ukraine OR Украина")
    count_articles(db, filters)
    matching_articles(db, filters, sort="relevance")
    coverage.coverage_over_time(db, filters)
    coverage.top_values(db, filters, "source")
    coverage.headline_numbers(db, filters)
    articles_csv(db, filters).read()
    compare_series(db, Filters(period="all"), (("ua", filters.text),))
    assert set(db.materialized_tables()) == _stored(filters.text)


def test_different_queries_never_share_a_table(db: Database) -> None:
    tables = set().union(*(_stored(text) for text in QUERIES))
    assert len(tables) == 2 * len(QUERIES)
    for text in QUERIES:
        count_articles(db, Filters(period="all", text=text))
    assert set(db.materialized_tables()) == tables


def test_another_snapshot_builds_its_own(dashboard_db_path: Path) -> None:
    filters = Filters(period="all", text="Киев")
    first, second = Database(dashboard_db_path), Database(dashboard_db_path)
    assert count_articles(first, filters) == count_articles(second, filters) > 0
    assert first.materialized_tables() == second.materialized_tables()


def test_hostile_query_text_never_reaches_a_table_name_or_the_sql(db: Database) -> None:
    for value in SQL_HOSTILE + ODD_VALUES:
        for text in (value, f'"{value}"', f"title:{value}", f"source:{value}"):
            filters = Filters(period="all", text=text)
            if not filters.text or filters.text_problem() is not None:
                continue
            stored = compile_search(filters.text).stored()
            assert TABLE.fullmatch(stored.table)
            if value.strip() and value in SQL_HOSTILE:
                assert value not in stored.select
                assert value not in stored.table
            assert count_articles(db, filters) == len(_inline_ids(db, filters.text))
    assert all(TABLE.fullmatch(table) for table in db.materialized_tables())


def test_stored_tables_are_few_and_never_in_the_file(db: Database, dashboard_db_path: Path) -> None:
    before = hashlib.sha1(dashboard_db_path.read_bytes()).hexdigest()
    texts = [f"Ukraine OR word{number}" for number in range(MAX_MATERIALIZED + 4)]
    for text in texts:
        count_articles(db, Filters(period="all", text=text))
    tables = db.materialized_tables()
    assert len(tables) == MAX_MATERIALIZED
    assert set(tables) == set().union(*(_stored(text) for text in texts[-MAX_MATERIALIZED // 2 :]))
    stored = db.rows(
        "SELECT database_name, schema_name, table_name FROM duckdb_tables() "
        "WHERE regexp_full_match(table_name, '(search|selection)_[0-9a-f]{32}')"
    )
    assert sorted(f"{d}.{s}.{t}" for d, s, t in stored) == sorted(tables)
    evicted = Filters(period="all", text=texts[0])  # built again when asked again
    assert count_articles(db, evicted) == len(_inline_ids(db, texts[0]))
    assert hashlib.sha1(dashboard_db_path.read_bytes()).hexdigest() == before


def test_concurrent_sessions_build_a_search_once(db: Database) -> None:
    filters = Filters(period="all", text="budget OR tax OR Ukraine")
    expected = len(_inline_ids(db, filters.text))
    counts, errors = [], []

    def session() -> None:
        try:
            for _ in range(5):
                counts.append(count_articles(db, filters))
        except Exception as error:  # reported below, in the main thread
            errors.append(error)

    threads = [threading.Thread(target=session) for _ in range(6)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert errors == []
    assert counts == [expected] * 30
    assert set(db.materialized_tables()) == _stored(filters.text)
