"""Compare: the coverage over time of up to four named text queries, side by side.

Each series counts the selection's articles (period, sources, languages, topics... of the
filters, whose own text query is set aside) that match its query, per time bucket; `total`
is the same count over the selection's scope (same period, sources and languages, any
content), the denominator of `share`.
"""

from __future__ import annotations

from collections.abc import Sequence

import pandas as pd

from analytics.coverage import with_share
from analytics.database import Database
from analytics.filters import Filters
from analytics.search import compile_search
from analytics.sql import bucket, bucket_series, measure, offset_join, time_params

MAX_QUERIES = 4
MAX_NAME_CHARS = 40


class CompareError(ValueError):
    """The queries to compare make no sense together (too many, unnamed, same name)."""


def check_queries(queries: Sequence[tuple[str, str]]) -> tuple[tuple[str, str], ...]:
    """(name, query) pairs, trimmed; raises CompareError or SearchSyntaxError."""
    checked = []
    for name, text in queries:
        name = " ".join(name.split())
        if not name:
            raise CompareError("every query needs a name")
        if len(name) > MAX_NAME_CHARS:
            raise CompareError(f"a name can be at most {MAX_NAME_CHARS} characters long")
        compile_search(text)
        checked.append((name, text))
    if not 1 <= len(checked) <= MAX_QUERIES:
        raise CompareError(f"compare between 1 and {MAX_QUERIES} queries")
    names = [name.casefold() for name, _ in checked]
    if len(set(names)) < len(names):
        raise CompareError("give each query a different name")
    return tuple(checked)


def compare_series(
    db: Database, filters: Filters, queries: tuple[tuple[str, str], ...]
) -> pd.DataFrame:
    """Per bucket (zero-filled) and query: count, total and share.

    Columns: bucket, value (the query's name), label (the same), count, total, share; the
    queries in the order given.
    """
    queries = check_queries(queries)
    base = filters.replace(text="").where(prefix="f")
    scope = filters.scope().where(prefix="s")
    params = {**base.params, **scope.params, **time_params(filters), "series": len(queries)}
    counts = []
    for number, (_, text) in enumerate(queries):
        clause, clause_params = compile_search(text).key_clause("sel", prefix=f"c{number}")
        params.update(clause_params)
        counts.append(
            f"SELECT {number} AS series, bucket, {measure(filters, 'sel')} AS count "
            f"FROM sel WHERE {clause} GROUP BY bucket"
        )
    sql = f"""
        WITH sel AS (
            SELECT {bucket(filters)} AS bucket, a.story_key, a.article_key, a.article_id
            FROM article_facts a {offset_join(filters)}
            WHERE {base.sql} AND a.published_at IS NOT NULL),
        counts AS ({" UNION ALL ".join(counts)}),
        scope AS (
            SELECT {bucket(filters)} AS bucket, {measure(filters)} AS total
            FROM article_facts a {offset_join(filters)}
            WHERE {scope.sql} AND a.published_at IS NOT NULL GROUP BY 1),
        buckets AS ({bucket_series("scope", filters)})
        SELECT b.bucket, q.series, coalesce(c.count, 0) AS count, coalesce(s.total, 0) AS total
        FROM buckets b CROSS JOIN (SELECT unnest(range($series)) AS series) q
        LEFT JOIN counts c ON c.bucket = b.bucket AND c.series = q.series
        LEFT JOIN scope s ON s.bucket = b.bucket
        ORDER BY q.series, b.bucket
    """
    frame = db.frame(sql, params)
    names = [name for name, _ in queries]
    series = frame.pop("series")
    frame.insert(1, "value", series.map(lambda number: names[number]))
    frame.insert(2, "label", frame["value"])
    return with_share(frame)
