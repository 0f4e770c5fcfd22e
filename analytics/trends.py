"""Week over week: what rose, what fell, what is new, what spiked, and the stories behind it.

Weeks are ISO weeks (Monday to Sunday) in the desk time zone, named by their Monday. The
reference week is compared with the week before and with the average of the four before it.
A spike needs at least `floor` stories/placements and `ratio` times the 4-week average, so a
jump from 1 to 2 is never a spike.
"""

from __future__ import annotations

from datetime import date, timedelta

import pandas as pd

from analytics.coverage import label_values, selection_rows
from analytics.database import Database
from analytics.filters import Filters
from analytics.sql import bucket, measure, offset_join, time_params

SPARKLINE_WEEKS = 8
BASELINE_WEEKS = 4
DEFAULT_FLOOR = 3
DEFAULT_RATIO = 2.0
FACET_OF = {"topic": "topics", "country": "countries", "source": "sources"}
BREAKDOWNS = {"topic": "Topics", "country": "Countries", "source": "Sources"}


def week_start(day: date) -> date:
    return day - timedelta(days=day.weekday())


def last_complete_week(today: date) -> date:
    """The Monday of the last ISO week that has ended before `today`."""
    return week_start(today) - timedelta(days=7)


def _weekly(filters: Filters, first: date, last_week: date) -> Filters:
    return filters.with_range(first, last_week + timedelta(days=6)).replace(granularity="week")


def complete_weeks(db: Database, filters: Filters, today: date) -> list[date]:
    """The Mondays of the complete weeks that have coverage in the selection, latest first."""
    weekly = filters.with_range(None, week_start(today) - timedelta(days=1))
    weekly = weekly.replace(granularity="week")
    selected, params = selection_rows(weekly)
    rows = db.rows(f"SELECT DISTINCT bucket FROM ({selected}) ORDER BY bucket DESC", params)
    return [row[0] for row in rows]


def weekly_changes(
    db: Database,
    filters: Filters,
    by: str,
    week: date,
    floor: int = DEFAULT_FLOOR,
    ratio: float = DEFAULT_RATIO,
) -> pd.DataFrame:
    """Per value of `by`: the reference week against the week before and the 4-week average.

    Columns: value, label, this_week, previous_week, average_4w, change (vs the previous
    week), change_vs_average, is_new (nothing in the four weeks before), is_spike,
    sparkline (counts of the last 8 weeks, oldest first). Largest this week first.
    """
    first = week - timedelta(weeks=SPARKLINE_WEEKS - 1)
    weekly = _weekly(filters, first, week)
    selected, params = selection_rows(weekly, by)
    sql = f"""
        WITH sel AS ({selected}),
        counts AS (SELECT value, bucket AS week, {measure(filters, "sel")} AS n
                   FROM sel GROUP BY ALL),
        weeks AS (SELECT CAST(unnest(generate_series(CAST($first AS TIMESTAMP),
                         CAST($week AS TIMESTAMP), INTERVAL 7 DAY)) AS DATE) AS week),
        grid AS (SELECT v.value, w.week, coalesce(c.n, 0) AS n
                 FROM (SELECT DISTINCT value FROM counts) v CROSS JOIN weeks w
                 LEFT JOIN counts c ON c.value = v.value AND c.week = w.week)
        SELECT value,
               sum(n) FILTER (WHERE week = $week) AS this_week,
               sum(n) FILTER (WHERE week = $week - 7) AS previous_week,
               sum(n) FILTER (WHERE week >= $baseline_start AND week < $week)
                   / $baseline AS average_4w,
               list(n ORDER BY week) AS sparkline
        FROM grid GROUP BY value
        ORDER BY this_week DESC, value
    """
    params = {
        **params,
        "first": first,
        "week": week,
        "baseline_start": week - timedelta(weeks=BASELINE_WEEKS),
        "baseline": float(BASELINE_WEEKS),
    }
    frame = db.frame(sql, params)
    frame.insert(1, "label", label_values(db, by, frame["value"]))
    frame["this_week"] = frame["this_week"].astype(int)
    frame["previous_week"] = frame["previous_week"].astype(int)
    frame["change"] = frame["this_week"] - frame["previous_week"]
    frame["change_vs_average"] = frame["this_week"] - frame["average_4w"]
    frame["is_new"] = (frame["this_week"] > 0) & (frame["average_4w"] == 0)
    frame["is_spike"] = (
        (frame["this_week"] >= floor)
        & (frame["this_week"] >= ratio * frame["average_4w"])
        & (frame["this_week"] > frame["average_4w"])
    )
    frame["sparkline"] = frame["sparkline"].map(list)
    return frame


def week_filters(filters: Filters, by: str, value: str, week: date) -> Filters:
    """The selection narrowed to one value of `by` in one week (what a spike links to)."""
    facet = FACET_OF[by]
    narrowed = filters.replace(**{facet: (value,)})
    return _weekly(narrowed, week, week)


def spike_stories(
    db: Database, filters: Filters, by: str, value: str, week: date, limit: int = 5
) -> pd.DataFrame:
    """The largest stories (duplicate groups) of one value in one week.

    Columns: story, title (of its earliest placement that week), placements, sources,
    first (local time).
    """
    narrowed = week_filters(filters, by, value, week)
    where = narrowed.where()
    sql = f"""
        SELECT a.dup_group AS story,
               arg_min(x.title, a.published_at) AS title,
               count(*) AS placements,
               string_agg(DISTINCT a.source, ', ' ORDER BY a.source) AS sources,
               CAST(min(timezone($tz, timezone('UTC', a.published_at))) AS TIMESTAMP) AS first
        FROM article_facts a JOIN articles x USING (article_id) WHERE {where.sql}
        GROUP BY a.dup_group ORDER BY placements DESC, first LIMIT $limit
    """
    return db.frame(sql, {**where.params, "tz": filters.timezone, "limit": limit})


def spike_terms(
    db: Database, filters: Filters, by: str, value: str, week: date, limit: int = 10
) -> pd.DataFrame:
    """The words that tagged the week's articles of one value, against the weeks before.

    Words are the country and topic terms found in the articles. Columns: term, this_week
    (articles using it that week), average_before (per week over the 4 weeks before), lift.
    """
    first = week - timedelta(weeks=BASELINE_WEEKS)
    span = _weekly(filters.replace(**{FACET_OF[by]: (value,)}), first, week)
    where = span.where()
    sql = f"""
        WITH sel AS (SELECT a.article_id, {bucket(span)} AS week
                     FROM article_facts a {offset_join(span)} WHERE {where.sql}),
        terms AS (
            SELECT DISTINCT sel.article_id, sel.week, lower(unnest(t.terms)) AS term
            FROM sel JOIN article_topics t USING (article_id)
            UNION
            SELECT DISTINCT sel.article_id, sel.week, lower(unnest(c.terms)) AS term
            FROM sel JOIN article_countries c USING (article_id))
        SELECT term,
               count(*) FILTER (WHERE week = $week) AS this_week,
               count(*) FILTER (WHERE week < $week) / $baseline AS average_before
        FROM terms GROUP BY term
        HAVING count(*) FILTER (WHERE week = $week) > 0
        ORDER BY this_week - average_before DESC, this_week DESC, term LIMIT $limit
    """
    params = {
        **where.params,
        **time_params(span),
        "week": week,
        "baseline": float(BASELINE_WEEKS),
        "limit": limit,
    }
    frame = db.frame(sql, params)
    frame["lift"] = frame["this_week"] - frame["average_before"]
    return frame
