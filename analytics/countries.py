"""Where the coverage is about: countries on the world map and countries named together."""

from __future__ import annotations

import pandas as pd

from analytics.coverage import top_values, with_share
from analytics.database import Database
from analytics.filters import Filters
from analytics.labels import alpha3, country_name
from analytics.sql import measure


def countries_on_map(db: Database, filters: Filters, limit: int = 300) -> pd.DataFrame:
    """Coverage per country mentioned. Columns: value, label, count, total, share, iso3."""
    frame = top_values(db, filters, "country", limit=limit)
    frame["iso3"] = frame["value"].map(alpha3)
    return frame


def co_mentioned(db: Database, filters: Filters, country: str, limit: int = 15) -> pd.DataFrame:
    """The countries most often named in the same articles as `country`.

    Columns: value, label, count (stories or placements naming both), total (the country's
    own count) and share (count / total).
    """
    focus = filters.replace(countries=(country,))
    where = focus.where()
    sql = f"""
        WITH sel AS (SELECT a.article_key, a.story_key FROM {where.table} a WHERE {where.rest}),
        own AS (SELECT {measure(filters, "sel")} AS n FROM sel)
        SELECT c.country AS value, {measure(filters, "sel")} AS count,
               (SELECT n FROM own) AS total
        FROM sel JOIN country_facts c ON c.article_key = sel.article_key
        WHERE c.country <> $country
        GROUP BY c.country ORDER BY count DESC, c.country LIMIT $limit
    """
    frame = db.frame(sql, {**where.params, "country": country, "limit": limit})
    frame.insert(1, "label", frame["value"].map(country_name))
    return with_share(frame)
