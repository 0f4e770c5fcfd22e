"""The synthetic demo corpus: raw news inputs written to disk, then ingested like any other.

`write_corpus` writes plain-text pages (one article per file, in the layouts of
`reference/demo/layouts.yaml`) and JSON Lines record files (three record schemas) for the
outlets of `reference/demo/sites.yaml`: about nineteen months of news ending on the end
date, with a weekly rhythm, news events that make the volume spike, and wire stories run by
several outlets. Every word comes from the data files in `etl/reference/demo/`. The corpus
is raw input only; `build_demo` ingests it through the real pipeline, so the demo database
is tagged by the same code as any other. The same seed and end date give the same bytes.
"""

from __future__ import annotations

import json
import multiprocessing
import os
import random
import shutil
from bisect import bisect
from collections import deque
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field, replace
from datetime import UTC, date, datetime, timedelta
from email.utils import format_datetime
from functools import cache
from itertools import accumulate
from math import gcd
from pathlib import Path
from string import Formatter
from typing import NamedTuple
from zoneinfo import ZoneInfo

from babel import Locale
from babel.numbers import get_decimal_symbol

from etl.reference import load_yaml

# About 14 articles a day over 19 months: enough for every chart to show the weekly rhythm,
# the events and all languages, small enough that writing (~1 s) and ingesting it (about 20 s
# of CPU for reading and tagging plus the language models' load, per core) fit well within
# the dashboard's first minute on 2 cores.
DEFAULT_ARTICLES = 8_000
DEMO_FOLDER = "demo"  # the raw demo corpus is written beside its database
MARKER = ".demo-corpus"  # marks a folder this module wrote (and may therefore clear)
FIRST_ARTICLE_ID = 240_000
ARTICLES_PER_CHUNK = 50_000  # days are drawn in chunks of about this many articles
ARTICLE_IDS_PER_CHUNK = 1_000_000  # each chunk numbers its outlets' articles from its own range
RECENT_TEASERS = 6
NEWS_SENTENCE_SHARE = 0.7  # the rest of a story's sentences are generic remarks and quotes

COUNTRY_FORMS = ("country", "country_of", "country_in", "country_with", "country_to", "city")
STORY_SLOTS = frozenset(
    {
        *COUNTRY_FORMS,
        *(form.replace("country", "country2").replace("city", "city2") for form in COUNTRY_FORMS),
        "person",
        "name",
        "surname",
        "said",
        "noted",
        "added",
        "warned",
        "expert",
        "e_said",
        "org",
        "org2",
        "weekday",
        "year",
        "next_year",
        "agency_cited",
    }
)
NUMBER_SLOTS = frozenset({"n", "n2", "big", "pct", "amount", "time"})
# Nouns after these numbers take the genitive plural in the Slavic languages (5-9, 0).
_PLURAL_GENITIVE_DIGITS = (0, 5, 6, 7, 8, 9)
SMALL_NUMBERS = tuple(n for n in range(5, 36) if n % 10 in _PLURAL_GENITIVE_DIGITS)
MEDIUM_NUMBERS = tuple(n for n in range(20, 96) if n % 10 in _PLURAL_GENITIVE_DIGITS)


class FastRandom(random.Random):
    """`random.Random` whose `choice` and `randint` take a single `random()` draw: several
    times faster than the exact methods, still a pure function of the seed, and unbiased
    enough for synthetic text."""

    def choice(self, seq):
        return seq[int(self.random() * len(seq))]

    def randint(self, a: int, b: int) -> int:
        return a + int(self.random() * (b - a + 1))

    def shuffled(self, items: list) -> list:
        """The items in a random cyclic order (a random start and a step coprime with the
        length): a cheap permutation, enough to vary the order of a story's sentences."""
        count = len(items)
        start, step = self.randint(0, count - 1), self.choice(_coprime_steps(count))
        return [items[(start + k * step) % count] for k in range(count)]


@cache
def _coprime_steps(count: int) -> tuple[int, ...]:
    return tuple(step for step in range(1, max(count, 2)) if gcd(step, count) == 1)


class DemoDataError(ValueError):
    """A data file in `etl/reference/demo/` is inconsistent (a typo in a slot name...)."""


class OutputFolderError(Exception):
    """The output folder holds files this module did not write."""


def _data(name: str):
    return load_yaml(f"demo/{name}")


def _capitalized(text: str) -> str:
    return text[:1].upper() + text[1:]


class Weighted:
    """Items drawn at random in proportion to their weights."""

    def __init__(self, items: Sequence, weights: Sequence[float]) -> None:
        if not items or len(items) != len(weights) or min(weights) <= 0:
            raise DemoDataError(f"weights must be positive, one per item: {items!r} {weights!r}")
        self.items = list(items)
        self.cumulative = list(accumulate(weights))

    @classmethod
    def of(cls, weights: dict) -> Weighted:
        return cls(list(weights), list(weights.values()))

    def pick(self, rng: random.Random):
        return self.items[bisect(self.cumulative, rng.random() * self.cumulative[-1])]

    def table(self, resolution: int = 1000) -> tuple:
        """The items spread over `resolution` cells by weight: `table[int(random() * size)]`
        draws one without a function call, for the innermost loops."""
        total = self.cumulative[-1]
        return tuple(
            self.items[bisect(self.cumulative, (cell + 0.5) / resolution * total)]
            for cell in range(resolution)
        )


class Template(NamedTuple):
    """A text with slots, and which of its slots are numbers (drawn afresh at each use)."""

    text: str
    numbers: tuple[str, ...]

    def render(self, slots: dict[str, str], numbers: dict[str, Callable[[], str]]) -> str:
        for name in self.numbers:
            slots[name] = numbers[name]()
        return self.text.format_map(slots)


def _slot_names(text: str) -> list[str]:
    return [name for _, name, _, _ in Formatter().parse(text) if name is not None]


def _templates(texts: list[str], where: str) -> list[Template]:
    """The texts as templates; a slot name that is not one of ours is a data error."""
    templates = []
    for text in texts:
        names = _slot_names(text)
        for name in names:
            if name[:1].lower() + name[1:] not in STORY_SLOTS | NUMBER_SLOTS:
                raise DemoDataError(f"{where}: unknown slot {{{name}}} in {text!r}")
        numbers = tuple(name for name in names if name.lower() in NUMBER_SLOTS)
        templates.append(Template(text, numbers))
    return templates


def _gendered(text: str) -> tuple[str, str]:
    """`"masculine|feminine"` (or one form for both) → (masculine, feminine)."""
    masculine, _, feminine = text.partition("|")
    return masculine, feminine or masculine


@dataclass
class Topic:
    roles: list[tuple[str, str]]
    orgs: list[str]
    titles: list[Template]
    leads: list[Template]
    body: list[Template]


@dataclass
class EventTexts:
    titles: list[Template]
    body: list[Template]


class Language:
    """The words of one language (`reference/demo/languages/<code>.yaml`) plus CLDR month
    and weekday names for date lines."""

    def __init__(self, code: str, rng: FastRandom) -> None:
        data = _data(f"languages/{code}.yaml")
        where = f"demo/languages/{code}.yaml"
        self.code = code
        self.country_slots: dict[str, dict[str, str]] = {}
        self.second_country_slots: dict[str, dict[str, str]] = {}
        for iso, forms in data["countries"].items():
            if len(forms) != len(COUNTRY_FORMS):
                raise DemoDataError(f"{where}: {iso} needs {len(COUNTRY_FORMS)} forms")
            self.country_slots[iso] = dict(zip(COUNTRY_FORMS, forms, strict=True))
            self.second_country_slots[iso] = {
                name.replace("country", "country2").replace("city", "city2"): form
                for name, form in zip(COUNTRY_FORMS, forms, strict=True)
            }
        self.people = (data["people"]["m"], data["people"]["f"])
        self.person_verbs = tuple(
            {verb: forms[gender] for verb, forms in data["verbs"].items()} for gender in (0, 1)
        )
        self.expert_said = tuple(data["verbs"]["said"])
        self.experts = [_gendered(role) for role in data["experts"]]
        self.weekdays = data["weekdays"]
        self.money = data["money"]
        self.source_label = data["source_label"]
        self.sections = data["sections"]
        self.agencies: dict[str, str] = data["agencies"]
        self.agency_spellings = list(self.agencies.values())
        self.wires = Weighted.of(data["wires"])
        self.title_prefixes = data["title_prefixes"]
        self.boilerplate = data["boilerplate"]
        self.generic = _templates(data["generic"], where)
        self.topics = {
            name: Topic(
                roles=[_gendered(role) for role in topic["roles"]],
                orgs=topic["orgs"],
                titles=_templates(topic["titles"], where),
                leads=_templates(topic["leads"], where),
                body=_templates(topic["body"], where),
            )
            for name, topic in data["topics"].items()
        }
        self.events = {
            kind: EventTexts(
                titles=_templates(texts["titles"], where),
                body=_templates(texts["body"], where),
            )
            for kind, texts in data["events"].items()
        }
        locale = Locale.parse(code)
        self.months = [locale.months["format"]["wide"][m] for m in range(1, 13)]
        self.months_short = [
            locale.months["format"]["abbreviated"][m].rstrip(".") for m in range(1, 13)
        ]
        self.weekdays_short = [
            locale.days["format"]["abbreviated"][d].rstrip(".") for d in range(7)
        ]
        decimal = get_decimal_symbol(locale)
        fractions = [f"{whole}{decimal}{tenth}" for whole in range(1, 15) for tenth in range(1, 10)]
        self.numbers = {
            "n": _drawer(rng, [str(n) for n in SMALL_NUMBERS]),
            "n2": _drawer(rng, [str(n) for n in MEDIUM_NUMBERS]),
            "big": _drawer(rng, [str(n) for n in range(110, 1000, 10)]),
            "pct": _drawer(rng, fractions),
            "amount": _drawer(rng, [f"{f} {unit}" for f in fractions[:90] for unit in self.money]),
            "time": _drawer(
                rng, [f"{h}:{m}" for h in range(8, 22) for m in ("00", "15", "30", "45")]
            ),
        }
        self.numbers |= {name.capitalize(): draw for name, draw in self.numbers.items()}
        used = {
            name
            for template in self._all_templates()
            for name in _slot_names(template.text)
            if name[0].isupper() and name.lower() not in NUMBER_SLOTS
        }
        self.capitalized = tuple((name, name[0].lower() + name[1:]) for name in sorted(used))

    def _all_templates(self) -> list[Template]:
        templates = list(self.generic)
        for topic in self.topics.values():
            templates += topic.titles + topic.leads + topic.body
        for texts in self.events.values():
            templates += texts.titles + texts.body
        return templates


def _drawer(rng: FastRandom, values: list[str]) -> Callable[[], str]:
    """A function drawing one of the values at random (a number slot's filler)."""
    draw, count = rng.random, len(values)
    return lambda: values[int(draw() * count)]


@dataclass(frozen=True)
class Layout:
    head: list[str]
    date: str | None
    date_below: str | None
    utc_clock: bool
    caption_share: float
    caption_forms: list[str]
    share_top: list[str]
    furniture: list[str]
    teaser_style: str
    teaser_heading: str | None
    teaser_count: tuple[int, int]


def _layouts() -> dict[str, Layout]:
    layouts = {}
    for name, spec in _data("layouts.yaml")["layouts"].items():
        caption = spec.get("caption", {})
        teasers = spec["teasers"]
        if bool(spec.get("date")) == bool(spec.get("date_below")) or (
            ("date" in spec["head"]) != bool(spec.get("date"))
        ):
            raise DemoDataError(
                f"demo/layouts.yaml: {name} needs one of date (in head) or date_below"
            )
        layouts[name] = Layout(
            head=spec["head"],
            date=spec.get("date"),
            date_below=spec.get("date_below"),
            utc_clock=spec["clock"] == "utc",
            caption_share=caption.get("share", 0.0),
            caption_forms=caption.get("forms", []),
            share_top=spec.get("share_top", []),
            furniture=spec["furniture"],
            teaser_style=teasers["style"],
            teaser_heading=teasers.get("heading"),
            teaser_count=tuple(teasers["count"]),
        )
    return layouts


@dataclass
class Outlet:
    name: str
    domain: str
    language: Language
    home: str
    zone: ZoneInfo
    format: str
    layout: Layout | None
    encoding: str
    credit: dict[str, str]
    url: str
    topics: Weighted
    weight: float
    next_number: int = FIRST_ARTICLE_ID
    recent: deque = field(default_factory=lambda: deque(maxlen=RECENT_TEASERS))

    def new_url(self) -> str:
        self.next_number += 1
        return self.url.format(domain=self.domain, id=self.next_number)


@dataclass(frozen=True)
class Event:
    kind: str
    topic: str
    country: str
    outlets: Weighted  # who covers it: outlets based in its country more often


@dataclass
class Story:
    language: Language
    topic: str
    section: str
    title: str
    lead: str | None
    paragraphs: list[str]
    agency: str | None  # canonical name of the wire agency that filed it
    country: str
    second_country: str
    person: str
    published: datetime  # UTC, aware
    wire: bool  # filed by an agency for other outlets to run too


def daily_counts(total: int, weights: Sequence[float], rng: random.Random) -> list[int]:
    """`total` split over the days in proportion to their weights: each day gets the whole
    part of its share, plus one with a chance equal to the fraction (systematic sampling),
    so even a corpus with less than one article a day keeps its weekly rhythm."""
    scale = total / sum(weights)
    exact = [weight * scale for weight in weights]
    counts = [int(value) for value in exact]
    missing = total - sum(counts)
    if missing:
        fractions = [value - count for value, count in zip(exact, counts, strict=True)]
        step = sum(fractions) / missing
        pointers = iter([(rng.random() + k) * step for k in range(missing)])
        pointer, reached = next(pointers), 0.0
        for day, fraction in enumerate(fractions):
            reached += fraction
            while pointer is not None and pointer < reached:
                counts[day] += 1
                pointer = next(pointers, None)
    return counts


class CorpusWriter:
    """Writes pages (one file each, per outlet and month) and record files (rolling over
    after `records_per_file` records), keeping at most one open file per outlet."""

    def __init__(self, out_dir: Path, records_per_file: int, chunk: int = 0) -> None:
        self.out_dir = out_dir
        self.records_per_file = records_per_file
        self.chunk = chunk
        self.paths: list[Path] = []
        self._made_dirs: set[Path] = set()
        self._open: dict[str, tuple] = {}  # domain -> (handle, records in it, part number)

    def _folder(self, folder: Path) -> Path:
        if folder not in self._made_dirs:
            folder.mkdir(parents=True, exist_ok=True)
            self._made_dirs.add(folder)
        return folder

    def page(self, outlet: Outlet, month: str, number: str, text: str) -> None:
        path = self._folder(self.out_dir / "pages" / outlet.domain / month) / f"{number}.txt"
        path.write_bytes(text.encode(outlet.encoding))
        self.paths.append(path)

    def record(self, outlet: Outlet, record: dict) -> None:
        handle, count, part = self._open.get(outlet.domain, (None, 0, 0))
        if handle is None or count >= self.records_per_file:
            if handle is not None:
                handle.close()
            part += 1
            folder = self._folder(self.out_dir / "records" / outlet.domain)
            path = folder / f"part-{self.chunk + 1:03d}-{part:03d}.jsonl"
            # kept open across calls (one per outlet), closed by close()
            handle, count = open(path, "w", encoding="utf-8", newline="\n"), 0  # noqa: SIM115
            self.paths.append(path)
        handle.write(json.dumps(record, ensure_ascii=False) + "\n")
        self._open[outlet.domain] = (handle, count + 1, part)

    def close(self) -> None:
        for handle, _, _ in self._open.values():
            handle.close()
        self._open.clear()


class CorpusGenerator:
    """Draws the stories of the corpus day by day and writes every copy of each story.

    The corpus is planned as a whole (`daily_counts`) and drawn in chunks of consecutive
    days, each from its own random stream and with its own range of article numbers, so that
    chunks can be written in parallel and still give the same bytes."""

    def __init__(self, seed: int, end: date, page_share: float = 1.0, chunk: int = 0) -> None:
        self.seed = seed
        self.rng = FastRandom(f"{seed}/{chunk}")
        self.page_share = page_share
        self.config = _data("corpus.yaml")
        config = self.config
        self.days = [
            end - timedelta(days=offset) for offset in range(config["span_days"] - 1, -1, -1)
        ]
        self.hours = Weighted(range(24), config["hour_weights"])
        self.countries = Weighted.of(config["country_weights"])
        self.lengths = Weighted.of({kind: spec[0] for kind, spec in config["lengths"].items()})
        self.paragraph_sizes = Weighted((1, 2, 3), config["sentences_per_paragraph"]).table()
        self.copies = Weighted(range(1, len(config["wire_copies"]) + 1), config["wire_copies"])
        self.credits = config["credits"]
        self.first_number = FIRST_ARTICLE_ID + chunk * ARTICLE_IDS_PER_CHUNK
        self.languages: dict[str, Language] = {}
        self.outlets = self._outlets()
        self.by_language: dict[str, list[Outlet]] = {}
        for outlet in self.outlets:
            self.by_language.setdefault(outlet.language.code, []).append(outlet)
        self.outlet_weights = Weighted(self.outlets, [o.weight for o in self.outlets])
        self.events = self._events()

    def _language(self, code: str) -> Language:
        if code not in self.languages:
            self.languages[code] = Language(code, self.rng)
        return self.languages[code]

    def _outlets(self) -> list[Outlet]:
        layouts = _layouts()
        base_topics = self.config["topics"]
        outlets = []
        for spec in _data("sites.yaml")["outlets"]:
            multipliers = spec.get("topics", {})
            weights = {t: w * multipliers.get(t, 1) for t, w in base_topics.items()}
            if spec["credit"] not in self.credits or spec.get("layout", "") not in {"", *layouts}:
                raise DemoDataError(f"demo/sites.yaml: {spec['domain']}: unknown credit or layout")
            outlet = Outlet(
                name=spec["name"],
                domain=spec["domain"],
                language=self._language(spec["language"]),
                home=spec["home"],
                zone=ZoneInfo(spec["timezone"]),
                format=spec["format"],
                layout=layouts[spec["layout"]] if spec["format"] == "page" else None,
                encoding=spec.get("encoding", "utf-8"),
                credit=self.credits[spec["credit"]],
                url=spec["url"],
                topics=Weighted.of(weights),
                weight=spec["weight"],
                next_number=self.first_number,
            )
            outlets.append(outlet)
        return outlets

    def _events(self) -> dict[int, tuple[Event, float]]:
        by_day: dict[int, tuple[Event, float]] = {}
        for spec in _data("events.yaml")["events"]:
            weights = [
                o.weight * (spec["home_outlets"] if o.home == spec["country"] else 1)
                for o in self.outlets
            ]
            first_day = len(self.days) - 1 - spec["start"]
            event = Event(
                kind=spec["kind"],
                topic=spec["topic"],
                country=spec["country"],
                outlets=Weighted(self.outlets, weights),
            )
            for offset, extra in enumerate(spec["extra"]):
                if 0 <= first_day + offset < len(self.days):
                    by_day[first_day + offset] = (event, extra)
        return by_day

    def day_weights(self) -> list[float]:
        low, high = self.config["trend"]
        weekday_volume = self.config["weekday_volume"]
        last = max(len(self.days) - 1, 1)
        return [
            weekday_volume[day.weekday()]
            * (low + (high - low) * index / last)
            * (1 + self.events.get(index, (None, 0.0))[1])
            for index, day in enumerate(self.days)
        ]

    def daily_counts(self, articles: int) -> list[int]:
        """How many articles each day of the corpus gets (its own random stream, so the
        plan does not depend on how the days are then split into chunks)."""
        return daily_counts(articles, self.day_weights(), random.Random(self.seed))

    def write(self, writer: CorpusWriter, first_day: int, counts: list[int]) -> None:
        """Stories for the days from `first_day` on until each day's count is reached. A wire
        story's copies all run (they count against the following days); only the chunk's
        last story is cut short, so the chunk has exactly `sum(counts)` articles."""
        owed = 0  # copies written beyond the previous days' counts
        remaining = sum(counts)
        for index, count in enumerate(counts, start=first_day):
            event, extra = self.events.get(index, (None, 0.0))
            event_share = extra / (1 + extra)
            owed -= count
            while owed < 0 and remaining > 0:
                if event is not None and self.rng.random() < event_share:
                    story_event, outlet = event, event.outlets.pick(self.rng)
                else:
                    story_event, outlet = None, self.outlet_weights.pick(self.rng)
                story = self._story(outlet, self.days[index], story_event)
                for copy_outlet, copy in self._copies(outlet, story)[:remaining]:
                    self._emit(writer, copy_outlet, copy)
                    owed += 1
                    remaining -= 1

    # --- stories -----------------------------------------------------------------------

    def _story(self, outlet: Outlet, day: date, event: Event | None) -> Story:
        rng, language, config = self.rng, outlet.language, self.config
        if event:
            topic_name, country = event.topic, event.country
        else:
            topic_name = outlet.topics.pick(rng)
            home_share = config["home_country_share"]
            country = outlet.home if rng.random() < home_share else self.countries.pick(rng)
        second = self.countries.pick(rng)
        while second == country:
            second = self.countries.pick(rng)
        topic = language.topics[topic_name]
        local = datetime(
            day.year,
            day.month,
            day.day,
            self.hours.pick(rng),
            rng.randint(0, 59),
            tzinfo=outlet.zone,
        )
        slots = self._slots(language, topic, country, second, local)
        event_texts = language.events[event.kind] if event else None

        numbers = language.numbers
        title = rng.choice(event_texts.titles if event_texts else topic.titles)
        title = title.render(slots, numbers)
        lead = None
        if rng.random() < config["lead_share"]:
            lead = rng.choice(topic.leads).render(slots, numbers)
        news = list(topic.body)
        if event_texts:
            news = rng.shuffled(event_texts.body) + rng.sample(news, len(news) // 2)
        if rng.random() < config["secondary_topic_share"]:
            other = language.topics[outlet.topics.pick(rng)]
            news += rng.sample(other.body, 3)
        paragraphs = self._paragraphs(language, news, slots, keep_order=bool(event_texts))

        agency = None
        wire = rng.random() < config["wire_share"]
        if wire or rng.random() < config["credited_share"]:
            agency = language.wires.pick(rng)
        return Story(
            language=language,
            topic=topic_name,
            section=language.sections[topic_name],
            title=title,
            lead=lead,
            paragraphs=paragraphs,
            agency=agency,
            country=country,
            second_country=second,
            person=slots["name"],
            published=local.astimezone(UTC),
            wire=wire,
        )

    def _slots(
        self, language: Language, topic: Topic, country: str, second: str, local: datetime
    ) -> dict[str, str]:
        """The story's slot values (numbers are drawn per use, see Template.render)."""
        rng = self.rng
        gender = 1 if rng.random() < 0.35 else 0
        name = rng.choice(language.people[gender])
        expert_gender = 1 if rng.random() < 0.4 else 0
        expert_name = rng.choice(language.people[expert_gender])
        first = rng.randint(0, len(topic.orgs) - 1)
        second_org = (first + rng.randint(1, len(topic.orgs) - 1)) % len(topic.orgs)
        org, org2 = topic.orgs[first], topic.orgs[second_org]
        values = {
            **language.country_slots[country],
            **language.second_country_slots[second],
            **language.person_verbs[gender],
            "person": f"{rng.choice(topic.roles)[gender]} {name}",
            "name": name,
            "surname": name.rsplit(" ", 1)[-1],
            "expert": f"{rng.choice(language.experts)[expert_gender]} {expert_name}",
            "e_said": language.expert_said[expert_gender],
            "org": org,
            "org2": org2,
            "weekday": language.weekdays[local.weekday()],
            "year": str(local.year),
            "next_year": str(local.year + 1),
            "agency_cited": rng.choice(language.agency_spellings),
        }
        for name, plain in language.capitalized:
            values[name] = _capitalized(values[plain])
        return values

    def _paragraphs(
        self,
        language: Language,
        news: list[Template],
        slots: dict[str, str],
        keep_order: bool,
    ) -> list[str]:
        """Paragraphs of one to three sentences; the first sentence is news, later ones are
        news or (less often) generic remarks, each template used once until all are."""
        rng, sizes_table = self.rng, self.paragraph_sizes
        _, fewest, most = self.config["lengths"][self.lengths.pick(rng)]
        cells = len(sizes_table)
        sizes = [sizes_table[int(rng.random() * cells)] for _ in range(rng.randint(fewest, most))]
        news_order = news if keep_order else rng.shuffled(news)
        generic_order = rng.shuffled(language.generic)
        templates: list[Template] = []
        news_used = generic_used = 0
        for _ in range(sum(sizes)):
            if news_used == 0 or rng.random() < NEWS_SENTENCE_SHARE:
                templates.append(news_order[news_used % len(news_order)])
                news_used += 1
            else:
                templates.append(generic_order[generic_used % len(generic_order)])
                generic_used += 1
        numbers = language.numbers
        sentences = [template.render(slots, numbers) for template in templates]
        paragraphs, start = [], 0
        for size in sizes:
            paragraphs.append(" ".join(sentences[start : start + size]))
            start += size
        return paragraphs

    def _copies(self, outlet: Outlet, story: Story) -> list[tuple[Outlet, Story]]:
        """The story as its first outlet runs it, plus the wire copies of other outlets."""
        copies = [(outlet, story)]
        if not story.wire:
            return copies
        rng, config = self.rng, self.config
        others = [o for o in self.by_language[outlet.language.code] if o is not outlet]
        edits = config["copy_edits"]
        low, high = config["copy_delay_minutes"]
        for other in rng.sample(others, min(self.copies.pick(rng), len(others))):
            title, paragraphs = story.title, list(story.paragraphs)
            if rng.random() < edits["title_prefix"]:
                title = rng.choice(story.language.title_prefixes) + title
            if len(paragraphs) > 2 and rng.random() < edits["trim_last_paragraph"]:
                paragraphs.pop()
            if rng.random() < edits["boilerplate"]:
                paragraphs.append(rng.choice(story.language.boilerplate))
            delay = timedelta(minutes=rng.randint(low, high))
            edited = replace(
                story, title=title, paragraphs=paragraphs, published=story.published + delay
            )
            copies.append((other, edited))
        return copies

    # --- output ------------------------------------------------------------------------

    def _credited(self, outlet: Outlet, story: Story, local: datetime) -> list[str]:
        paragraphs = list(story.paragraphs)
        if story.agency is None:
            return paragraphs
        language = story.language
        city = language.country_slots[story.country]["city"]
        values = {
            "agency": language.agencies.get(story.agency, story.agency),
            "City": city,
            "CITY": city.upper(),
            "d": local.day,
            "month": language.months[local.month - 1],
            "mon": language.months_short[local.month - 1],
            "source_label": language.source_label,
        }
        credit = outlet.credit
        if "start" in credit:
            paragraphs[0] = credit["start"].format_map(values) + paragraphs[0]
        if "end" in credit:
            paragraphs[-1] += credit["end"].format_map(values)
        if "line" in credit:
            paragraphs.append(credit["line"].format_map(values))
        return paragraphs

    def _emit(self, writer: CorpusWriter, outlet: Outlet, story: Story) -> None:
        local = story.published.astimezone(outlet.zone)
        url = outlet.new_url()
        paragraphs = self._credited(outlet, story, local)
        if outlet.layout is not None and (
            self.page_share >= 1 or self.rng.random() < self.page_share
        ):
            text = self._page(outlet, story, url, local, paragraphs)
            writer.page(outlet, f"{local:%Y-%m}", str(outlet.next_number), text)
        else:
            writer.record(outlet, self._record(outlet, story, url, local, paragraphs))
        outlet.recent.append((story.title, story.lead or story.paragraphs[0]))

    def _date_line(self, pattern: str, language: Language, moment: datetime) -> str:
        month = language.months[moment.month - 1]
        short = language.months_short[moment.month - 1]
        return pattern.format(
            d=moment.day,
            dd=f"{moment.day:02d}",
            mm=f"{moment.month:02d}",
            yyyy=moment.year,
            HH=f"{moment.hour:02d}",
            MM=f"{moment.minute:02d}",
            month=month,
            Month=_capitalized(month),
            mon=short,
            Mon=_capitalized(short),
            wday=language.weekdays_short[moment.weekday()],
        )

    def _tags(self, story: Story) -> list[str]:
        countries = story.language.country_slots
        names = [countries[code]["country"] for code in (story.country, story.second_country)]
        return [story.section, *names]

    def _page(
        self, outlet: Outlet, story: Story, url: str, local: datetime, paragraphs: list[str]
    ) -> str:
        rng, layout, language = self.rng, outlet.layout, story.language
        clock = story.published if layout.utc_clock else local
        blocks = [url]
        for part in layout.head:
            if part == "date":
                blocks.append(self._date_line(layout.date, language, clock))
            elif part == "title":
                blocks.append(story.title)
            elif part == "category":
                blocks.append(story.section)
            elif part == "caption" and rng.random() < layout.caption_share:
                form = rng.choice(layout.caption_forms)
                agency = rng.choice(language.agency_spellings)
                blocks.append(form.format(name=story.person, agency=agency))
            elif part == "lead" and story.lead:
                blocks.append(story.lead)
        blocks += layout.share_top
        blocks += paragraphs
        if layout.date_below:
            blocks.append(self._date_line(layout.date_below, language, clock))
        values = {"comments": rng.randint(0, 60), "tags": ", ".join(self._tags(story))}
        blocks += [line.format_map(values) for line in layout.furniture]
        low, high = layout.teaser_count
        teasers = list(outlet.recent)[-rng.randint(low, high) :] if outlet.recent else []
        if teasers and layout.teaser_style == "heading":
            blocks.append(layout.teaser_heading)
            blocks += [title for title, _ in reversed(teasers)]
        else:
            for title, lead in reversed(teasers):
                blocks += [title, title, lead]
        return "\n\n".join(blocks) + "\n"

    def _record(
        self, outlet: Outlet, story: Story, url: str, local: datetime, paragraphs: list[str]
    ) -> dict:
        language = story.language
        if outlet.format == "jsonl_b":
            return {
                "link": url,
                "headline": story.title,
                "content": "\n\n".join(([story.lead] if story.lead else []) + paragraphs),
                "pubDate": format_datetime(local),
                "outlet": outlet.domain,
            }
        if outlet.format == "jsonl_c":
            return {
                "canonical_url": url,
                "heading": story.title,
                "description": story.lead,
                "article": paragraphs,
                "publish_date": int(story.published.timestamp()),
                "site": outlet.name,
                "locale": f"{language.code}_{outlet.home}",
                "tags": self._tags(story),
            }
        return {
            "url": url,
            "title": story.title,
            "text": "\n\n".join(([story.lead] if story.lead else []) + paragraphs),
            "published_at": local.isoformat(timespec="seconds"),
            "source": outlet.name,
            "lang": language.code,
            "section": story.section,
        }


def _prepare(out_dir: Path) -> None:
    """An empty output folder; one this module wrote before is cleared, anything else is
    refused rather than mixed into the demo."""
    if out_dir.exists() and any(out_dir.iterdir()):
        if not (out_dir / MARKER).exists():
            raise OutputFolderError(
                f"{out_dir} already holds other files; give an empty or new folder "
                "for the demo corpus"
            )
        for child in ("pages", "records"):
            shutil.rmtree(out_dir / child, ignore_errors=True)
    out_dir.mkdir(parents=True, exist_ok=True)
    (out_dir / MARKER).write_text("written by etl/demo.py; cleared on the next demo build\n")


def _chunks(counts: list[int], size: int) -> list[tuple[int, list[int]]]:
    """Consecutive days grouped into chunks of about `size` articles: (first day, counts)."""
    chunks, first, total = [], 0, 0
    for day, count in enumerate(counts):
        total += count
        if total >= size or day == len(counts) - 1:
            chunks.append((first, counts[first : day + 1]))
            first, total = day + 1, 0
    return [chunk for chunk in chunks if sum(chunk[1])]


def _write_chunk(task: tuple) -> list[Path]:
    """Write one chunk of days; runs in a worker process when there are several."""
    out_dir, seed, end, page_share, chunk, first_day, counts = task
    generator = CorpusGenerator(seed, end, page_share, chunk)
    writer = CorpusWriter(out_dir, generator.config["records_per_file"], chunk)
    try:
        generator.write(writer, first_day, counts)
    finally:
        writer.close()
    return writer.paths


def write_corpus(
    out_dir: Path,
    articles: int,
    seed: int = 7,
    end: date | None = None,
    page_share: float = 1.0,
    processes: int | None = None,
) -> list[Path]:
    """Write the raw demo corpus (`articles` articles ending on `end`, default today UTC)
    under `out_dir` and return the files written. `page_share` is the share of the page
    outlets' articles written as pages (the rest go to their record files); lower it for very
    large corpora to keep the file count down. Corpora of more than one chunk are written by
    `processes` worker processes (default one per core; 1 writes them all in this process).
    The bytes written do not depend on the number of processes."""
    if articles < 0:
        raise ValueError(f"the number of articles cannot be negative ({articles})")
    out_dir = Path(out_dir)
    _prepare(out_dir)
    end = end or datetime.now(UTC).date()
    counts = CorpusGenerator(seed, end, page_share).daily_counts(articles)
    tasks = [
        (out_dir, seed, end, page_share, chunk, first_day, chunk_counts)
        for chunk, (first_day, chunk_counts) in enumerate(_chunks(counts, ARTICLES_PER_CHUNK))
    ]
    workers = min(processes or os.cpu_count() or 1, len(tasks))
    if workers <= 1:
        return [path for task in tasks for path in _write_chunk(task)]
    with multiprocessing.get_context("forkserver").Pool(workers) as pool:
        return [path for paths in pool.imap(_write_chunk, tasks) for path in paths]


def build_demo(
    db_path: Path,
    articles: int = DEFAULT_ARTICLES,
    seed: int = 7,
    out_dir: Path | None = None,
    progress=None,
    end: date | None = None,
):
    """Write the demo corpus into `out_dir` (default: `demo/` beside the database) and
    ingest it into `db_path` with the real pipeline; returns the ingest's RunSummary.
    `progress(done, total)` follows the ingest, file by file."""
    from etl.pipeline import UsageError, ingest  # the pipeline is heavy to import; the
    # corpus writer (and bench/corpus.py) does without it

    if articles < 1:
        raise UsageError(f"--articles must be at least 1 (got {articles})")
    out_dir = Path(out_dir) if out_dir else Path(db_path).parent / DEMO_FOLDER
    try:
        write_corpus(out_dir, articles, seed=seed, end=end)
    except OutputFolderError as error:
        raise UsageError(str(error)) from None
    return ingest([out_dir], Path(db_path), progress=progress)
