"""Dashboard query latency per filter state, on a database built by the ETL, against the naive
pandas way.

    python bench/queries.py --articles 100000
    python -m bench.queries --db data/monitor.duckdb --runs 9 --pages

`--articles N` builds (once, then reuses) bench/out/queries-N/monitor.duckdb from a synthetic
corpus (`bench/corpus.py`, then `python -m etl ingest`); `--db FILE` uses an existing database.

Filter states a user really uses: all data; the last 30 days; one topic; one country; three
countries and two topics; a Boolean text search; a drill-down from a chart point to page 1 of
its articles; weekly trends; an export of the newest 100,000 articles (all when fewer). Each
state is shown on one page; the page's query set is every query that page and the sidebar run
for a new selection (`views/*.py`, `ui/filters.py`), each timed. "Today" is the database's last
day of publication. Cold is the first run on a freshly opened `analytics.database.Database`
(DuckDB's caches empty), warm the next `--runs` runs; p50 and p95 are over those runs.
The CSV download runs on a click, after the page has drawn, so it is timed on its own line.

The naive way, as many Streamlit tutorials do it: `SELECT *` of the articles and their topic
and country tags into pandas once (cached with `st.cache_data`, so its load counts once), then
the same questions answered by filtering and grouping in pandas (a text search by a regular
expression over title and text), `--naive-runs` warm runs per state (it is slow). Its answers
are checked against ours (counts and values); a mismatch, or a naive run that dies (it needs
about 2 GB per 100,000 articles), is printed and the exit status is 1; `--naive-runs 0` skips
the naive way and its check. Each way runs in a fresh interpreter of its own, so each peak RSS
is its own. `--pages` also draws every page in Streamlit's AppTest, one session visiting each
in turn.

The last line is `summary: articles=N p50_ms=X p95_ms=Y naive_over_ours=R memory_ratio=M`:
p50 and p95 of the warm page query sets of all states pooled; naive_over_ours the time of the
whole tour of states (sum of the p50s) the naive way over ours; memory_ratio the naive way's
peak RSS over ours. Timings on a busy machine are noisy: quote medians and ratios.
"""

from __future__ import annotations

import argparse
import csv
import dataclasses
import io
import os
import pickle
import re
import resource
import shutil
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date, timedelta
from pathlib import Path

import duckdb
import numpy as np
import pandas as pd

if __package__ in (None, ""):  # run as a script: make the repository importable
    sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from analytics import articles, countries, coverage, crosstabs, export, health, sources, trends
from analytics.database import Database, DatabaseUnavailable
from analytics.filters import FACETS, Filters

ROOT = Path(__file__).resolve().parents[1]
OUT = Path(__file__).parent / "out"
TARGET_MS = 300
EXPORT_ROWS = 100_000
COLD_RUNS = 3
PAGE_RUNS = 3
# A search of words joined by OR: the naive way can run it as one regular expression. Both
# words occur in the demo corpus and have no inflected forms that the search would also find.
SEARCH_WORDS = ("ООН", "president")
EVERY_ROW = 10_000_000  # views/export.py exports the aggregates whole
FACET_OF = {
    "topic": "topics",
    "country": "countries",
    "source_country": "source_countries",
    "source": "sources",
    "agency": "agencies",
    "language": "languages",
}
DIMENSION_OF = {facet: by for by, facet in FACET_OF.items()}


# The pages: what each runs, in the order it runs it -----------------------------------------

Ask = Callable[..., object]


def sidebar(ask: Ask, filters: Filters) -> None:
    """ui/filters.py: every facet's options under the other filters, and the corpus note."""
    for facet in FACETS:
        ask(coverage.facet_options, filters, facet)
    ask(health.corpus_status)


def overview(ask: Ask, filters: Filters, today: date) -> None:
    ask(coverage.topic_labels)
    ask(coverage.headline_numbers, filters)
    ask(coverage.coverage_over_time, filters)
    for by in ("topic", "country", "source"):
        ask(coverage.top_values, filters, by, limit=10)
    ask(articles.matching_articles, filters, page_size=10)


def topics(ask: Ask, filters: Filters, today: date) -> None:
    ask(coverage.topic_labels)
    ask(coverage.coverage_over_time, filters, by="topic", top=10)
    ask(coverage.top_values, filters, "topic", limit=20)
    ask(crosstabs.crosstab, filters, "topic", "country", row_limit=12, column_limit=15)


def countries_page(ask: Ask, filters: Filters, today: date) -> None:
    ask(coverage.topic_labels)
    mentioned = ask(countries.countries_on_map, filters)
    if mentioned.empty:
        return
    preferred = [code for code in filters.countries if code in set(mentioned["value"])]
    focus = preferred[0] if preferred else mentioned["value"].iloc[0]
    ask(coverage.coverage_over_time, filters.replace(countries=(focus,)))
    ask(countries.co_mentioned, filters, focus)
    ask(crosstabs.crosstab, filters, "source_country", "country", row_limit=10, column_limit=15)


def sources_page(ask: Ask, filters: Filters, today: date) -> None:
    ask(coverage.topic_labels)
    for by in ("source", "agency"):
        ask(coverage.top_values, filters, by, limit=15)
    ask(crosstabs.crosstab, filters, "source", "topic", row_limit=15, column_limit=12)
    ask(sources.source_profiles, filters)


def articles_page(ask: Ask, filters: Filters, today: date) -> None:
    ask(coverage.topic_labels)
    if ask(articles.count_articles, filters):
        ask(articles.matching_articles, filters, sort="newest", page=1)


def trends_page(ask: Ask, filters: Filters, today: date) -> None:
    ask(coverage.topic_labels)
    weeks = ask(trends.complete_weeks, filters, today)
    if not weeks:
        return
    default_week = trends.last_complete_week(today)
    week = default_week if default_week in weeks else weeks[0]
    for by in trends.BREAKDOWNS:  # every tab runs; spikes' expanders run closed too
        changes = ask(trends.weekly_changes, filters, by, week)
        for value in changes.loc[changes["is_spike"], "value"].head(3):
            ask(trends.spike_stories, filters, by, value, week)
            ask(trends.spike_terms, filters, by, value, week)


def export_page(ask: Ask, filters: Filters, today: date) -> None:
    ask(coverage.topic_labels)
    ask(articles.count_articles, filters)
    ask(coverage.coverage_over_time, filters)
    ask(coverage.coverage_over_time, filters, by="topic", top=50)
    for by in ("topic", "country", "source", "agency"):
        ask(coverage.top_values, filters, by, limit=EVERY_ROW)
    ask(
        crosstabs.crosstab, filters, "topic", "country", row_limit=EVERY_ROW, column_limit=EVERY_ROW
    )
    ask(sources.source_profiles, filters, limit=EVERY_ROW)


def download(ask: Ask, filters: Filters, today: date) -> None:
    """The Export page's download button, clicked: every selected article as CSV."""
    ask(export.articles_csv, filters)


PAGE_TITLES = {
    overview: "Overview",
    topics: "Topics",
    countries_page: "Countries",
    sources_page: "Sources",
    articles_page: "Articles",
    trends_page: "Weekly trends",
    export_page: "Export",
    download: "Export (click)",
}


@dataclass(frozen=True)
class State:
    name: str
    page: Callable[[Ask, Filters, date], None]
    filters: Filters

    @property
    def with_sidebar(self) -> bool:
        return self.page is not download


def filter_states(db: Database) -> tuple[date, list[State]]:
    """The last day of publication and the states measured, chosen from the data: the busiest
    topics and countries, the last complete week, the day where the newest 100,000 begin."""
    today = db.value("SELECT CAST(max(published_at) AS DATE) FROM articles")
    top_topics = [
        row[0]
        for row in db.rows(
            "SELECT topic FROM article_topics GROUP BY topic ORDER BY count(*) DESC, topic LIMIT 2"
        )
    ]
    top_countries = [
        row[0]
        for row in db.rows(
            "SELECT country FROM article_countries GROUP BY country "
            "ORDER BY count(*) DESC, country LIMIT 3"
        )
    ]
    everything = Filters()
    week = trends.last_complete_week(today)
    export_from = db.value(
        "SELECT CAST(published_at AS DATE) FROM articles WHERE published_at IS NOT NULL "
        "ORDER BY published_at DESC LIMIT 1 OFFSET $offset",
        {"offset": EXPORT_ROWS - 1},
    )
    exported = everything.with_range(export_from, today) if export_from else everything
    search = everything.replace(text=" OR ".join(SEARCH_WORDS))
    clicked = trends.week_filters(everything, "topic", top_topics[0], week)
    states = [
        State("all data", overview, everything),
        State("last 30 days", overview, Filters.for_period("30d", today)),
        State(f"one topic ({top_topics[0]})", topics, everything.replace(topics=top_topics[:1])),
        State(
            f"one country ({top_countries[0]})",
            countries_page,
            everything.replace(countries=top_countries[:1]),
        ),
        State(
            f"3 countries + 2 topics ({','.join(top_countries)}; {','.join(top_topics)})",
            sources_page,
            everything.replace(countries=top_countries, topics=top_topics),
        ),
        State(f"text: {search.text}", overview, search),
        State(f"drill-down page 1 ({top_topics[0]}, {week:%G-W%V})", articles_page, clicked),
        State(f"weekly trends ({week:%G-W%V})", trends_page, everything),
        State("export, newest 100k", export_page, exported),
        State("export, newest 100k", download, exported),
    ]
    return today, states


# Timing and recording ------------------------------------------------------------------------


def label(function: Callable, args: tuple, kwargs: dict) -> str:
    """A query's name with the arguments that tell its calls on one page apart."""
    words = [arg for arg in (*args, *kwargs.values()) if isinstance(arg, str)]
    return " ".join([function.__name__, *words])


@dataclass
class PageRun:
    """One run of a page: each query's milliseconds and, when kept, its answer's summary."""

    times: dict[str, float] = field(default_factory=dict)
    answers: dict[str, object] = field(default_factory=dict)

    @property
    def total(self) -> float:
        return sum(self.times.values())


def run_page(answer: Callable, state: State, today: date, keep_answers: bool) -> PageRun:
    run = PageRun()

    def ask(function: Callable, *args, **kwargs):
        name = label(function, args, kwargs)
        if name in run.times:
            raise ValueError(f"a page runs {name} twice: tell the calls apart")
        started = time.perf_counter()
        result = answer(function, *args, **kwargs)
        run.times[name] = (time.perf_counter() - started) * 1000
        if keep_answers:
            run.answers[name] = SUMMARIES[function.__name__](result)
        return result

    if state.with_sidebar:
        sidebar(ask, state.filters)
    state.page(ask, state.filters, today)
    return run


@dataclass
class Measured:
    """What one way (ours or naive) measured, in its own process."""

    cold: list[list[PageRun]]  # per state, per cold run
    warm: list[list[PageRun]]  # per state, per warm run
    peak_mb: float
    load_ms: float = 0.0

    @classmethod
    def from_plain(cls, plain: dict) -> Measured:
        """Back from `dataclasses.asdict` (what crosses between the processes)."""
        runs = {
            key: [[PageRun(**run) for run in state] for state in plain[key]]
            for key in ("cold", "warm")
        }
        return cls(**{**plain, **runs})


def peak_rss_mb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024  # KiB on Linux


def measure_ours(path: Path, states: list[State], today: date, runs: int) -> Measured:
    cold, warm = [], []
    for state in states:
        cold_runs = []
        for number in range(COLD_RUNS):
            db = Database(path)
            cold_runs.append(run_page(ours(db), state, today, keep_answers=number == 0))
        cold.append(cold_runs)
        warm.append([run_page(ours(db), state, today, keep_answers=False) for _ in range(runs)])
    return Measured(cold, warm, peak_rss_mb())


def ours(db: Database) -> Callable:
    def answer(function: Callable, *args, **kwargs):
        result = function(db, *args, **kwargs)
        if function is export.articles_csv:  # the download sends the whole file
            return result.read()
        return result

    return answer


def measure_naive(path: Path, states: list[State], today: date, runs: int) -> Measured:
    started = time.perf_counter()
    naive = Naive.load(path)
    load_ms = (time.perf_counter() - started) * 1000

    def rerun(state: State, keep_answers: bool) -> PageRun:
        naive.selections.clear()  # a Streamlit rerun: the filtered frames are made anew
        return run_page(naive.answer, state, today, keep_answers)

    cold = [[rerun(state, keep_answers=True)] for state in states]
    warm = [[rerun(state, keep_answers=False) for _ in range(runs)] for state in states]
    return Measured(cold, warm, peak_rss_mb(), load_ms)


def measure_pages(path: Path, states: list[State], today: date, runs: int) -> dict:
    """Per page (views/*.py, all data), one session visiting each in turn as a user would: the
    first visit (queries the pages before it ran are cached; the first page also opens the
    database), then the median run with Streamlit's data cache cleared (a new selection) and
    with everything cached (coming back to the page), in ms; and the peak RSS of this
    dashboard process."""
    os.environ["MONITOR_DB"] = str(path)
    os.environ.pop("MONITOR_TIMEZONE", None)
    import streamlit as st
    from streamlit.logger import set_log_level
    from streamlit.testing.v1 import AppTest

    def quiet() -> None:
        # Without a server, clearing a cache or a run warns; each AppTest run resets the level.
        set_log_level("error")

    def timed_run(app: AppTest) -> float:
        quiet()
        started = time.perf_counter()
        app.run()
        elapsed = (time.perf_counter() - started) * 1000
        if app.exception:
            raise RuntimeError([item.value for item in app.exception])
        return elapsed

    pages = {}
    quiet()
    app = AppTest.from_file(str(ROOT / "dashboard.py"), default_timeout=600)
    for page in sorted((ROOT / "views").glob("*.py")):
        app.switch_page(str(page.relative_to(ROOT)))
        first = timed_run(app)
        uncached = []
        for _ in range(runs):
            quiet()
            st.cache_data.clear()
            uncached.append(timed_run(app))
        cached = [timed_run(app) for _ in range(runs)]
        pages[page.stem] = (first, float(np.median(uncached)), float(np.median(cached)))
    return {"pages": pages, "peak_mb": peak_rss_mb()}


WAYS = {"ours": measure_ours, "naive": measure_naive, "pages": measure_pages}


def in_own_process(way: str, path: Path, states: list[State], today: date, runs: int):
    """One way measured by this module in a fresh interpreter (a hidden `--measure` flag): its
    peak memory is its own, and nothing of this process leaks in. None if it failed."""
    with tempfile.TemporaryDirectory() as folder:
        job = Path(folder) / "job.pickle"
        plain_states = [(state.name, state.page.__name__, state.filters) for state in states]
        job.write_bytes(pickle.dumps((way, str(path), plain_states, today, runs)))
        command = [sys.executable, "-m", "bench.queries", "--measure", str(job)]
        finished = subprocess.run(command, cwd=ROOT)
        if finished.returncode != 0:
            print(f"!!! measuring {way} failed (exit status {finished.returncode})", flush=True)
            return None
        result = pickle.loads(job.read_bytes())
    return Measured.from_plain(result) if way != "pages" else result


def run_job(job: Path) -> None:
    """The child's side of `in_own_process`: read the job, measure, write the result over it."""
    way, path, plain_states, today, runs = pickle.loads(job.read_bytes())
    pages = {page.__name__: page for page in PAGE_TITLES}
    states = [State(name, pages[page], filters) for name, page, filters in plain_states]
    result = WAYS[way](Path(path), states, today, runs)
    job.write_bytes(pickle.dumps(dataclasses.asdict(result) if way != "pages" else result))


# Answers reduced to what both ways must agree on ---------------------------------------------


def _native(value):
    if isinstance(value, pd.Timestamp):
        return value.date() if value == value.normalize() else value.to_pydatetime()
    if isinstance(value, np.integer | np.floating):
        return value.item()
    return value


def _rows(frame: pd.DataFrame, columns: list[str]) -> list[tuple]:
    return [
        tuple(_native(value) for value in row)
        for row in frame[columns].itertuples(index=False, name=None)
    ]


def _columns(*names: str, ordered: bool = True) -> Callable[[pd.DataFrame], list[tuple]]:
    def rows(frame: pd.DataFrame) -> list[tuple]:
        present = [name for name in names if name in frame]
        found = _rows(frame.astype(object).where(frame.notna(), None), present)
        return found if ordered else sorted(found)

    return rows


def _weeks(weeks: list) -> list:
    return [_native(pd.Timestamp(week)) for week in weeks]


def _csv_records(data: bytes) -> int:
    return sum(1 for _ in csv.reader(io.StringIO(data.decode("utf-8-sig")))) - 1


# Per query: its answer reduced to the counts (and the values they count), in order where the
# order is the answer's own.
SUMMARIES: dict[str, Callable] = {
    "topic_labels": dict,
    "corpus_status": lambda status: status["articles"],
    "count_articles": int,
    "articles_csv": _csv_records,
    "complete_weeks": _weeks,
    "headline_numbers": _columns("metric", "value", "previous", "total"),
    "coverage_over_time": _columns("bucket", "value", "count", "total"),
    "top_values": _columns("value", "count", "total"),
    "countries_on_map": _columns("value", "count", "total"),
    "co_mentioned": _columns("value", "count", "total"),
    "facet_options": _columns("value", "count", ordered=False),
    "matching_articles": _columns("article_id", "copies"),
    "crosstab": _columns("row", "column", "count", ordered=False),
    "source_profiles": _columns("source", "placements", "stories", "wire"),
    "weekly_changes": lambda frame: [
        (*row[:3], tuple(row[3]))
        for row in _columns("value", "this_week", "previous_week", "sparkline")(frame)
    ],
    "spike_stories": lambda frame: sorted(frame["placements"].tolist(), reverse=True),
    "spike_terms": _columns("term", "this_week"),
}


# The naive way ------------------------------------------------------------------------------


class Naive:
    """Everything in pandas frames, every question answered by filtering and grouping them.
    Like a tutorial's page script, a rerun filters the frame once per selection it shows
    (`selections`, cleared on each rerun) and groups that as often as it needs."""

    def __init__(
        self,
        frame: pd.DataFrame,
        topic_tags: pd.DataFrame,
        country_tags: pd.DataFrame,
        labels: pd.DataFrame,
    ) -> None:
        self.articles = frame
        self.tags = {
            "topic": topic_tags.rename(columns={"topic": "value"}),
            "country": country_tags.rename(columns={"country": "value"}),
        }
        self.labels = labels
        self.selections: dict[Filters, pd.DataFrame] = {}

    @classmethod
    def load(cls, path: Path) -> Naive:
        with duckdb.connect(str(path), read_only=True) as con:
            return cls(
                *(
                    con.execute(f"SELECT * FROM {table}").df()
                    for table in ("articles", "article_topics", "article_countries", "topics")
                )
            )

    def answer(self, function: Callable, *args, **kwargs):
        return getattr(self, function.__name__)(*args, **kwargs)

    # selections

    def selected(self, filters: Filters) -> pd.DataFrame:
        if filters not in self.selections:
            self.selections[filters] = self.filtered(filters)
        return self.selections[filters]

    def filtered(self, filters: Filters) -> pd.DataFrame:
        frame = self.articles
        keep = pd.Series(True, index=frame.index)
        start, until = filters.utc_bounds()
        if start is not None:
            keep &= frame["published_at"] >= start
        if until is not None:
            keep &= frame["published_at"] < until
        for name, facet in FACETS.items():
            chosen = list(getattr(filters, name))
            if not chosen:
                continue
            if facet.column:
                keep &= frame[facet.column].isin(chosen)
                continue
            tags = self.tags[facet.tag_column]
            tagged = tags[tags["value"].isin(chosen)]
            if name == "countries" and filters.all_countries:
                named = tagged.groupby("article_id")["value"].nunique()
                keep &= frame["article_id"].isin(named.index[named == len(chosen)])
            else:
                keep &= frame["article_id"].isin(tagged["article_id"])
        if filters.text:
            words = [word for word in filters.text.split() if word != "OR"]
            pattern = r"\b(?:" + "|".join(map(re.escape, words)) + r")\b"
            text = frame["title"].fillna("") + "\n" + frame["body"].fillna("")
            keep &= text.str.contains(pattern, case=False, regex=True)
        return frame[keep]

    def pairs(self, filters: Filters, by: str, frame: pd.DataFrame | None = None) -> pd.DataFrame:
        """The selected articles with the values of `by`, only the chosen ones when filtered."""
        frame = self.selected(filters) if frame is None else frame
        if by in self.tags:
            tags = self.tags[by][["article_id", "value"]]
            pairs = frame.merge(tags, on="article_id")
        else:
            pairs = frame.assign(value=frame[by]).dropna(subset=["value"])
        chosen = getattr(filters, FACET_OF[by])
        return pairs[pairs["value"].isin(chosen)] if chosen else pairs

    @staticmethod
    def count(frame: pd.DataFrame, filters: Filters, by=None):
        column = "dup_group" if filters.measure == "stories" else "article_id"
        if by is None:
            return frame[column].nunique()
        return frame.groupby(by)[column].nunique()

    @staticmethod
    def local(moments: pd.Series, filters: Filters) -> pd.Series:
        if filters.timezone == "UTC":
            return moments
        zoned = moments.dt.tz_localize("UTC").dt.tz_convert(filters.timezone)
        return zoned.dt.tz_localize(None)

    def bucket(self, moments: pd.Series, filters: Filters) -> pd.Series:
        day = self.local(moments, filters).dt.normalize()
        if filters.granularity == "week":
            return day - pd.to_timedelta(day.dt.day_of_week, unit="D")
        if filters.granularity == "month":
            return day - pd.to_timedelta(day.dt.day - 1, unit="D")
        return day

    def buckets(self, filters: Filters, dated: pd.DataFrame) -> pd.DatetimeIndex:
        """Every bucket of the range (or the selection's span when open), like bucket_series."""
        first = pd.Timestamp(filters.start) if filters.start else dated["bucket"].min()
        last = pd.Timestamp(filters.end) if filters.end else dated["bucket"].max()
        if pd.isna(first) or pd.isna(last):
            return pd.DatetimeIndex([])
        first = self.bucket(pd.Series([first]), filters.replace(timezone="UTC")).iloc[0]
        step = {"day": "D", "week": "7D", "month": "MS"}[filters.granularity]
        return pd.date_range(first, last, freq=step)

    def dated(self, filters: Filters, by: str | None = None) -> pd.DataFrame:
        frame = self.selected(filters)
        frame = frame[frame["published_at"].notna()]
        if by is not None:
            frame = self.pairs(filters, by, frame)
        return frame.assign(bucket=self.bucket(frame["published_at"], filters))

    # the questions, named and shaped as analytics' own

    def topic_labels(self) -> dict[str, str]:
        return dict(zip(self.labels["topic"], self.labels["label"], strict=True))

    def corpus_status(self) -> dict:
        moments = self.articles["published_at"]
        return {"articles": len(self.articles), "first": moments.min(), "last": moments.max()}

    def facet_options(self, filters: Filters, facet: str) -> pd.DataFrame:
        by = DIMENSION_OF[facet]
        counts = self.count(self.pairs(filters.replace(**{facet: ()}), by), filters, "value")
        for value in getattr(filters, facet):
            counts.loc[value] = counts.get(value, 0)
        frame = counts.rename("count").rename_axis("value").reset_index()
        return frame.sort_values(["count", "value"], ascending=[False, True])

    def headline_numbers(self, filters: Filters) -> pd.DataFrame:
        def values(selection: Filters) -> dict[str, int]:
            frame = self.selected(selection)
            tags = self.tags["country"]
            return {
                "stories": frame["dup_group"].nunique(),
                "placements": len(frame),
                "sources": frame["source"].nunique(),
                "countries": tags.loc[
                    tags["article_id"].isin(frame["article_id"]), "value"
                ].nunique(),
            }

        current = values(filters)
        previous_filters = filters.previous_period()
        previous = values(previous_filters) if previous_filters else {}
        scope = values(filters.scope())
        return pd.DataFrame(
            [
                {
                    "metric": name,
                    "value": current[name],
                    "previous": previous.get(name),
                    "total": scope[name] if name in ("stories", "placements") else None,
                }
                for name in coverage.HEADLINES
            ]
        )

    def coverage_over_time(self, filters: Filters, by: str | None = None, top: int = 8):
        selection = self.dated(filters, by)
        scope = self.dated(filters.scope())
        totals = self.count(scope, filters, "bucket").rename("total")
        buckets = pd.DataFrame({"bucket": self.buckets(filters, selection)})
        if by is None:
            counts = self.count(selection, filters, "bucket").rename("count")
            frame = buckets.merge(counts, on="bucket", how="left")
        else:
            volumes = self.count(selection, filters, "value").rename("volume").reset_index()
            volumes = volumes.sort_values(["volume", "value"], ascending=[False, True]).head(top)
            counts = self.count(selection, filters, ["bucket", "value"]).rename("count")
            frame = buckets.merge(volumes, how="cross").merge(
                counts.reset_index(), on=["bucket", "value"], how="left"
            )
            frame = frame.sort_values(["volume", "value", "bucket"], ascending=[False, True, True])
        frame = frame.merge(totals, on="bucket", how="left").fillna({"count": 0, "total": 0})
        return frame.astype({"count": int, "total": int})

    def top_values(self, filters: Filters, by: str, limit: int = 10) -> pd.DataFrame:
        counts = self.count(self.pairs(filters, by), filters, "value").rename("count")
        frame = counts.rename_axis("value").reset_index()
        frame = frame.sort_values(["count", "value"], ascending=[False, True]).head(limit)
        return frame.assign(total=self.count(self.selected(filters.scope()), filters))

    def countries_on_map(self, filters: Filters, limit: int = 300) -> pd.DataFrame:
        return self.top_values(filters, "country", limit)

    def co_mentioned(self, filters: Filters, country: str, limit: int = 15) -> pd.DataFrame:
        focus = self.selected(filters.replace(countries=(country,)))
        tags = self.tags["country"]
        pairs = focus.merge(tags[tags["value"] != country], on="article_id")
        frame = self.count(pairs, filters, "value").rename("count").reset_index()
        frame = frame.sort_values(["count", "value"], ascending=[False, True]).head(limit)
        return frame.assign(total=self.count(focus, filters))

    def crosstab(
        self, filters: Filters, rows: str, columns: str, row_limit: int = 12, column_limit: int = 12
    ) -> pd.DataFrame:
        pairs = self.pairs(filters, rows).rename(columns={"value": "row"})
        pairs = self.pairs(filters, columns, pairs).rename(columns={"value": "column"})

        def top(key: str, limit: int) -> pd.Index:
            counts = self.count(pairs, filters, key).rename("n").reset_index()
            return counts.sort_values(["n", key], ascending=[False, True]).head(limit)[key]

        pairs = pairs[
            pairs["row"].isin(top("row", row_limit))
            & pairs["column"].isin(top("column", column_limit))
        ]
        return self.count(pairs, filters, ["row", "column"]).rename("count").reset_index()

    def source_profiles(self, filters: Filters, limit: int = 50) -> pd.DataFrame:
        frame = self.selected(filters)
        frame = frame[frame["source"].notna()]

        def most_used(values: pd.Series) -> str:
            return ", ".join(
                values.value_counts().sort_index().sort_values(ascending=False, kind="stable").index
            )

        grouped = frame.groupby("source")
        profiles = pd.DataFrame(
            {
                "source_country": grouped["source_country"].first(),
                "placements": grouped.size(),
                "stories": grouped["dup_group"].nunique(),
                "languages": grouped["language"].agg(most_used),
                "first": grouped["published_at"].min(),
                "last": grouped["published_at"].max(),
                "wire": grouped["agency"].count(),
                "agencies": grouped["agency"].agg(most_used),
            }
        ).reset_index()
        profiles["wire_share"] = profiles["wire"] / profiles["placements"]
        profiles = profiles.sort_values(["placements", "source"], ascending=[False, True])
        return profiles.head(limit)

    def count_articles(self, filters: Filters) -> int:
        return len(self.selected(filters))

    def newest(self, frame: pd.DataFrame) -> pd.DataFrame:
        return frame.sort_values(
            ["published_at", "article_id"], ascending=[False, True], na_position="last"
        )

    def tag_lists(self, frame: pd.DataFrame) -> pd.DataFrame:
        """The articles with their countries and topics as `;`-joined codes."""
        for by, name in (("country", "countries"), ("topic", "topics")):
            tags = self.tags[by]
            tags = tags[tags["article_id"].isin(frame["article_id"])].sort_values("value")
            joined = tags.groupby("article_id")["value"].agg(";".join).rename(name)
            frame = frame.merge(joined, left_on="article_id", right_index=True, how="left")
        return frame

    def matching_articles(
        self,
        filters: Filters,
        sort: str = "newest",
        page: int = 1,
        page_size: int = articles.DEFAULT_PAGE_SIZE,
    ) -> pd.DataFrame:
        first = (page - 1) * page_size
        rows = self.newest(self.selected(filters)).iloc[first : first + page_size]
        copies = self.articles["dup_group"].value_counts().rename("copies")
        rows = rows.merge(copies, left_on="dup_group", right_index=True, how="left")
        return self.tag_lists(rows)

    def articles_csv(self, filters: Filters, include_body: bool = False) -> bytes:
        frame = self.tag_lists(self.newest(self.selected(filters)))
        columns = [column for column in articles.EXPORT_COLUMNS if column in frame]
        return frame[columns].to_csv(index=False).encode("utf-8-sig")

    def complete_weeks(self, filters: Filters, today: date) -> list:
        weekly = filters.with_range(None, trends.week_start(today) - timedelta(days=1))
        weekly = weekly.replace(granularity="week")
        return sorted(self.dated(weekly)["bucket"].unique(), reverse=True)

    def weekly_changes(self, filters: Filters, by: str, week: date) -> pd.DataFrame:
        first = week - timedelta(weeks=trends.SPARKLINE_WEEKS - 1)
        weekly = filters.with_range(first, week + timedelta(days=6)).replace(granularity="week")
        counts = self.count(self.dated(weekly, by), filters, ["value", "bucket"]).unstack(
            fill_value=0
        )
        weeks = pd.date_range(pd.Timestamp(first), pd.Timestamp(week), freq="7D")
        grid = counts.reindex(columns=weeks, fill_value=0)
        baseline = grid.iloc[:, -1 - trends.BASELINE_WEEKS : -1]
        frame = (
            pd.DataFrame(
                {
                    "this_week": grid.iloc[:, -1],
                    "previous_week": grid.iloc[:, -2],
                    "average_4w": baseline.sum(axis=1) / trends.BASELINE_WEEKS,
                    "sparkline": grid.values.tolist(),
                }
            )
            .rename_axis("value")
            .reset_index()
        )
        frame["is_spike"] = (
            (frame["this_week"] >= trends.DEFAULT_FLOOR)
            & (frame["this_week"] >= trends.DEFAULT_RATIO * frame["average_4w"])
            & (frame["this_week"] > frame["average_4w"])
        )
        return frame.sort_values(["this_week", "value"], ascending=[False, True])

    def spike_stories(self, filters: Filters, by: str, value: str, week: date, limit: int = 5):
        frame = self.selected(trends.week_filters(filters, by, value, week))
        grouped = frame.sort_values("published_at").groupby("dup_group")
        stories = (
            pd.DataFrame(
                {
                    "title": grouped["title"].first(),
                    "placements": grouped.size(),
                    "sources": grouped["source"].agg(lambda names: ", ".join(sorted(set(names)))),
                    "first": grouped["published_at"].min(),
                }
            )
            .rename_axis("story")
            .reset_index()
        )
        stories = stories.sort_values(["placements", "first"], ascending=[False, True])
        return stories.head(limit)

    def spike_terms(self, filters: Filters, by: str, value: str, week: date, limit: int = 10):
        first = week - timedelta(weeks=trends.BASELINE_WEEKS)
        span = filters.replace(**{FACET_OF[by]: (value,)})
        span = span.with_range(first, week + timedelta(days=6)).replace(granularity="week")
        frame = self.dated(span)[["article_id", "bucket"]]
        terms = (
            pd.concat(
                [
                    frame.merge(self.tags[tags][["article_id", "terms"]], on="article_id")
                    for tags in ("topic", "country")
                ]
            )
            .explode("terms")
            .dropna(subset=["terms"])
        )
        terms = terms.assign(term=terms["terms"].str.lower()).drop_duplicates(
            ["article_id", "bucket", "term"]
        )
        week_start = pd.Timestamp(week)
        grouped = terms.groupby("term")["bucket"]
        frame = (
            pd.DataFrame(
                {
                    "this_week": grouped.agg(lambda weeks: int((weeks == week_start).sum())),
                    "average_before": grouped.agg(lambda weeks: (weeks < week_start).sum())
                    / trends.BASELINE_WEEKS,
                }
            )
            .rename_axis("term")
            .reset_index()
        )
        frame = frame[frame["this_week"] > 0]
        frame["lift"] = frame["this_week"] - frame["average_before"]
        frame = frame.sort_values(["lift", "this_week", "term"], ascending=[False, False, True])
        return frame.head(limit)


# The database --------------------------------------------------------------------------------


def stored_articles(path: Path) -> int | None:
    try:
        return Database(path).value("SELECT count(*) FROM articles")
    except DatabaseUnavailable:
        return None


def bench_database(count: int) -> Path:
    """bench/out/queries-N/monitor.duckdb: the synthetic corpus of N articles through the real
    ingest; reused while it holds N articles."""
    folder = OUT / f"queries-{count}"
    path = folder / "monitor.duckdb"
    if path.exists() and stored_articles(path) == count:
        return path
    path.unlink(missing_ok=True)
    corpus = folder / "corpus"
    steps = [
        [sys.executable, "bench/corpus.py", "--articles", str(count), "--out", str(corpus)],
        [sys.executable, "-m", "etl", "ingest", str(corpus), "--db", str(path)],
    ]
    for command in steps:
        print("$", " ".join(command[1:]), flush=True)
        # The ingest exits 1 when some input failed and the rest loaded: the count says more.
        if subprocess.run(command, cwd=ROOT).returncode not in (0, 1):
            raise SystemExit(f"building the database failed: {' '.join(command[1:])}")
    shutil.rmtree(corpus)  # the database is what is reused; the corpus is rewritten at will
    stored = stored_articles(path)
    if stored != count:
        print(f"note: the ingest stored {stored:,} of {count:,} articles", flush=True)
    return path


# The report ----------------------------------------------------------------------------------


def percentile(samples: list[float], q: float) -> float:
    return float(np.percentile(samples, q))


def query_times(page_runs: list[PageRun], name: str) -> list[float]:
    return [run.times[name] for run in page_runs if name in run.times]


def p50(samples: list[float]) -> float:
    """The median; NaN without samples (the naive way did not finish)."""
    return percentile(samples, 50) if samples else float("nan")


def totals(runs: list[PageRun]) -> list[float]:
    return [run.total for run in runs]


def naive_warm(naive: Measured | None, index: int) -> list[PageRun]:
    return naive.warm[index] if naive else []


def compare_answers(states: list[State], ours: Measured, naive: Measured) -> list[str]:
    """Every answer the naive way gave that differs from ours, described."""
    problems = []
    for state, our_runs, naive_runs in zip(states, ours.cold, naive.cold, strict=True):
        mine, theirs = our_runs[0].answers, naive_runs[0].answers
        for name in sorted(set(mine) | set(theirs)):
            if mine.get(name) != theirs.get(name):
                problems.append(
                    f"{state.name} / {name}:\n    ours  {str(mine.get(name))[:300]}\n"
                    f"    naive {str(theirs.get(name))[:300]}"
                )
    return problems


def cold_and_warm(cold: list[float], warm: list[float]) -> str:
    """The cold p50, cold p95, warm p50 and warm p95 columns of a table row."""
    columns = (p50(cold), percentile(cold, 95), p50(warm), percentile(warm, 95))
    return " ".join(f"{value:>9.1f}" for value in columns)


def print_page_sets(states: list[State], ours: Measured, naive: Measured | None) -> None:
    print("\nPage query sets, ms (sidebar included; cold = first run on a fresh Database)")
    print(
        f"{'state':44} {'page':14} {'queries':>7} {'cold p50':>9} {'cold p95':>9} "
        f"{'warm p50':>9} {'warm p95':>9} {'naive':>9} {'naive/ours':>10}"
    )
    for index, state in enumerate(states):
        cold, warm = totals(ours.cold[index]), totals(ours.warm[index])
        naive_p50 = p50(totals(naive_warm(naive, index)))
        print(
            f"{state.name[:44]:44} {PAGE_TITLES[state.page]:14} "
            f"{len(ours.warm[index][0].times):>7} {cold_and_warm(cold, warm)} {naive_p50:>9.1f} "
            f"{naive_p50 / p50(warm):>10.1f}"
        )


def print_queries(states: list[State], ours: Measured, naive: Measured | None) -> None:
    print("\nEvery query, ms")
    print(
        f"{'state / query':52} {'cold p50':>9} {'cold p95':>9} {'warm p50':>9} "
        f"{'warm p95':>9} {'naive':>9}"
    )
    for index, state in enumerate(states):
        cold, warm = ours.cold[index], ours.warm[index]
        print(f"{state.name} ({PAGE_TITLES[state.page]})")
        for name in warm[0].times:
            cold_times, warm_times = query_times(cold, name), query_times(warm, name)
            print(
                f"  {name[:50]:50} {cold_and_warm(cold_times, warm_times)} "
                f"{p50(query_times(naive_warm(naive, index), name)):>9.1f}"
            )


def report(states: list[State], ours: Measured, naive: Measured | None) -> list[str]:
    """Print the tables, the naive load, memory and the answers' check; the mismatches."""
    print_page_sets(states, ours, naive)
    print_queries(states, ours, naive)
    page_states = [index for index, state in enumerate(states) if state.with_sidebar]
    ours_cold = sum(ours.cold[index][0].total for index in page_states)
    print(
        f"\nours: every state once, cold {ours_cold / 1000:.1f} s; peak RSS {ours.peak_mb:,.0f} MB"
    )
    if naive is None:
        print("!!! NO NAIVE RUN (skipped or failed): no ratios, no check of the answers !!!")
        return []
    naive_cold = naive.load_ms + sum(naive.cold[index][0].total for index in page_states)
    print(
        f"naive: load (SELECT * of articles and tags into pandas, once) "
        f"{naive.load_ms / 1000:.1f} s; every state once with the load "
        f"{naive_cold / 1000:.1f} s; peak RSS {naive.peak_mb:,.0f} MB"
    )
    problems = compare_answers(states, ours, naive)
    answers = sum(len(runs[0].answers) for runs in ours.cold)
    if problems:
        print(f"\n!!! {len(problems)} OF {answers} NAIVE ANSWERS DIFFER FROM OURS !!!")
        print("\n".join(problems))
    else:
        print(f"answers: all {answers} naive answers equal ours")
    return problems


def print_pages(pages: dict) -> None:
    print("\nPage renders in AppTest, all data, one session, ms (whole script: sidebar and page)")
    print(f"{'page':14} {'first visit':>11} {'new selection':>14} {'cached':>9}")
    for page, (first, uncached, cached) in pages["pages"].items():
        print(f"{page:14} {first:>11.0f} {uncached:>14.0f} {cached:>9.0f}")
    print(f"dashboard process peak RSS after every page: {pages['peak_mb']:,.0f} MB")


def summarize(count: int, states: list[State], ours: Measured, naive: Measured | None) -> None:
    """The slowest page set and the summary line (always the last line)."""
    page_states = [index for index, state in enumerate(states) if state.with_sidebar]
    warm_sets = [total for index in page_states for total in totals(ours.warm[index])]
    slowest = max(page_states, key=lambda index: p50(totals(ours.warm[index])))
    print(
        f"slowest page set, warm p50: {states[slowest].name} "
        f"{p50(totals(ours.warm[slowest])):.0f} ms (target {TARGET_MS} ms at 1M articles)"
    )
    ours_tour = sum(p50(totals(ours.warm[index])) for index in page_states)
    naive_tour = sum(p50(totals(naive_warm(naive, index))) for index in page_states)
    memory_ratio = naive.peak_mb / ours.peak_mb if naive else float("nan")
    print(
        f"summary: articles={count} p50_ms={percentile(warm_sets, 50):.1f} "
        f"p95_ms={percentile(warm_sets, 95):.1f} naive_over_ours={naive_tour / ours_tour:.1f} "
        f"memory_ratio={memory_ratio:.1f}"
    )


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--articles", type=int, default=100_000, help="build a database of N")
    parser.add_argument("--db", type=Path, default=None, help="an existing database instead")
    parser.add_argument("--runs", type=int, default=7, help="warm runs per state")
    parser.add_argument(
        "--naive-runs",
        type=int,
        default=3,
        help="warm runs per state the naive way (slow); 0 skips it and the answer check",
    )
    parser.add_argument("--pages", action="store_true", help="also time each page in AppTest")
    parser.add_argument("--measure", type=Path, help=argparse.SUPPRESS)  # in_own_process's child
    args = parser.parse_args(argv)
    if args.measure:
        run_job(args.measure)
        return 0
    path = args.db or bench_database(args.articles)
    count = stored_articles(path)
    if count is None:
        raise SystemExit(f"{path} is not a Media Monitor database")
    today, states = filter_states(Database(path))
    print(f"database {path}: {count:,} articles, last day {today}")
    print(f"load average {os.getloadavg()[0]:.1f} on {os.cpu_count()} cores", flush=True)

    ours = in_own_process("ours", path, states, today, args.runs)
    if ours is None:
        return 1
    naive = (
        in_own_process("naive", path, states, today, args.naive_runs) if args.naive_runs else None
    )
    problems = report(states, ours, naive)
    if args.pages and (pages := in_own_process("pages", path, [], today, PAGE_RUNS)):
        print_pages(pages)
    summarize(count, states, ours, naive)
    return 1 if problems or (naive is None and args.naive_runs) else 0


if __name__ == "__main__":
    sys.exit(main())
