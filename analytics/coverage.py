"""How much coverage the selection gets: over time, in headline numbers, by top values.

Counts are stories (distinct duplicate groups) or placements (articles), as the filters say.
Every frame carries the denominator of the share of coverage (`total`: the same count over
the selection's scope, i.e. same period, sources and languages, any content) and `share`.

Queries read the keyed tables (`article_facts`, `topic_facts`, `country_facts`); a question
about every article, which the sidebar asks on each page, reads the counts the ETL stored
(`facet_counts`, `corpus_counts`; etl/summaries.py) instead, and so does the sidebar when
one topic or one country is the whole selection (`facet_pairs`).
"""

from __future__ import annotations

import dataclasses

import pandas as pd

from analytics.database import Database
from analytics.filters import Clause, Filters
from analytics.labels import country_name, language_name
from analytics.sql import (
    bucket,
    bucket_series,
    counted,
    dimension,
    measure,
    offset_join,
    stored_count,
    time_params,
)

FACET_OF = {
    "topic": "topics",
    "country": "countries",
    "source": "sources",
    "agency": "agencies",
    "language": "languages",
    "source_country": "source_countries",
}


def topic_labels(db: Database) -> dict[str, str]:
    return dict(db.rows("SELECT topic, label FROM topics ORDER BY topic"))


def label_values(db: Database, by: str, values: pd.Series) -> pd.Series:
    """People's names for the values of a dimension."""
    if by == "topic":
        labels = topic_labels(db)
        return values.map(lambda value: labels.get(value, value))
    if by in ("country", "source_country"):
        return values.map(country_name)
    if by == "language":
        return values.map(language_name)
    return values.astype(object)


def with_share(frame: pd.DataFrame) -> pd.DataFrame:
    total = frame["total"].where(frame["total"] > 0)
    frame["share"] = (frame["count"] / total).astype(float)
    return frame


def only_chosen(filters: Filters, by: str) -> str:
    """A condition keeping only the chosen values of `by` when its facet is filtered."""
    facet = FACET_OF[by]
    if not getattr(filters, facet):
        return ""
    return f"AND list_contains($f_{facet}, {dimension(by).value})"


def breakdown_where(filters: Filters, *dimensions: str) -> Clause:
    """The selection's condition for rows broken down by `dimensions` (see `only_chosen`).

    A tag facet that is broken down by is joined to its chosen values only, which already keeps
    just the articles tagged with one of them: its own semi-join is left out (kept when the
    articles must name every chosen country). `$f_<facet>` stays bound for `only_chosen`.
    """
    tagged = [
        FACET_OF[by] for by in dimensions if dimension(by).join and getattr(filters, FACET_OF[by])
    ]
    implied = [facet for facet in tagged if not (facet == "countries" and filters.all_countries)]
    where = filters.replace(**dict.fromkeys(implied, ())).where()
    chosen = {f"f_{facet}": list(getattr(filters, facet)) for facet in tagged}
    return dataclasses.replace(where, params={**where.params, **chosen})


def selection_rows(
    filters: Filters, by: str | None = None, bucketed: bool = True
) -> tuple[str, dict]:
    """SQL for the selected articles as ([bucket,] story_key, article_key[, value]).

    Only dated articles have a bucket; `bucketed=False` leaves the bucket out and keeps the
    undated articles.

    Broken down by a dimension whose facet is filtered, only the chosen values count: the
    topics of a selection of two topics are those two, not every topic its articles carry.
    """
    where = breakdown_where(filters, by) if by else filters.where()
    params = {**where.params, **time_params(filters)}
    columns, joins, conditions = ["a.story_key", "a.article_key"], [], [where.rest]
    if bucketed:
        columns.insert(0, f"{bucket(filters)} AS bucket")
        joins.append(offset_join(filters))
        conditions.append("a.published_at IS NOT NULL")
    if by is not None:
        dim = dimension(by)
        columns.append(f"{dim.value} AS value")
        joins.append(dim.join)
        conditions.append(f"{dim.value} IS NOT NULL {only_chosen(filters, by)}")
    return (
        f"SELECT {', '.join(columns)} FROM {where.table} a {' '.join(joins)} "
        f"WHERE {' AND '.join(conditions)}",
        params,
    )


def coverage_over_time(
    db: Database, filters: Filters, by: str | None = None, top: int = 8
) -> pd.DataFrame:
    """Counts per time bucket (zero-filled), optionally per value of the `top` values of `by`.

    Columns: bucket, [value, label,] count, total, share.
    """
    scope = filters.scope().where(prefix="s")
    time = time_params(filters)
    if by is None:
        # One pass over the scope counts both the scope and the selection within it: each
        # story (or placement) once per bucket first, then those per bucket.
        content = filters.content().where(prefix="f")
        sql = f"""
            WITH scope AS (
                SELECT {bucket(filters)} AS bucket, a.{counted(filters)},
                       bool_or({content.sql}) AS selected
                FROM article_facts a {offset_join(filters)}
                WHERE {scope.sql} AND a.published_at IS NOT NULL GROUP BY ALL),
            counts AS (
                SELECT bucket, count(*) FILTER (WHERE selected) AS count, count(*) AS total
                FROM scope GROUP BY bucket),
            sel AS (SELECT bucket FROM counts WHERE count > 0),
            buckets AS ({bucket_series("sel", filters)})
            SELECT b.bucket, coalesce(c.count, 0) AS count, coalesce(c.total, 0) AS total
            FROM buckets b LEFT JOIN counts c USING (bucket)
            ORDER BY b.bucket
        """
        return with_share(db.frame(sql, {**scope.params, **content.params, **time}))
    selected, params = selection_rows(filters, by)
    count = measure(filters, "sel")
    sql = f"""
        WITH sel AS ({selected}),
        top_values AS (
            SELECT value, {count} AS volume FROM sel GROUP BY value
            ORDER BY volume DESC, value LIMIT $top),
        counts AS (SELECT bucket, value, {count} AS count FROM sel GROUP BY ALL),
        scope AS (
            SELECT {bucket(filters)} AS bucket, {measure(filters)} AS total
            FROM article_facts a {offset_join(filters)}
            WHERE {scope.sql} AND a.published_at IS NOT NULL GROUP BY 1),
        buckets AS ({bucket_series("sel", filters)})
        SELECT b.bucket, t.value, coalesce(c.count, 0) AS count, coalesce(s.total, 0) AS total
        FROM buckets b CROSS JOIN top_values t
        LEFT JOIN counts c ON c.bucket = b.bucket AND c.value = t.value
        LEFT JOIN scope s ON s.bucket = b.bucket
        ORDER BY t.volume DESC, t.value, b.bucket
    """
    frame = db.frame(sql, {**params, **scope.params, **time, "top": top})
    frame.insert(2, "label", label_values(db, by, frame["value"]))
    return with_share(frame)


def selects_all(filters: Filters) -> bool:
    """Whether the filters select every article (the stored counts then answer)."""
    return filters.where().sql == "TRUE"


def single_tag_choice(filters: Filters) -> tuple[str, str] | None:
    """The facet and value when one topic or one country is the whole selection."""
    for facet in ("topics", "countries"):
        values = getattr(filters, facet)
        if len(values) == 1 and selects_all(filters.replace(**{facet: ()})):
            return facet, values[0]
    return None


def stored_counts(filters: Filters, facet: str) -> tuple[str, dict]:
    """SQL of (value, count) for every value of `facet` from the counts the ETL stored, when
    the filters select every article or one topic or one country is the whole selection
    (`facet_pairs`; of the chosen facet itself, that value alone)."""
    count = stored_count(filters)
    single = single_tag_choice(filters)
    if single is None:
        sql = f"SELECT value, {count} AS count FROM facet_counts WHERE facet = $facet"
        return sql, {"facet": facet}
    chosen_facet, chosen_value = single
    if chosen_facet == facet:
        sql = (
            f"SELECT value, {count} AS count FROM facet_counts "
            "WHERE facet = $facet AND value = $chosen_value"
        )
    else:
        sql = (
            f"SELECT other_value AS value, {count} AS count FROM facet_pairs "
            "WHERE facet = $chosen_facet AND value = $chosen_value AND other = $facet"
        )
    return sql, {"facet": facet, "chosen_facet": chosen_facet, "chosen_value": chosen_value}


def top_values(db: Database, filters: Filters, by: str, limit: int = 10) -> pd.DataFrame:
    """The values of `by` with the most coverage. Columns: value, label, count, total, share."""
    dimension(by)  # refuses a name outside the whitelist before any SQL is written
    if selects_all(filters) or single_tag_choice(filters):
        counts, params = stored_counts(filters, FACET_OF[by])
        sql = f"""
            WITH counts AS ({counts})
            SELECT value, count, (SELECT {stored_count(filters)} FROM corpus_counts) AS total
            FROM counts ORDER BY count DESC, value LIMIT $limit
        """
        frame = db.frame(sql, {**params, "limit": limit})
    else:
        selected, params = selection_rows(filters, by, bucketed=False)
        scope = filters.scope().where(prefix="s")
        sql = f"""
            WITH sel AS ({selected})
            SELECT value, {measure(filters, "sel")} AS count,
                   (SELECT {measure(filters)} FROM article_facts a WHERE {scope.sql}) AS total
            FROM sel GROUP BY value ORDER BY count DESC, value LIMIT $limit
        """
        frame = db.frame(sql, {**params, **scope.params, "limit": limit})
    frame.insert(1, "label", label_values(db, by, frame["value"]))
    return with_share(frame)


HEADLINES = {
    "stories": "Stories",
    "placements": "Placements",
    "sources": "Sources",
    "countries": "Countries mentioned",
}


def _headline_values(db: Database, filters: Filters) -> dict[str, int]:
    if selects_all(filters):
        row = db.frame("SELECT stories, placements, sources, countries FROM corpus_counts")
        return {name: int(row[name].iloc[0]) for name in HEADLINES}
    where = filters.where()
    sql = f"""
        WITH sel AS (SELECT article_key, story_key, source FROM {where.table} a
                     WHERE {where.rest})
        SELECT count(DISTINCT story_key) AS stories, count(*) AS placements,
               count(DISTINCT source) AS sources,
               (SELECT count(DISTINCT c.country) FROM country_facts c
                WHERE c.article_key IN (SELECT article_key FROM sel)) AS countries
        FROM sel
    """
    row = db.frame(sql, where.params).iloc[0]
    return {name: int(row[name]) for name in HEADLINES}


def headline_numbers(db: Database, filters: Filters) -> pd.DataFrame:
    """Stories, placements, sources and countries, now and in the previous equal period.

    Columns: metric, label, value, previous (missing when the period is open-ended), total
    (the scope's count of the same metric for stories and placements) and share.
    """
    current = _headline_values(db, filters)
    previous_filters = filters.previous_period()
    previous = _headline_values(db, previous_filters) if previous_filters else {}
    scope = current if filters.scope() == filters else _headline_values(db, filters.scope())
    rows = [
        {
            "metric": name,
            "label": label,
            "value": current[name],
            "previous": previous.get(name),
            "total": scope[name] if name in ("stories", "placements") else None,
        }
        for name, label in HEADLINES.items()
    ]
    frame = pd.DataFrame(rows)
    frame["share"] = frame["value"] / frame["total"].where(frame["total"] > 0)
    return frame


def facet_options(db: Database, filters: Filters, facet: str) -> pd.DataFrame:
    """The values a facet can take with their counts under every other filter.

    Columns: value, label, count. Values chosen now stay listed even when their count is 0.
    """
    by = {name: dim for dim, name in FACET_OF.items()}[facet]
    others = filters.replace(**{facet: ()})
    chosen = list(getattr(filters, facet))
    if selects_all(others) or single_tag_choice(others):
        counts, params = stored_counts(others, facet)
    else:
        selected, params = selection_rows(others, by, bucketed=False)
        counts = f"""
            WITH sel AS ({selected})
            SELECT value, {measure(filters, "sel")} AS count FROM sel GROUP BY value"""
    sql = f"""
        WITH counts AS ({counts}),
        chosen AS (SELECT unnest(CAST($chosen AS VARCHAR[])) AS value)
        SELECT value, coalesce(counts.count, 0) AS count
        FROM counts FULL OUTER JOIN chosen USING (value)
        ORDER BY count DESC, value
    """
    frame = db.frame(sql, {**params, "chosen": chosen})
    frame.insert(1, "label", label_values(db, by, frame["value"]))
    return frame
