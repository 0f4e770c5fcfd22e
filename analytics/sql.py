"""SQL fragments shared by the queries: measures, local time buckets, breakdown dimensions.

Everything a user chooses reaches SQL as a bound parameter; the names spliced into SQL here
(measures, dimensions, steps) are looked up in these fixed tables, never taken from input.
"""

from __future__ import annotations

from dataclasses import dataclass

from analytics.filters import Filters

# A story is a duplicate group; both keys are dense integers (etl/summaries.py).
_COUNTED = {"stories": "story_key", "placements": "article_key"}
_STORED = {"stories": "stories", "placements": "placements"}  # etl/summaries.py
STEPS = {"day": "INTERVAL 1 DAY", "week": "INTERVAL 7 DAY", "month": "INTERVAL 1 MONTH"}


@dataclass(frozen=True)
class Dimension:
    """A way to break coverage down: the join it needs and the value it yields."""

    label: str
    value: str  # SQL expression over `a` (article_facts) and the join's alias
    join: str = ""


DIMENSIONS: dict[str, Dimension] = {
    "topic": Dimension(
        "Topic", "dt.topic", "JOIN topic_facts dt ON dt.article_key = a.article_key"
    ),
    "country": Dimension(
        "Country mentioned",
        "dc.country",
        "JOIN country_facts dc ON dc.article_key = a.article_key",
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
    return f"count(DISTINCT {alias}.{counted(filters)})"


def stored_count(filters: Filters) -> str:
    """The column of `facet_counts` and `corpus_counts` holding the measure."""
    return _STORED[filters.measure]


def counted(filters: Filters) -> str:
    """The article_facts column whose distinct values the measure counts."""
    return _COUNTED[filters.measure]


def local_time(alias: str = "a", column: str = "published_at") -> str:
    """A naive UTC timestamp (`published_at`) as naive local time in the desk time zone `$tz`,
    converted row by row: for a page of rows or an aggregate's result, not for a whole
    selection (the conversion costs about a microsecond a row; see `shifted_time`)."""
    return f"timezone($tz, timezone('UTC', {alias}.{column}))"


# Each UTC day of the data with the desk time zone's offset from UTC, NULL on a day when the
# offset changes (a daylight-saving switch): converting these few hundred days is cheap.
_DAY_OFFSETS = """
    SELECT CAST(day AS DATE) AS day, CASE WHEN offset_at_start = offset_at_end
                                          THEN offset_at_start END AS utc_offset
    FROM (SELECT day, timezone($tz, timezone('UTC', day)) - day AS offset_at_start,
                 timezone($tz, timezone('UTC', day + INTERVAL 1 DAY)) - (day + INTERVAL 1 DAY)
                     AS offset_at_end
          FROM (SELECT unnest(generate_series(
              CAST(CAST((SELECT min(published_at) FROM article_facts) AS DATE) AS TIMESTAMP),
              CAST(CAST((SELECT max(published_at) FROM article_facts) AS DATE) AS TIMESTAMP),
              INTERVAL 1 DAY)) AS day))
"""


def offset_join(filters: Filters, alias: str = "a") -> str:
    """The join `shifted_time` needs (none in UTC)."""
    if filters.timezone == "UTC":
        return ""
    return (
        f"LEFT JOIN ({_DAY_OFFSETS}) {alias}_day "
        f"ON {alias}_day.day = CAST({alias}.published_at AS DATE)"
    )


def shifted_time(filters: Filters, alias: str = "a") -> str:
    """`published_at` as naive local time for a whole selection: the UTC day's offset added
    (`offset_join` in the FROM clause), only rows on a day the offset changes converted one by
    one; in UTC, `published_at` itself."""
    if filters.timezone == "UTC":
        return f"{alias}.published_at"
    return (
        f"coalesce({alias}.published_at + {alias}_day.utc_offset, "
        f"timezone($tz, timezone('UTC', {alias}.published_at)))"
    )


def bucket(filters: Filters, alias: str = "a") -> str:
    """The first day of the day/ISO week/month (`$granularity`) an article falls in; needs
    `offset_join`."""
    return f"CAST(date_trunc($granularity, {shifted_time(filters, alias)}) AS DATE)"


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
