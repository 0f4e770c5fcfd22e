"""The articles matching a selection's topics, countries and text are stored once per
snapshot: every query of a view reads those rows, the answers are those of the base tables,
and a view that changes only the period, sources or languages reads the same stored rows."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pytest

from analytics import coverage, database
from analytics.articles import count_articles
from analytics.database import Database
from analytics.filters import Filters


@pytest.fixture
def db(dashboard_db_path: Path) -> Database:
    """A snapshot of its own: nothing stored yet."""
    return Database(dashboard_db_path)


def _most_common(db: Database, table: str, column: str, n: int) -> tuple[str, ...]:
    rows = db.rows(
        f"SELECT {column} FROM {table} GROUP BY {column} ORDER BY count(*) DESC, {column} LIMIT $n",
        {"n": n},
    )
    return tuple(value for (value,) in rows)


def _expected_ids(db: Database, filters: Filters) -> set[str]:
    """The matching articles from the base tables, in Python: no Filters SQL involved."""
    tagged: dict[str, dict[str, set[str]]] = {"topics": {}, "countries": {}}
    for name, table, column in (
        ("topics", "article_topics", "topic"),
        ("countries", "article_countries", "country"),
    ):
        for article_id, value in db.rows(f"SELECT article_id, {column} FROM {table}"):
            tagged[name].setdefault(article_id, set()).add(value)
    start, until = filters.utc_bounds()
    matching = set()
    for article_id, published_at, source, language in db.rows(
        "SELECT article_id, published_at, source, language FROM articles"
    ):
        if start is not None and (published_at is None or published_at < start):
            continue
        if until is not None and (published_at is None or published_at >= until):
            continue
        if filters.sources and source not in filters.sources:
            continue
        if filters.languages and language not in filters.languages:
            continue
        topics = tagged["topics"].get(article_id, set())
        countries = tagged["countries"].get(article_id, set())
        if filters.topics and not topics & set(filters.topics):
            continue
        if filters.countries and filters.all_countries:
            if not set(filters.countries) <= countries:
                continue
        elif filters.countries and not countries & set(filters.countries):
            continue
        matching.add(article_id)
    return matching


def _stored_ids(db: Database, filters: Filters) -> set[str]:
    where = filters.where()
    sql = (
        f"SELECT f.article_id FROM {where.table} a JOIN article_facts f USING (article_key) "
        f"WHERE {where.rest}"
    )
    return {article_id for (article_id,) in db.rows(sql, where.params)}


def test_the_stored_rows_are_the_articles_of_the_base_tables(db: Database) -> None:
    topics = _most_common(db, "article_topics", "topic", 2)
    countries = _most_common(db, "article_countries", "country", 3)
    sources = _most_common(db, "articles", "source", 3)
    (pair,) = db.rows(
        "SELECT [x.country, y.country] FROM article_countries x JOIN article_countries y "
        "ON x.article_id = y.article_id AND x.country < y.country "
        "GROUP BY ALL ORDER BY count(*) DESC, 1 LIMIT 1"
    )
    selections = [
        Filters(period="all", topics=topics, countries=countries),
        Filters(period="all", topics=topics[:1], sources=sources),
        Filters(period="all", countries=pair[0], all_countries=True),
        Filters(period="custom", start=date(2026, 3, 1), end=date(2026, 3, 31), topics=topics),
        Filters(period="all", countries=countries, languages=("bg", "en")),
    ]
    for filters in selections:
        expected = _expected_ids(db, filters)
        assert expected, f"the fixture gives {filters} no articles: the check would be empty"
        assert _stored_ids(db, filters) == expected
        assert count_articles(db, filters) == len(expected)
        where = filters.where()
        plain = db.rows(f"SELECT a.article_id FROM article_facts a WHERE {where.sql}", where.params)
        assert {article_id for (article_id,) in plain} == expected


def test_a_view_reads_one_stored_selection_and_a_new_period_reuses_it(db: Database) -> None:
    topics = _most_common(db, "article_topics", "topic", 2)
    countries = _most_common(db, "article_countries", "country", 2)
    filters = Filters(period="all", topics=topics, countries=countries)
    coverage.headline_numbers(db, filters)
    coverage.top_values(db, filters, "source")
    coverage.coverage_over_time(db, filters)
    (selection,) = db.materialized_tables()
    assert selection == filters.where().table

    narrower = filters.with_range(date(2026, 3, 1), date(2026, 3, 31)).replace(languages=("bg",))
    coverage.top_values(db, narrower, "source")
    assert narrower.where().table == selection
    assert db.materialized_tables() == [selection]

    other = filters.replace(topics=topics[:1])
    count_articles(db, other)
    assert set(db.materialized_tables()) == {selection, other.where().table}
    assert other.where().table != selection


def test_a_selection_without_content_reads_the_articles_themselves(db: Database) -> None:
    filters = Filters(period="all", languages=("bg",))
    where = filters.where()
    assert where.table == "article_facts" and where.rest == where.sql
    count_articles(db, filters)
    assert db.materialized_tables() == []


def test_stored_rows_stay_within_their_budget(db: Database, monkeypatch) -> None:
    first, second = (
        Filters(period="all", topics=(topic,))
        for topic in _most_common(db, "article_topics", "topic", 2)
    )
    sizes = [count_articles(Database(db.path), filters) for filters in (first, second)]
    monkeypatch.setattr(database, "MAX_MATERIALIZED_ROWS", sum(sizes) - 1)
    assert count_articles(db, first) == sizes[0]
    assert db.materialized_tables() == [first.where().table]
    assert count_articles(db, second) == sizes[1]
    assert db.materialized_tables() == [second.where().table]  # the first one went
    assert count_articles(db, first) == sizes[0]  # and is built again when asked again
