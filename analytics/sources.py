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
        WITH sel AS MATERIALIZED (
            SELECT a.source, a.source_country, a.story_key, a.language, a.agency, a.published_at
            FROM {where.table} a WHERE {where.rest} AND a.source IS NOT NULL),
        profiles AS (
            SELECT source, any_value(source_country) AS source_country, count(*) AS placements,
                   count(DISTINCT story_key) AS stories, min(published_at) AS first_utc,
                   max(published_at) AS last_utc, count(agency) AS wire
            FROM sel GROUP BY source),
        languages AS (
            SELECT source, string_agg(language, ', ' ORDER BY n DESC, language) AS languages
            FROM (SELECT source, language, count(*) AS n FROM sel
                  WHERE language IS NOT NULL GROUP BY ALL)
            GROUP BY source),
        agencies AS (
            SELECT source, string_agg(agency, ', ' ORDER BY n DESC, agency) AS agencies
            FROM (SELECT source, agency, count(*) AS n FROM sel
                  WHERE agency IS NOT NULL GROUP BY ALL)
            GROUP BY source)
        SELECT p.source, p.source_country, p.placements, p.stories, l.languages,
               CAST({local_time("p", "first_utc")} AS TIMESTAMP) AS first,
               CAST({local_time("p", "last_utc")} AS TIMESTAMP) AS last,
               p.wire, p.wire / p.placements AS wire_share, g.agencies
        FROM profiles p LEFT JOIN languages l USING (source) LEFT JOIN agencies g USING (source)
        ORDER BY p.placements DESC, p.source LIMIT $limit
    """
    frame = db.frame(sql, {**where.params, "tz": filters.timezone, "limit": limit})
    frame.insert(2, "country_name", frame["source_country"].map(country_name))
    return frame
