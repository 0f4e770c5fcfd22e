"""The articles behind a selection: the list, one article in full, its tags and its copies."""

from __future__ import annotations

import pandas as pd

from analytics.database import Database
from analytics.filters import Filters
from analytics.labels import country_name, language_name
from analytics.search import compile_search
from analytics.sql import local_time

SORTS = {
    "newest": ("Newest first", "a.published_at DESC NULLS LAST, a.article_id"),
    "oldest": ("Oldest first", "a.published_at ASC NULLS LAST, a.article_id"),
    "source": ("Source A–Z", "a.source, a.published_at DESC NULLS LAST, a.article_id"),
    "copies": ("Most copies", "g.copies DESC, a.published_at DESC NULLS LAST, a.article_id"),
    "relevance": (
        "Most relevant to the search",
        "m.score DESC, a.published_at DESC NULLS LAST, a.article_id",
    ),
}
DEFAULT_PAGE_SIZE = 25


def count_articles(db: Database, filters: Filters) -> int:
    where = filters.where()
    sql = f"SELECT count(*) FROM {where.table} a WHERE {where.rest}"
    return int(db.value(sql, where.params))


def matching_articles(
    db: Database,
    filters: Filters,
    sort: str = "newest",
    page: int = 1,
    page_size: int = DEFAULT_PAGE_SIZE,
) -> pd.DataFrame:
    """One page of the selected articles, `published` in the desk time zone.

    Columns: article_id, published, source, agency, language, title, url, countries,
    topics, copies (placements of the same story, this one included).
    """
    if sort not in SORTS:
        raise ValueError(f"unknown sort {sort!r}; one of {', '.join(SORTS)}")
    where = filters.where()
    relevance_join, relevance_params = "", {}
    if sort == "relevance":
        if filters.text and filters.text_problem() is None:
            stored = compile_search(filters.text).stored()  # the matches `where` reads
            relevance_join = f"JOIN {stored.table} m ON m.article_key = a.article_key"
            relevance_params = {"r_matches": stored}
        else:
            sort = "newest"  # nothing to rank by without a search
    # The page is chosen first (copies counted for every group only to sort by them); its
    # copies and tags are gathered for those rows only. Both orderings use the aliases of
    # SORTS: `a` the article, `g` its group's copies, `m` its relevance.
    order = SORTS[sort][1]
    groups_join = (
        "JOIN (SELECT dup_group, count(*) AS copies FROM article_facts GROUP BY dup_group) g "
        "USING (dup_group)"
        if sort == "copies"
        else ""
    )
    sql = f"""
        WITH page AS (
            SELECT a.article_id, {"m.score" if relevance_join else "NULL"} AS score
            FROM article_facts a {groups_join} {relevance_join}
            WHERE {where.sql}
            ORDER BY {order} LIMIT $limit OFFSET $offset),
        page_articles AS (
            SELECT a.article_id, a.dup_group, a.published_at, a.source, a.agency, a.language,
                   a.title, a.url
            FROM articles a JOIN page USING (article_id)),
        page_copies AS (
            SELECT dup_group, count(*) AS copies FROM article_facts
            WHERE dup_group IN (SELECT dup_group FROM page_articles) GROUP BY dup_group),
        page_countries AS (
            SELECT c.article_id,
                   string_agg(c.country, ', ' ORDER BY c.mentions DESC, c.country) AS countries
            FROM article_countries c JOIN page USING (article_id) GROUP BY c.article_id),
        page_topics AS (
            SELECT tp.article_id,
                   string_agg(coalesce(t.label, tp.topic), ', ' ORDER BY tp.score DESC, tp.topic)
                       AS topics
            FROM article_topics tp JOIN page USING (article_id)
            LEFT JOIN topics t ON t.topic = tp.topic GROUP BY tp.article_id)
        SELECT a.article_id, CAST({local_time("a")} AS TIMESTAMP) AS published,
               a.source, a.agency, a.language, a.title, a.url, pc.countries, pt.topics,
               g.copies
        FROM page m JOIN page_articles a USING (article_id)
        LEFT JOIN page_copies g USING (dup_group)
        LEFT JOIN page_countries pc USING (article_id) LEFT JOIN page_topics pt USING (article_id)
        ORDER BY {order}
    """
    params = {
        **where.params,
        **relevance_params,
        "tz": filters.timezone,
        "limit": page_size,
        "offset": max(page - 1, 0) * page_size,
    }
    return db.frame(sql, params)


def article(db: Database, article_id: str, timezone: str = "UTC") -> dict | None:
    """Every stored field of one article, `published` in the desk time zone; None if absent."""
    sql = f"""
        SELECT a.*, CAST({local_time("a")} AS TIMESTAMP) AS published,
               (SELECT count(*) FROM articles d WHERE d.dup_group = a.dup_group) AS copies
        FROM articles a WHERE a.article_id = $id
    """
    frame = db.frame(sql, {"id": article_id, "tz": timezone})
    if frame.empty:
        return None
    record = frame.iloc[0].to_dict()
    record["language_name"] = language_name(record["language"])
    record["source_country_name"] = (
        country_name(record["source_country"]) if record["source_country"] else None
    )
    return record


def article_countries(db: Database, article_id: str) -> pd.DataFrame:
    """The countries an article is about and the words that named them.

    Columns: country, name, mentions, terms (comma-separated).
    """
    frame = db.frame(
        "SELECT country, mentions, array_to_string(terms, ', ') AS terms "
        "FROM article_countries WHERE article_id = $id ORDER BY mentions DESC, country",
        {"id": article_id},
    )
    frame.insert(1, "name", frame["country"].map(country_name))
    return frame


def article_topics(db: Database, article_id: str) -> pd.DataFrame:
    """The topics of an article and the rule terms that matched. Columns: topic, label,
    score, terms."""
    return db.frame(
        "SELECT tp.topic, coalesce(t.label, tp.topic) AS label, tp.score, "
        "array_to_string(tp.terms, ', ') AS terms "
        "FROM article_topics tp LEFT JOIN topics t USING (topic) "
        "WHERE tp.article_id = $id ORDER BY tp.score DESC, tp.topic",
        {"id": article_id},
    )


def article_copies(db: Database, article_id: str, timezone: str = "UTC") -> pd.DataFrame:
    """The other placements of the same story (same duplicate group), earliest first.

    Columns: article_id, published, source, agency, language, title, url, dup_reason.
    """
    sql = f"""
        SELECT a.article_id, CAST({local_time("a")} AS TIMESTAMP) AS published, a.source,
               a.agency, a.language, a.title, a.url, a.dup_reason
        FROM articles a
        WHERE a.dup_group = (SELECT dup_group FROM articles WHERE article_id = $id)
          AND a.article_id <> $id
        ORDER BY a.published_at NULLS LAST, a.article_id
    """
    return db.frame(sql, {"id": article_id, "tz": timezone})


EXPORT_COLUMNS = (
    "article_id",
    "published_utc",
    "source",
    "source_country",
    "agency",
    "language",
    "title",
    "url",
    "countries",
    "topics",
    "story",
)


def export_query(filters: Filters, include_body: bool = False) -> tuple[str, dict]:
    """The SQL of the articles export (newest first): the columns above, `body` optional."""
    where = filters.where()
    # The scope's conditions hold for `articles` too: repeated on it, its scan reads the text
    # columns of the scope's rows only.
    scope = filters.scope().where(alias="a", prefix="x")
    body = ", a.body" if include_body else ""
    # Tags joined once, listed for the selected articles only (not looked up row by row), and
    # each short list sorted (an ordered aggregate sorts far more slowly).
    tag_lists = """
        {name} AS (SELECT t.article_id, array_to_string(list_sort(list(t.{column})), ';') AS {name}
                   FROM {table} t WHERE t.article_id IN (SELECT article_id FROM sel)
                   GROUP BY t.article_id)"""
    sql = f"""
        WITH sel AS MATERIALIZED (
            SELECT a.article_id, a.published_at, a.source, a.source_country, a.agency,
                   a.language, a.title, a.url, a.dup_group{body}
            FROM articles a
            WHERE {scope.sql} AND a.article_id IN (
                SELECT a.article_id FROM article_facts a WHERE {where.sql})),
        {tag_lists.format(name="countries", column="country", table="article_countries")},
        {tag_lists.format(name="topics", column="topic", table="article_topics")}
        SELECT a.article_id, strftime(a.published_at, '%Y-%m-%dT%H:%M:%SZ') AS published_utc,
               a.source, a.source_country, a.agency, a.language, a.title, a.url,
               c.countries, t.topics, a.dup_group AS story{body}
        FROM sel a LEFT JOIN countries c USING (article_id) LEFT JOIN topics t USING (article_id)
        ORDER BY a.published_at DESC NULLS LAST, a.article_id
    """
    return sql, {**where.params, **scope.params}
