"""SQL fragments shared by the queries: measures, local time buckets, breakdown dimensions.

Everything a user chooses reaches SQL as a bound parameter; the names spliced into SQL here
(measures, dimensions, steps) are looked up in these fixed tables, never taken from input.
"""

from __future__ import annotations

from dataclasses import dataclass

from analytics.filters import Filters

_MEASURES = {
    "stories": "count(DISTINCT {alias}.dup_group)",
    "placements": "count(DISTINCT {alias}.article_id)",
}
STEPS = {"day": "INTERVAL 1 DAY", "week": "INTERVAL 7 DAY", "month": "INTERVAL 1 MONTH"}


@dataclass(frozen=True)
class Dimension:
    """A way to break coverage down: the join it needs and the value it yields."""

    label: str
    value: str  # SQL expression over `a` (articles) and the join's alias
    join: str = ""


DIMENSIONS: dict[str, Dimension] = {
    "topic": Dimension(
        "Topic", "dt.topic", "JOIN article_topics dt ON dt.article_id = a.article_id"
    ),
    "country": Dimension(
        "Country mentioned",
        "dc.country",
        "JOIN article_countries dc ON dc.article_id = a.article_id",
    ),
    "source": Dimension("Source", "a.source"),
    "agency": Dimension("Agency", "a.agency"),
    "language": Dimension("Language", "a.language"),
    "source_country": Dimension("Publisher country", "a.source_country"),
}


def dimension(name: str) -> Dimension:
    if name not in DIMENSIONS:
        raise ValueError(f"unknown dimension {name!r}; one of {', '.join(DIMENSIONS)}")
    return DIMENSIONS[name]


def measure(filters: Filters, alias: str = "a") -> str:
    """The count that the filters ask for: distinct stories or all placements."""
    return _MEASURES[filters.measure].format(alias=alias)


def local_time(alias: str = "a") -> str:
    """`published_at` (naive UTC) as naive local time in the desk time zone `$tz`."""
    return f"timezone($tz, timezone('UTC', {alias}.published_at))"


def bucket(alias: str = "a") -> str:
    """The first day of the day/ISO week/month (`$granularity`) an article falls in."""
    return f"CAST(date_trunc($granularity, {local_time(alias)}) AS DATE)"


def time_params(filters: Filters) -> dict[str, object]:
    return {
        "tz": filters.timezone,
        "granularity": filters.granularity,
        "range_start": filters.start,
        "range_end": filters.end,
    }


def bucket_series(source: str, filters: Filters) -> str:
    """Every bucket from the range's first day (or the data's) to its last, as `bucket`.

    `source` is a CTE with a `bucket` column, used when the range is open.
    """
    step = STEPS[filters.granularity]
    return f"""
        SELECT CAST(unnest(generate_series(
            CAST(coalesce(date_trunc($granularity, CAST($range_start AS DATE)),
                          (SELECT min(bucket) FROM {source})) AS TIMESTAMP),
            CAST(coalesce(CAST($range_end AS DATE), (SELECT max(bucket) FROM {source}))
                 AS TIMESTAMP),
            {step})) AS DATE) AS bucket
    """
