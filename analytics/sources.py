"""Who publishes the coverage: each outlet's volume, languages, active span and wire share."""

from __future__ import annotations

import pandas as pd

from analytics.database import Database
from analytics.filters import Filters
from analytics.labels import country_name
from analytics.sql import local_time


def source_profiles(db: Database, filters: Filters, limit: int = 50) -> pd.DataFrame:
    """One row per source, biggest first.

    Columns: source, source_country, country_name, placements, stories, languages
    (comma-separated, most used first), first and last (local time), wire (placements
    crediting an agency), wire_share, agencies (most credited first).
    """
    where = filters.where()
    sql = f"""
        WITH sel AS (SELECT a.* FROM articles a WHERE {where.sql} AND a.source IS NOT NULL)
        SELECT source, any_value(source_country) AS source_country,
               count(*) AS placements, count(DISTINCT dup_group) AS stories,
               (SELECT string_agg(language, ', ' ORDER BY n DESC, language) FROM (
                   SELECT language, count(*) AS n FROM sel s2
                   WHERE s2.source = sel.source AND language IS NOT NULL GROUP BY language)
               ) AS languages,
               CAST(min({local_time("sel")}) AS TIMESTAMP) AS first,
               CAST(max({local_time("sel")}) AS TIMESTAMP) AS last,
               count(agency) AS wire,
               count(agency) / count(*) AS wire_share,
               (SELECT string_agg(agency, ', ' ORDER BY n DESC, agency) FROM (
                   SELECT agency, count(*) AS n FROM sel s3
                   WHERE s3.source = sel.source AND agency IS NOT NULL GROUP BY agency)
               ) AS agencies
        FROM sel GROUP BY source ORDER BY placements DESC, source LIMIT $limit
    """
    frame = db.frame(sql, {**where.params, "tz": filters.timezone, "limit": limit})
    frame.insert(2, "country_name", frame["source_country"].map(country_name))
    return frame
