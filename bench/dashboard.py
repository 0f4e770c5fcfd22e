"""Dashboard query timings: every query a page runs, on a real database, cold and warm.

    python bench/dashboard.py --db data/monitor.duckdb
    python -m bench.dashboard --db /tmp/monitor-1m.duckdb --repeat 5

Prints, per query, the first run (DuckDB's own caches cold) and the median of the next
runs, in milliseconds. The dashboard caches results per filters and database version, so
these are the costs of a filter change, not of a page switch.
"""

from __future__ import annotations

import argparse
import statistics
import sys
import time
from pathlib import Path

if __package__ in (None, ""):  # run as a script: make the repository importable
    sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from analytics import articles, countries, coverage, crosstabs, export, health, sources, trends
from analytics.database import Database, database_path
from analytics.filters import FACETS, Filters


def cases(db: Database) -> dict:
    everything = Filters()
    last_day = db.value("SELECT CAST(max(published_at) AS DATE) FROM articles")
    week = trends.last_complete_week(last_day)
    month = Filters.for_period("30d", last_day)
    busiest = db.value(
        "SELECT topic FROM article_topics GROUP BY topic ORDER BY count(*) DESC LIMIT 1"
    )
    return {
        "headline_numbers (30 days)": lambda: coverage.headline_numbers(db, month),
        "coverage_over_time (all)": lambda: coverage.coverage_over_time(db, everything),
        "coverage_over_time by topic": lambda: coverage.coverage_over_time(
            db, everything, by="topic", top=10
        ),
        "top_values country": lambda: coverage.top_values(db, everything, "country"),
        "facet_options (6 facets)": lambda: [
            coverage.facet_options(db, everything, facet) for facet in FACETS
        ],
        "matching_articles page 1": lambda: articles.matching_articles(db, everything),
        "count_articles, text search": lambda: articles.count_articles(
            db, everything.replace(text="президент OR president")
        ),
        "crosstab topic × country": lambda: crosstabs.crosstab(db, everything, "topic", "country"),
        "countries_on_map": lambda: countries.countries_on_map(db, everything),
        "source_profiles": lambda: sources.source_profiles(db, everything),
        "weekly_changes topic": lambda: trends.weekly_changes(db, everything, "topic", week),
        "spike_terms": lambda: trends.spike_terms(db, everything, "topic", busiest, week),
        "daily_volume (30 days)": lambda: health.daily_volume(db, month),
        "articles_csv all, with body": lambda: export.articles_csv(db, everything, True).read(),
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--db", type=Path, default=None, help="default: $MONITOR_DB")
    parser.add_argument("--repeat", type=int, default=3, help="warm runs per query")
    args = parser.parse_args()
    db = Database(args.db or database_path())
    total = db.value("SELECT count(*) FROM articles")
    print(f"{db.path}: {total:,} articles")
    print(f"{'query':32} {'first ms':>9} {'warm ms':>9}")
    for name, run in cases(db).items():
        timings = []
        for _ in range(args.repeat + 1):
            started = time.perf_counter()
            run()
            timings.append((time.perf_counter() - started) * 1000)
        print(f"{name:32} {timings[0]:9.1f} {statistics.median(timings[1:]):9.1f}")


if __name__ == "__main__":
    main()
