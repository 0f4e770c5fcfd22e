"""The keyed tables and stored counts that every publish rebuilds (etl/summaries.py) match the
articles they summarize, and the dashboard answers from them exactly as from the articles."""

from __future__ import annotations

import shutil
from datetime import date
from pathlib import Path

import duckdb
import pandas as pd
import pytest

from analytics import coverage
from analytics.database import Database, DatabaseUnavailable
from analytics.filters import FACETS, MEASURES, Filters
from etl.pipeline import ingest
from etl.summaries import FACET_SOURCES

# Each facet counted straight from `articles` and its tags, the way the dashboard counted
# before the summaries existed: (facet, value, stories, placements).
_DIRECT_COUNTS = """
    WITH tagged AS (
        SELECT 'topics' AS facet, t.topic AS value, a.dup_group, a.article_id
        FROM articles a JOIN article_topics t USING (article_id)
        UNION ALL
        SELECT 'countries', c.country, a.dup_group, a.article_id
        FROM articles a JOIN article_countries c USING (article_id)
        UNION ALL SELECT 'source_countries', source_country, dup_group, article_id FROM articles
        UNION ALL SELECT 'sources', source, dup_group, article_id FROM articles
        UNION ALL SELECT 'agencies', agency, dup_group, article_id FROM articles
        UNION ALL SELECT 'languages', language, dup_group, article_id FROM articles)
    SELECT facet, value, count(DISTINCT dup_group), count(DISTINCT article_id)
    FROM tagged WHERE value IS NOT NULL GROUP BY ALL ORDER BY ALL
"""


@pytest.fixture(scope="module")
def con(dashboard_db_path: Path):
    with duckdb.connect(str(dashboard_db_path), read_only=True) as connection:
        yield connection


def test_every_facet_of_the_filters_is_summarized():
    assert set(FACET_SOURCES) == set(FACETS)
    for name, facet in FACETS.items():
        table, column = FACET_SOURCES[name]
        assert column == (facet.column or facet.tag_column)
        assert table == (facet.tag_table or "article_facts")


def test_article_keys_are_dense_in_date_order(con):
    rows = con.execute(
        "SELECT article_key, published_at, article_id FROM article_facts"
    ).fetchall()  # in stored order
    assert [key for key, _, _ in rows] == list(range(1, len(rows) + 1))
    dated = [(published, article_id) for _, published, article_id in rows if published]
    assert dated == sorted(dated)
    assert all(published is None for _, published, _ in rows[len(dated) :])
    assert len(rows) == con.execute("SELECT count(*) FROM articles").fetchone()[0]


def test_story_keys_follow_duplicate_groups(con):
    pairs = con.execute(
        "SELECT DISTINCT f.story_key, a.dup_group FROM article_facts f JOIN articles a "
        "USING (article_id)"
    ).fetchall()
    assert len({key for key, _ in pairs}) == len(pairs) == len({group for _, group in pairs})
    keys = sorted(key for key, _ in pairs)
    assert keys == list(range(1, len(keys) + 1))
    assert con.execute(
        "SELECT count(*) FROM article_facts f JOIN articles a USING (article_id) "
        "WHERE f.published_at IS DISTINCT FROM a.published_at OR f.source IS DISTINCT FROM "
        "a.source OR f.language IS DISTINCT FROM a.language OR f.agency IS DISTINCT FROM "
        "a.agency OR f.source_country IS DISTINCT FROM a.source_country"
    ).fetchone() == (0,)


@pytest.mark.parametrize(("facts", "tags", "column"), [
    ("topic_facts", "article_topics", "topic"),
    ("country_facts", "article_countries", "country"),
])  # fmt: skip
def test_tag_facts_are_the_tags_keyed_and_in_date_order(con, facts, tags, column):
    keyed = con.execute(
        f"SELECT a.article_id, t.{column}, t.published_at FROM {facts} t "
        "JOIN article_facts a USING (article_key)"
    ).fetchall()
    plain = con.execute(
        f"SELECT t.article_id, t.{column}, a.published_at FROM {tags} t "
        "JOIN articles a USING (article_id)"
    ).fetchall()
    assert sorted(keyed, key=str) == sorted(plain, key=str)
    dates = [published for _, _, published in keyed if published]
    assert dates == sorted(dates)


def test_stored_counts_equal_counts_over_the_articles(con):
    stored = con.execute("SELECT * FROM facet_counts ORDER BY ALL").fetchall()
    assert stored == con.execute(_DIRECT_COUNTS).fetchall()
    assert (
        con.execute("SELECT * FROM corpus_counts").fetchall()
        == con.execute(
            "SELECT count(DISTINCT dup_group), count(*), count(DISTINCT source), "
            "(SELECT count(DISTINCT country) FROM article_countries) FROM articles"
        ).fetchall()
    )


@pytest.mark.parametrize("measure", list(MEASURES))
def test_unfiltered_answers_from_stored_counts_equal_those_counted(
    dashboard_db, monkeypatch, measure
):
    everything = Filters(measure=measure)
    assert coverage.selects_all(everything)
    stored = _unfiltered_answers(dashboard_db, everything)
    monkeypatch.setattr(coverage, "selects_all", lambda filters: False)
    counted = _unfiltered_answers(dashboard_db, everything)
    assert stored.keys() == counted.keys()
    for question, frame in stored.items():
        assert len(frame) > 0, question
        pd.testing.assert_frame_equal(frame, counted[question], obj=question)


def _unfiltered_answers(db: Database, filters: Filters) -> dict[str, pd.DataFrame]:
    answers = {f"options {facet}": coverage.facet_options(db, filters, facet) for facet in FACETS}
    for by in ("topic", "country", "source", "agency", "language", "source_country"):
        answers[f"top {by}"] = coverage.top_values(db, filters, by, limit=5)
    answers["headline"] = coverage.headline_numbers(db, filters)
    return answers


def test_sidebar_under_one_topic_or_country_from_stored_pairs_equals_counted(
    dashboard_db, con, monkeypatch
):
    chosen = [
        Filters(measure=measure, **{facet: (value,)})
        for facet, table, column in (
            ("topics", "article_topics", "topic"),
            ("countries", "article_countries", "country"),
        )
        for (value,) in con.execute(f"SELECT DISTINCT {column} FROM {table} ORDER BY 1").fetchall()
        for measure in MEASURES
    ]
    chosen.append(Filters(countries=("US",), all_countries=True))
    assert len(chosen) > 10
    assert coverage.single_tag_choice(chosen[0]) == ("topics", chosen[0].topics[0])
    stored = [_sidebar(dashboard_db, filters) for filters in chosen]
    monkeypatch.setattr(coverage, "single_tag_choice", lambda filters: None)
    for filters, answers in zip(chosen, stored, strict=True):
        for facet, frame in _sidebar(dashboard_db, filters).items():
            pd.testing.assert_frame_equal(answers[facet], frame, obj=f"{filters} {facet}")


def _sidebar(db: Database, filters: Filters) -> dict[str, pd.DataFrame]:
    return {facet: coverage.facet_options(db, filters, facet) for facet in FACETS}


def test_only_one_topic_or_country_alone_reads_the_pairs():
    assert coverage.single_tag_choice(Filters(countries=("US",), granularity="day")) == (
        "countries",
        "US",
    )
    for filters in (
        Filters(),
        Filters(topics=("a", "b")),
        Filters(topics=("a",), countries=("US",)),
        Filters(topics=("a",), sources=("x",)),
        Filters(topics=("a",), text="x"),
        Filters(topics=("a",), period="custom", start=date(2026, 3, 1)),
        Filters(sources=("x",)),
    ):
        assert coverage.single_tag_choice(filters) is None, filters


def test_chosen_values_stay_listed_with_stored_counts(dashboard_db):
    chosen = Filters(topics=("no-such-topic",))
    assert coverage.selects_all(chosen.replace(topics=()))
    options = coverage.facet_options(dashboard_db, chosen, "topics")
    assert options.set_index("value").loc["no-such-topic", "count"] == 0
    assert len(options) > 1


def test_selecting_anything_reads_the_articles():
    for filters in (
        Filters(topics=("x",)),
        Filters(sources=("x",)),
        Filters(text="x"),
        Filters(period="custom", end=date(2026, 3, 1)),
    ):
        assert not coverage.selects_all(filters)


def test_a_file_from_before_the_summaries_is_refused_until_an_ingest_adds_them(
    dashboard_db_path: Path, tmp_path: Path
):
    db = tmp_path / "version4.duckdb"
    shutil.copyfile(dashboard_db_path, db)
    with duckdb.connect(str(db)) as con:
        for table in ("article_facts", "topic_facts", "country_facts", "facet_counts"):
            con.execute(f"DROP TABLE {table}")
        con.execute("DROP TABLE facet_pairs")
        con.execute("DROP TABLE corpus_counts")
        con.execute("DELETE FROM schema_version WHERE version >= 5")
    with pytest.raises(DatabaseUnavailable, match=r"article_facts.*`python -m etl ingest`"):
        Database(db)

    page = tmp_path / "page.txt"
    page.write_text("2 March 2026\n\nA new headline\n\nThe new article's text.", encoding="utf-8")
    ingest([page], db)

    upgraded = Database(db)
    old = Database(dashboard_db_path)
    assert upgraded.value("SELECT placements FROM corpus_counts") == 1 + old.value(
        "SELECT count(*) FROM articles"
    )
    assert coverage.facet_options(upgraded, Filters(), "sources")["count"].sum() >= 1
