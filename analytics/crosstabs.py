"""Coverage split two ways at once: topic × country, source × topic, publisher × mentioned."""

from __future__ import annotations

import pandas as pd

from analytics.coverage import breakdown_where, label_values, only_chosen
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
