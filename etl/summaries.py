"""What the dashboard reads instead of the raw tables: integer keys and counts, rebuilt whole
before every publish (`etl.store.writable_snapshot`), so they always match the articles.

- `article_facts`: the articles' filterable columns in published_at order, with a dense
  `article_key` in that order and a dense `story_key` per duplicate group. Being in date
  order, DuckDB's zone maps skip the row groups outside a date range.
- `topic_facts`, `country_facts`: the tags with those keys and the date, in the same order:
  tag joins and distinct counts run on integers instead of article ids.
- `facet_counts`: stories and placements per value of each facet over all articles, exactly
  what the sidebar lists when nothing else is chosen; `facet_pairs`: the same among the
  articles of one topic or one country (what it lists when one of them is chosen);
  `corpus_counts`: the headline numbers of all articles. Stories are distinct duplicate
  groups, so none of them is split by day.

Rebuilding takes seconds per million articles; incremental upkeep would have to renumber
the keys whenever older articles arrive.
"""

from __future__ import annotations

import duckdb

# Each facet of `analytics.filters.FACETS`: the table and column its values come from.
FACET_SOURCES = {
    "topics": ("topic_facts", "topic"),
    "countries": ("country_facts", "country"),
    "source_countries": ("article_facts", "source_country"),
    "sources": ("article_facts", "source"),
    "agencies": ("article_facts", "agency"),
    "languages": ("article_facts", "language"),
}

_ARTICLE_FACTS = """
    INSERT INTO article_facts
    SELECT CAST(row_number() OVER (ORDER BY published_at NULLS LAST, article_id) AS INTEGER),
           CASE WHEN dup_group IS NOT NULL
                THEN CAST(dense_rank() OVER (ORDER BY dup_group) AS INTEGER) END,
           article_id, published_at, source, source_country, agency, language, dup_group
    FROM articles
    ORDER BY published_at NULLS LAST, article_id
"""

_TAG_FACTS = """
    INSERT INTO {facts}
    SELECT f.article_key, f.story_key, f.published_at, t.{column}
    FROM {tags} t JOIN article_facts f USING (article_id)
    ORDER BY f.published_at NULLS LAST, f.article_key, t.{column}
"""

_TAG_TABLES = {
    "topic_facts": ("article_topics", "topic"),
    "country_facts": ("article_countries", "country"),
}

_FACET_COUNT = """
    INSERT INTO facet_counts
    SELECT '{facet}', {column}, count(DISTINCT story_key), count(DISTINCT article_key)
    FROM {table} WHERE {column} IS NOT NULL GROUP BY {column}
"""

# Stories and placements per value of every other facet among the articles of each value of
# one tag facet (a few million joined rows at a million articles).
_FACET_PAIRS = """
    INSERT INTO facet_pairs
    SELECT '{facet}', t.{column}, v.facet, v.value, count(DISTINCT v.story_key),
           count(DISTINCT v.article_key)
    FROM {table} t JOIN ({others}) v ON v.article_key = t.article_key
    GROUP BY ALL
"""
PAIRED_FACETS = ("topics", "countries")


def _facet_values(facets: list[str]) -> str:
    """SQL of (facet, value, article_key, story_key) for every value of these facets."""
    return " UNION ALL ".join(
        f"SELECT '{facet}' AS facet, {column} AS value, article_key, story_key FROM {table} "
        f"WHERE {column} IS NOT NULL"
        for facet, (table, column) in FACET_SOURCES.items()
        if facet in facets
    )


_CORPUS_COUNTS = """
    INSERT INTO corpus_counts
    SELECT count(DISTINCT story_key), count(*), count(DISTINCT source),
           (SELECT count(DISTINCT country) FROM country_facts)
    FROM article_facts
"""


def refresh_summaries(con: duckdb.DuckDBPyConnection) -> None:
    """Rebuild the keyed tables and the counts from `articles` and its tags, in one
    transaction."""
    con.execute("BEGIN TRANSACTION")
    for table in ("article_facts", *_TAG_TABLES, "facet_counts", "facet_pairs", "corpus_counts"):
        con.execute(f"DELETE FROM {table}")
    con.execute(_ARTICLE_FACTS)
    for facts, (tags, column) in _TAG_TABLES.items():
        con.execute(_TAG_FACTS.format(facts=facts, tags=tags, column=column))
    for facet, (table, column) in FACET_SOURCES.items():
        con.execute(_FACET_COUNT.format(facet=facet, table=table, column=column))
    for facet in PAIRED_FACETS:
        table, column = FACET_SOURCES[facet]
        others = _facet_values([other for other in FACET_SOURCES if other != facet])
        con.execute(_FACET_PAIRS.format(facet=facet, table=table, column=column, others=others))
    con.execute(_CORPUS_COUNTS)
    con.execute("COMMIT")
