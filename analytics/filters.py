"""The selection behind every view: one immutable `Filters` value with four faces.

- `where()`: one SQL condition on `article_facts` (the articles' filterable columns and
  integer keys, see etl/summaries.py) with every value a bound `$name` parameter;
- `describe()`: the same selection in words, for captions;
- `file_stem()`: a short safe name for CSV downloads;
- `to_query_params()` / `from_query_params()`: the URL, so a link reproduces the view.

Within a facet the chosen values are alternatives (any topic of those chosen); across facets
all must hold. The text query is a full-text search (see `analytics.search`). Dates are days
in the desk's time zone; `published_at` is stored in UTC, so the day bounds are converted to
UTC instants here and compared directly (index friendly).
"""

from __future__ import annotations

import dataclasses
import re
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from analytics.database import Materialized, materialized
from analytics.search import SearchSyntaxError, compile_search

PERIODS = {
    "7d": "Last 7 days",
    "30d": "Last 30 days",
    "90d": "Last 90 days",
    "year": "This year",
    "all": "All time",
    "custom": "Custom range",
}
_PERIOD_DAYS = {"7d": 7, "30d": 30, "90d": 90}
GRANULARITIES = {"day": "Day", "week": "Week (ISO)", "month": "Month"}
MEASURES = {"stories": "Stories", "placements": "Placements"}
MODES = {"count": "Counts", "share": "Share of coverage"}


@dataclass(frozen=True)
class Facet:
    url_key: str  # its name in the URL
    label: str  # its name for people
    column: str | None  # the article_facts column, or None for a tag table
    tag_table: str | None = None  # keyed tags (etl/summaries.py): article_key, published_at
    tag_column: str | None = None


FACETS: dict[str, Facet] = {
    "topics": Facet("topic", "Topics", None, "topic_facts", "topic"),
    "countries": Facet("country", "Countries mentioned", None, "country_facts", "country"),
    "source_countries": Facet("src_country", "Publisher countries", "source_country"),
    "sources": Facet("source", "Sources", "source"),
    "agencies": Facet("agency", "Agencies", "agency"),
    "languages": Facet("lang", "Languages", "language"),
}
SCOPE_FACETS = ("source_countries", "sources", "agencies", "languages")
MAX_TEXT_TERMS = 10
_TERM = re.compile(r'"([^"]*)"|([^\s"]+)')
_STEM_UNSAFE = re.compile(r"[^\w-]+")
_ALIAS = re.compile(r"[a-z]\w{0,15}")
# The article_facts columns a stored selection keeps (in article_key order, i.e. by date).
SELECTION_COLUMNS = (
    "a.article_key, a.story_key, a.published_at, a.source, a.source_country, a.agency, "
    "a.language"
)


@dataclass(frozen=True)
class Clause:
    """The selection in SQL, with the values of its `$name` parameters, two ways:

    - `sql`: one condition on `article_facts`;
    - `FROM {table} a ... WHERE {rest}`: the rows of `table` (article_facts, or the stored
      articles that match the selection's topics, countries and text, see `Filters.where`)
      that meet `rest` (its period, sources, agencies and languages). Faster: a query reads
      the few stored rows instead of probing every article. `table` holds SELECTION_COLUMNS.
    """

    sql: str
    params: dict[str, object]
    table: str = "article_facts"
    rest: str = ""

    def __post_init__(self) -> None:
        if not self.rest:
            object.__setattr__(self, "rest", self.sql)


def today_in(timezone: str) -> date:
    return datetime.now(ZoneInfo(timezone)).date()


def period_bounds(period: str, today: date) -> tuple[date | None, date | None]:
    """The first and last day (inclusive) of a preset period ending today."""
    if period in _PERIOD_DAYS:
        return today - timedelta(days=_PERIOD_DAYS[period] - 1), today
    if period == "year":
        return date(today.year, 1, 1), today
    return None, None


def text_terms(text: str) -> list[str]:
    """The words and "quoted phrases" of a text query, lower-cased; all must occur."""
    terms = [(phrase or word).strip().lower() for phrase, word in _TERM.findall(text)]
    return [term for term in terms if term][:MAX_TEXT_TERMS]


def _values(raw: object) -> tuple[str, ...]:
    if raw is None:
        return ()
    items = [raw] if isinstance(raw, str) else list(raw)  # type: ignore[arg-type]
    return tuple(sorted({str(item).strip() for item in items if str(item).strip()}))


@dataclass(frozen=True)
class Filters:
    period: str = "all"
    start: date | None = None  # first day, inclusive, in the desk time zone
    end: date | None = None  # last day, inclusive
    granularity: str = "week"
    timezone: str = "UTC"
    topics: tuple[str, ...] = ()
    countries: tuple[str, ...] = ()
    source_countries: tuple[str, ...] = ()
    sources: tuple[str, ...] = ()
    agencies: tuple[str, ...] = ()
    languages: tuple[str, ...] = ()
    text: str = ""
    measure: str = "stories"
    mode: str = "count"
    all_countries: bool = False  # articles naming every chosen country, not any of them

    def __post_init__(self) -> None:
        _check_choice("period", self.period, PERIODS)
        _check_choice("granularity", self.granularity, GRANULARITIES)
        _check_choice("measure", self.measure, MEASURES)
        _check_choice("mode", self.mode, MODES)
        try:
            ZoneInfo(self.timezone)
        except (ZoneInfoNotFoundError, ValueError):
            raise ValueError(f"unknown time zone {self.timezone!r}") from None
        if self.start and self.end and self.start > self.end:
            raise ValueError(f"the range starts ({self.start}) after it ends ({self.end})")
        for name in FACETS:
            object.__setattr__(self, name, _values(getattr(self, name)))
        object.__setattr__(self, "text", " ".join(self.text.split()))

    @classmethod
    def for_period(cls, period: str, today: date, **values) -> Filters:
        """Filters for a preset period ending `today` (custom periods pass start and end)."""
        if period != "custom":
            values["start"], values["end"] = period_bounds(period, today)
        return cls(period=period, **values)

    def replace(self, **changes) -> Filters:
        return dataclasses.replace(self, **changes)

    def with_range(self, start: date | None, end: date | None) -> Filters:
        """The same selection over another range of days (a custom period)."""
        if start is None and end is None:
            return self.replace(period="all", start=None, end=None)
        return self.replace(period="custom", start=start, end=end)

    def scope(self) -> Filters:
        """The denominator of a share: same period, sources and languages; any content."""
        return self.replace(topics=(), countries=(), text="")

    def content(self) -> Filters:
        """What the selection asks beyond its scope: its topics, countries and text, any period
        and source (the selection is its scope and its content)."""
        return Filters(
            topics=self.topics,
            countries=self.countries,
            text=self.text,
            all_countries=self.all_countries,
        )

    def previous_period(self) -> Filters | None:
        """The equal-length period just before this one, for change figures."""
        if self.start is None or self.end is None:
            return None
        length = (self.end - self.start).days + 1
        return self.with_range(
            self.start - timedelta(days=length), self.end - timedelta(days=length)
        )

    def utc_bounds(self) -> tuple[datetime | None, datetime | None]:
        """The UTC instants where the first day starts and the day after the last begins."""
        zone = ZoneInfo(self.timezone)

        def utc(day: date) -> datetime:
            local = datetime.combine(day, time.min, tzinfo=zone)
            return local.astimezone(ZoneInfo("UTC")).replace(tzinfo=None)

        start = utc(self.start) if self.start else None
        until = utc(self.end + timedelta(days=1)) if self.end else None
        return start, until

    def where(self, alias: str = "a", prefix: str = "f") -> Clause:
        """The selection on `article_facts AS alias`, parameters named `prefix_*`; its `sql`
        is "TRUE" when it selects every article.

        What the selection asks of an article's content (topics, countries, text) is stored
        once per snapshot as the matching rows (`selection_<hash>`), in any period and from
        any source: every query of a view reads them, and so do later views that change
        only the period, sources, agencies or languages."""
        if not _ALIAS.fullmatch(alias) or not _ALIAS.fullmatch(prefix):
            raise ValueError(f"not a table alias and parameter prefix: {alias!r}, {prefix!r}")
        conditions: list[str] = []
        params: dict[str, object] = {}
        start, until = self.utc_bounds()
        if start is not None:
            conditions.append(f"{alias}.published_at >= ${prefix}_start")
            params[f"{prefix}_start"] = start
        if until is not None:
            conditions.append(f"{alias}.published_at < ${prefix}_until")
            params[f"{prefix}_until"] = until
        for name, facet in FACETS.items():
            if facet.column and (values := getattr(self, name)):
                conditions.append(f"list_contains(${prefix}_{name}, {alias}.{facet.column})")
                params[f"{prefix}_{name}"] = list(values)
        selection = self._stored_content()
        if selection is None:
            return Clause(" AND ".join(conditions) or "TRUE", params)
        params[f"{prefix}_selection"] = selection
        matches = f"{alias}.article_key IN (SELECT article_key FROM {selection.table})"
        return Clause(
            " AND ".join([*conditions, matches]),
            params,
            table=selection.table,
            rest=" AND ".join(conditions) or "TRUE",
        )

    def _stored_content(self) -> Materialized | None:
        """The article_facts rows whose topics, countries and text match (None: no such
        condition). Topics and countries are uncorrelated semi-joins on the tag tables."""
        conditions: list[str] = []
        params: dict[str, object] = {}
        for name in ("topics", "countries"):
            values = getattr(self, name)
            if not values:
                continue
            facet = FACETS[name]
            params[name] = list(values)
            tagged = (
                f"SELECT t.article_key FROM {facet.tag_table} t "
                f"WHERE list_contains(${name}, t.{facet.tag_column})"
            )
            if name == "countries" and self.all_countries:
                tagged += (
                    " GROUP BY t.article_key HAVING count(DISTINCT t.country) = len($countries)"
                )
            conditions.append(f"a.article_key IN ({tagged})")
        if self.text:
            condition, text_params = self._text_condition("a", "c")
            conditions.append(condition)
            params.update(text_params)
        if not conditions:
            return None
        return materialized(
            "selection",
            f"SELECT {SELECTION_COLUMNS} FROM article_facts a "
            f"WHERE {' AND '.join(conditions)} ORDER BY a.article_key",
            params,
        )

    def text_problem(self) -> str | None:
        """Why the text query is not understood as a search (it then matches words as typed)."""
        if not self.text:
            return None
        try:
            compile_search(self.text)
        except SearchSyntaxError as error:
            return str(error)
        return None

    def _text_condition(self, alias: str, prefix: str) -> tuple[str, dict[str, object]]:
        """The full-text search over the index (lemmas, phrases, AND/OR/NOT), its matches
        stored once per snapshot for every query to read; a query that does not parse
        matches each of its words and phrases as written, case-insensitively."""
        if self.text_problem() is None:
            return compile_search(self.text).key_clause(alias, prefix=f"{prefix}_q")
        conditions, params = [], {}
        text = f"{prefix}_x"
        for number, term in enumerate(text_terms(self.text)):
            param = f"{prefix}_text{number}"
            params[param] = term
            conditions.append(
                f"contains(lower(concat_ws(' ', {text}.title, {text}.body)), ${param})"
            )
        if not conditions:
            return "TRUE", params
        return (
            f"{alias}.article_id IN (SELECT {text}.article_id FROM articles {text} "
            f"WHERE {' AND '.join(conditions)})",
            params,
        )

    def describe(self, label: Callable[[str, str], str] | None = None) -> str:
        """The selection in words; `label(facet, value)` names the values (ids by default)."""
        name = label or (lambda facet, value: value)
        if self.start or self.end:
            span = f"{self.start or '…'} – {self.end or '…'}"
            when = span if self.period == "custom" else f"{PERIODS[self.period]} ({span})"
        else:
            when = PERIODS["all"]
        parts = [when]
        for facet_name, facet in FACETS.items():
            values = getattr(self, facet_name)
            if values:
                joiner = " and " if facet_name == "countries" and self.all_countries else ", "
                shown = joiner.join(name(facet_name, value) for value in values)
                parts.append(f"{facet.label.lower()}: {shown}")
        if self.text:
            parts.append(f"text: “{self.text}”")
        parts.append(f"counting {self.measure}")
        if self.timezone != "UTC":
            parts.append(f"days in {self.timezone}")
        return "; ".join(parts)

    def file_stem(self, what: str = "articles") -> str:
        """A short file name (no extension) naming what was exported and for which selection."""
        parts = [what]
        if self.start or self.end:
            parts.append(f"{self.start or 'start'}_{self.end or 'end'}")
        for facet_name in FACETS:
            values = getattr(self, facet_name)
            if values:
                parts.append(FACETS[facet_name].url_key + "-" + "-".join(values[:3]))
        if self.text:
            parts.append("q-" + "-".join(text_terms(self.text)[:3]))
        stem = re.sub(r"-{2,}", "-", _STEM_UNSAFE.sub("-", "_".join(parts))).strip("-_")
        return stem[:120].rstrip("-_") or what

    def to_query_params(self) -> dict[str, str | list[str]]:
        """The URL query parameters of this selection (defaults left out)."""
        params: dict[str, str | list[str]] = {}
        if self.period != "all":
            params["period"] = self.period
        if self.period == "custom":
            if self.start:
                params["from"] = self.start.isoformat()
            if self.end:
                params["to"] = self.end.isoformat()
        if self.granularity != "week":
            params["by"] = self.granularity
        if self.timezone != "UTC":
            params["tz"] = self.timezone
        for name, facet in FACETS.items():
            values = getattr(self, name)
            if values:
                params[facet.url_key] = list(values)
        if self.all_countries and len(self.countries) > 1:
            params["countries"] = "all"
        if self.text:
            params["q"] = self.text
        if self.measure != "stories":
            params["count"] = self.measure
        if self.mode != "count":
            params["mode"] = self.mode
        return params

    @classmethod
    def from_query_params(
        cls, params: Mapping[str, str | Sequence[str]], today: date | None = None
    ) -> Filters:
        """Filters from URL query parameters; values that make no sense fall back to defaults."""

        def first(key: str) -> str | None:
            raw = params.get(key)
            if raw is None:
                return None
            return raw if isinstance(raw, str) else (list(raw)[-1] if raw else None)

        def choice(key: str, options: Mapping[str, str], default: str) -> str:
            value = first(key)
            return value if value in options else default

        timezone = first("tz") or "UTC"
        try:
            ZoneInfo(timezone)
        except (ZoneInfoNotFoundError, ValueError):
            timezone = "UTC"
        values: dict = {
            "granularity": choice("by", GRANULARITIES, "week"),
            "timezone": timezone,
            "measure": choice("count", MEASURES, "stories"),
            "mode": choice("mode", MODES, "count"),
            "text": first("q") or "",
            "all_countries": first("countries") == "all",
        }
        for name, facet in FACETS.items():
            values[name] = _values(params.get(facet.url_key))
        period = choice("period", PERIODS, "all")
        if period == "custom":
            start, end = _parse_day(first("from")), _parse_day(first("to"))
            if start and end and start > end:
                start, end = end, start
            if start is None and end is None:
                period = "all"
            return cls(period=period, start=start, end=end, **values)
        return cls.for_period(period, today or today_in(timezone), **values)


def _check_choice(name: str, value: str, options: Mapping[str, str]) -> None:
    if value not in options:
        raise ValueError(f"{name} must be one of {', '.join(options)}, not {value!r}")


def _parse_day(text: str | None) -> date | None:
    try:
        return date.fromisoformat(text) if text else None
    except ValueError:
        return None
