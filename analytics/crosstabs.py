"""Coverage split two ways at once: topic × country, source × topic, publisher × mentioned."""

from __future__ import annotations

import pandas as pd

from analytics.coverage import (
    FACET_OF,
    breakdown_where,
    label_values,
    only_chosen,
    single_tag_choice,
    stored_counts,
)
from analytics.database import Database
from analytics.filters import Filters
from analytics.sql import dimension, measure


def crosstab(
    db: Database,
    filters: Filters,
    rows: str,
    columns: str,
    row_limit: int = 12,
    column_limit: int = 12,
) -> pd.DataFrame:
    """Counts for each pair of the top `row_limit` × `column_limit` values of two dimensions.

    Columns: row, row_label, column, column_label, count (pairs with no coverage left out).
    """
    if rows == columns:
        raise ValueError("a crosstab needs two different dimensions")
    row_dim, column_dim = dimension(rows), dimension(columns)
    single = single_tag_choice(filters)
    if single and single[0] in (FACET_OF[rows], FACET_OF[columns]):
        frame = _stored_crosstab(db, filters, rows, columns, row_limit, column_limit)
        frame.insert(1, "row_label", label_values(db, rows, frame["row"]))
        frame.insert(3, "column_label", label_values(db, columns, frame["column"]))
        return frame
    where = breakdown_where(filters, rows, columns)
    count = measure(filters, "p")
    sql = f"""
        WITH pairs AS (
            SELECT {row_dim.value} AS r, {column_dim.value} AS c, a.story_key, a.article_key
            FROM {where.table} a {row_dim.join} {column_dim.join}
            WHERE {where.rest}
              AND {row_dim.value} IS NOT NULL {only_chosen(filters, rows)}
              AND {column_dim.value} IS NOT NULL {only_chosen(filters, columns)}),
        top_rows AS (SELECT r FROM pairs p GROUP BY r ORDER BY {count} DESC, r LIMIT $row_limit),
        top_columns AS (SELECT c FROM pairs p GROUP BY c
                        ORDER BY {count} DESC, c LIMIT $column_limit)
        SELECT r AS "row", c AS "column", {count} AS count FROM pairs p
        WHERE r IN (SELECT r FROM top_rows) AND c IN (SELECT c FROM top_columns)
        GROUP BY r, c ORDER BY r, c
    """
    frame = db.frame(sql, {**where.params, "row_limit": row_limit, "column_limit": column_limit})
    frame.insert(1, "row_label", label_values(db, rows, frame["row"]))
    frame.insert(3, "column_label", label_values(db, columns, frame["column"]))
    return frame


def _stored_crosstab(
    db: Database, filters: Filters, rows: str, columns: str, row_limit: int, column_limit: int
) -> pd.DataFrame:
    """The crosstab when one topic or one country is the whole selection and one side is its
    facet: that value against the other side's values, from the counts the ETL stored."""
    chosen_facet, chosen_value = single_tag_choice(filters)
    other = columns if FACET_OF[rows] == chosen_facet else rows
    counts, params = stored_counts(filters, FACET_OF[other])
    limit = column_limit if other == columns else row_limit
    chosen_side, other_side = ("row", "column") if other == columns else ("column", "row")
    sql = f"""
        WITH counts AS ({counts})
        SELECT $chosen_value AS {chosen_side}, value AS {other_side}, count FROM counts
        WHERE count > 0 ORDER BY count DESC, value LIMIT $limit
    """
    frame = db.frame(sql, {**params, "chosen_value": chosen_value, "limit": limit})
    return frame[["row", "column", "count"]].sort_values(["row", "column"], ignore_index=True)
