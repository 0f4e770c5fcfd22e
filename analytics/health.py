"""Is the data sound: ingest runs and their errors, daily volume per source with gaps,
undated articles, and how much of the corpus the taggers reached."""

from __future__ import annotations

import pandas as pd

from analytics.coverage import label_values
from analytics.database import Database
from analytics.filters import Filters
from analytics.sql import offset_join, shifted_time

DEMO_FOLDER = "demo"  # `python -m etl demo` ingests generated files from data/demo/


def corpus_status(db: Database) -> dict:
    """Size and span of the whole corpus, the last ingest, and whether it is demo data.

    Demo data is recognized by its ingest runs: their inputs lie in a `demo` folder.
    """
    row = db.rows(
        """
        SELECT (SELECT count(*) FROM articles), (SELECT min(published_at) FROM articles),
               (SELECT max(published_at) FROM articles),
               (SELECT max(coalesce(finished_at, started_at)) FROM ingest_runs),
               (SELECT count(*) FROM ingest_runs),
               (SELECT count(*) FROM ingest_runs r WHERE len(r.inputs) > 0 AND len(
                   list_filter(r.inputs, x -> list_contains(string_split(x, '/'), $demo))
               ) = len(r.inputs))
        """,
        {"demo": DEMO_FOLDER},
    )[0]
    articles, first, last, last_ingest, runs, demo_runs = row
    return {
        "articles": articles,
        "first": first,
        "last": last,
        "last_ingest": last_ingest,
        "runs": runs,
        "demo_runs": demo_runs,
        "is_demo": demo_runs > 0,
        "only_demo": runs > 0 and demo_runs == runs,
    }


def ingest_runs(db: Database, limit: int = 50) -> pd.DataFrame:
    """The latest ingest runs, newest first, with their error and warning counts."""
    return db.frame(
        """
        SELECT r.run_id, r.started_at, r.finished_at,
               date_diff('second', r.started_at, r.finished_at) AS seconds,
               array_to_string(r.inputs, ', ') AS inputs, r.files, r.inserted, r.updated,
               r.unchanged, r.failed,
               count(e.run_id) FILTER (WHERE e.severity = 'error') AS errors,
               count(e.run_id) FILTER (WHERE e.severity = 'warning') AS warnings
        FROM ingest_runs r LEFT JOIN ingest_errors e USING (run_id)
        GROUP BY ALL ORDER BY r.started_at DESC LIMIT $limit
        """,
        {"limit": limit},
    )


def ingest_errors(db: Database, limit: int = 500) -> tuple[pd.DataFrame, int]:
    """The latest recorded errors and warnings (newest run first) and how many there are."""
    frame = db.frame(
        """
        SELECT r.started_at AS run_started, e.run_id, e.severity, e.origin, e.location,
               e.message
        FROM ingest_errors e LEFT JOIN ingest_runs r USING (run_id)
        ORDER BY r.started_at DESC NULLS LAST, e.origin, e.location LIMIT $limit
        """,
        {"limit": limit},
    )
    return frame, int(db.value("SELECT count(*) FROM ingest_errors"))


def daily_volume(db: Database, filters: Filters, sources: int = 20) -> pd.DataFrame:
    """Articles per day (desk time zone) for the busiest sources, zero days included.

    A gap is a day without articles between a source's first and last day in the range.
    Columns: source, day, articles, gap.
    """
    where = filters.scope().where()
    sql = f"""
        WITH sel AS (SELECT a.source, CAST({shifted_time(filters)} AS DATE) AS day
                     FROM articles a {offset_join(filters)}
                     WHERE {where.sql} AND a.published_at IS NOT NULL AND a.source IS NOT NULL),
        top_sources AS (SELECT source FROM sel GROUP BY source
                        ORDER BY count(*) DESC, source LIMIT $sources),
        counts AS (SELECT source, day, count(*) AS articles FROM sel GROUP BY ALL),
        spans AS (SELECT source, min(day) AS first, max(day) AS last FROM counts GROUP BY source),
        days AS (SELECT CAST(unnest(generate_series(
                     CAST(coalesce(CAST($range_start AS DATE), (SELECT min(day) FROM sel))
                          AS TIMESTAMP),
                     CAST(coalesce(CAST($range_end AS DATE), (SELECT max(day) FROM sel))
                          AS TIMESTAMP),
                     INTERVAL 1 DAY)) AS DATE) AS day)
        SELECT t.source, d.day, coalesce(c.articles, 0) AS articles,
               coalesce(c.articles, 0) = 0 AND d.day BETWEEN s.first AND s.last AS gap
        FROM top_sources t CROSS JOIN days d JOIN spans s ON s.source = t.source
        LEFT JOIN counts c ON c.source = t.source AND c.day = d.day
        ORDER BY t.source, d.day
    """
    params = {
        **where.params,
        "tz": filters.timezone,
        "sources": sources,
        "range_start": filters.start,
        "range_end": filters.end,
    }
    return db.frame(sql, params)


def undated_articles(db: Database, filters: Filters, limit: int = 200) -> tuple[pd.DataFrame, int]:
    """Articles without a publication date in the selection's scope, and how many."""
    scope = filters.scope().replace(period="all", start=None, end=None).where()
    sql = f"""
        SELECT a.article_id, a.source, a.title, a.date_problem, a.origin
        FROM articles a WHERE {scope.sql} AND a.published_at IS NULL
        ORDER BY a.source, a.article_id LIMIT $limit
    """
    frame = db.frame(sql, {**scope.params, "limit": limit})
    total = db.value(
        f"SELECT count(*) FROM articles a WHERE {scope.sql} AND a.published_at IS NULL",
        scope.params,
    )
    return frame, int(total)


def language_coverage(db: Database, filters: Filters) -> pd.DataFrame:
    """Articles per language in the scope. Columns: value, label, articles, share."""
    where = filters.scope().where()
    frame = db.frame(
        f"""
        SELECT a.language AS value, count(*) AS articles,
               count(*) / sum(count(*)) OVER () AS share
        FROM articles a WHERE {where.sql} GROUP BY a.language
        ORDER BY articles DESC, value NULLS LAST
        """,
        where.params,
    )
    frame.insert(1, "label", label_values(db, "language", frame["value"]))
    return frame


TAG_CHECKS = {
    "countries": "Tagged with a country",
    "topics": "Tagged with a topic",
    "agency": "Credited to an agency",
    "dated": "Has a publication date",
    "language": "Has a language",
    "text": "Had text to tag",
}


def tag_coverage(db: Database, filters: Filters) -> pd.DataFrame:
    """How many articles in the scope each tagger reached. Columns: check, label,
    articles, of, share."""
    where = filters.scope().replace(period="all", start=None, end=None).where()
    row = db.rows(
        f"""
        WITH sel AS (SELECT * FROM articles a WHERE {where.sql})
        SELECT count(*),
               count(*) FILTER (WHERE article_id IN (SELECT article_id FROM article_countries)),
               count(*) FILTER (WHERE article_id IN (SELECT article_id FROM article_topics)),
               count(agency), count(published_at), count(language),
               count(*) FILTER (WHERE coalesce(text_enriched, true))
        FROM sel
        """,
        where.params,
    )[0]
    total, *counts = row
    frame = pd.DataFrame(
        {"check": list(TAG_CHECKS), "label": list(TAG_CHECKS.values()), "articles": counts}
    )
    frame["of"] = total
    frame["share"] = frame["articles"] / total if total else float("nan")
    return frame
