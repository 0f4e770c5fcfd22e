"""The demo corpus: deterministic raw inputs whose properties (span, languages, outlets,
agencies, weekly rhythm, event spikes, syndication) are measured on the written files, read
back with the real readers and taggers; and `build_demo` through the real ingest."""

from __future__ import annotations

import json
import re
from collections import Counter, defaultdict
from dataclasses import dataclass
from datetime import date, timedelta
from pathlib import Path

import duckdb
import pytest

from etl import demo
from etl.demo import OutputFolderError, build_demo, write_corpus
from etl.enrich import enrich
from etl.pipeline import UsageError
from etl.readers import read_file
from etl.record import Article
from etl.reference import load_yaml
from etl.urls import url_domain

END = date(2026, 3, 20)
ARTICLES = 600
SEED = 11


@dataclass
class Corpus:
    folder: Path
    paths: list[Path]
    articles: list[Article]  # read back and tagged like the pipeline does

    def by_domain(self) -> dict[str, list[Article]]:
        groups: dict[str, list[Article]] = defaultdict(list)
        for article in self.articles:
            groups[url_domain(article.url)].append(article)
        return groups


@pytest.fixture(scope="module")
def corpus(tmp_path_factory) -> Corpus:
    folder = tmp_path_factory.mktemp("demo")
    paths = write_corpus(folder, ARTICLES, seed=SEED, end=END)
    articles = []
    for path in paths:
        for item in read_file(path):
            assert isinstance(item, Article), f"{item.origin} {item.location}: {item.message}"
            articles.append(enrich(item))
    return Corpus(folder, paths, articles)


def _snapshot(folder: Path) -> dict[str, bytes]:
    return {
        str(path.relative_to(folder)): path.read_bytes()
        for path in sorted(folder.rglob("*"))
        if path.is_file()
    }


def test_same_seed_and_end_give_identical_bytes(tmp_path):
    write_corpus(tmp_path / "a", 150, seed=3, end=END)
    write_corpus(tmp_path / "b", 150, seed=3, end=END)
    write_corpus(tmp_path / "c", 150, seed=4, end=END)
    first = _snapshot(tmp_path / "a")
    assert len(first) > 10
    assert first == _snapshot(tmp_path / "b")
    assert first != _snapshot(tmp_path / "c")


def test_a_corpus_written_in_parallel_chunks_is_exact_and_deterministic(tmp_path, monkeypatch):
    monkeypatch.setattr(demo, "ARTICLES_PER_CHUNK", 100)
    paths = write_corpus(tmp_path / "a", 250, seed=3, end=END)
    write_corpus(tmp_path / "b", 250, seed=3, end=END)
    assert _snapshot(tmp_path / "a") == _snapshot(tmp_path / "b")
    articles = [item for path in paths for item in read_file(path)]
    assert len({article.url for article in articles}) == len(articles) == 250
    assert {path.name.split("-")[1] for path in paths if path.suffix == ".jsonl"} == {
        "001",
        "002",
        "003",
    }


def test_rewriting_a_demo_folder_replaces_its_files(tmp_path):
    write_corpus(tmp_path / "demo", 300, seed=3, end=END)
    write_corpus(tmp_path / "demo", 100, seed=3, end=END)
    write_corpus(tmp_path / "fresh", 100, seed=3, end=END)
    assert _snapshot(tmp_path / "demo") == _snapshot(tmp_path / "fresh")


def test_a_folder_with_other_files_is_refused_and_left_alone(tmp_path):
    folder = tmp_path / "mine"
    folder.mkdir()
    (folder / "notes.txt").write_text("my own file")
    with pytest.raises(OutputFolderError, match="already holds other files"):
        write_corpus(folder, 50, end=END)
    with pytest.raises(UsageError, match="already holds other files"):
        build_demo(tmp_path / "x.duckdb", articles=50, out_dir=folder, end=END)
    assert [p.name for p in folder.iterdir()] == ["notes.txt"]
    assert not (tmp_path / "x.duckdb").exists()


def test_every_file_reads_back_into_the_requested_number_of_articles(corpus):
    assert len(corpus.articles) == ARTICLES
    assert len({article.url for article in corpus.articles}) == ARTICLES
    assert all(article.title and article.body for article in corpus.articles)


def test_inputs_are_raw_pages_and_records_in_three_schemas(corpus):
    pages = [p for p in corpus.paths if p.suffix == ".txt"]
    assert 0.25 * ARTICLES < len(pages) < 0.6 * ARTICLES
    schemas, tagged_fields = set(), set()
    for path in corpus.paths:
        if path.suffix != ".jsonl":
            continue
        for line in path.read_text(encoding="utf-8").splitlines():
            record = json.loads(line)
            schemas.add(tuple(sorted(record)))
            tagged_fields |= set(record) & {"countries", "topics", "agency", "dup_group"}
    assert len(schemas) == 3
    assert not tagged_fields


def test_record_dates_come_in_iso_rfc_2822_and_unix_forms(corpus):
    forms = Counter()
    for path in corpus.paths:
        if path.suffix == ".jsonl":
            record = json.loads(path.read_text(encoding="utf-8").splitlines()[0])
            value = record.get("published_at") or record.get("pubDate") or record["publish_date"]
            if isinstance(value, int):
                forms["unix"] += 1
            elif re.fullmatch(r"\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d[+-]\d\d:\d\d", value):
                forms["iso with offset"] += 1
            elif re.fullmatch(r"\w{3}, \d\d \w{3} \d{4} \d\d:\d\d:\d\d [+-]\d{4}", value):
                forms["rfc 2822"] += 1
    assert set(forms) == {"unix", "iso with offset", "rfc 2822"}


def test_articles_span_eighteen_months_ending_on_the_end_date(corpus):
    days = sorted(article.published_at.date() for article in corpus.articles)
    assert days[0] <= END - timedelta(days=548)
    assert END - timedelta(days=3) <= days[-1] <= END + timedelta(days=1)


def test_at_least_six_languages_bulgarian_first_and_one_per_outlet(corpus):
    languages = Counter(article.language for article in corpus.articles)
    assert len(languages) >= 6
    assert languages.most_common(1)[0][0] == "bg"
    for domain, articles in corpus.by_domain().items():
        per_outlet = Counter(article.language for article in articles)
        assert per_outlet.most_common(1)[0][1] >= 0.9 * len(articles), (domain, per_outlet)


def test_several_dozen_outlets_across_country_domains(corpus):
    domains = set(corpus.by_domain())
    assert len(domains) >= 36
    suffixes = {domain.split(".", 1)[-1] for domain in domains}
    assert {"bg", "ru", "ua", "de", "fr", "es", "rs", "mk", "com", "co.uk", "at", "eu"} <= suffixes


def test_wire_agencies_are_credited_in_several_styles(corpus):
    credited = Counter(article.agency for article in corpus.articles if article.agency)
    assert len(credited) >= 10
    assert {"БТА", "БГНЕС", "Reuters", "AFP", "AP", "dpa", "ТАСС", "Танјуг"} <= set(credited)
    assert 0.15 * ARTICLES < sum(credited.values()) < 0.6 * ARTICLES
    bodies = "\n".join(article.body for article in corpus.articles)
    styles = {
        "slash sign-off": r"\. /(БГНЕС|БТА)$",
        "source line": r"^Източник: (БТА|БГНЕС)$",
        "dateline": r"^[A-Z ]+ \((Reuters|AP|AFP)\) - ",
        "dash sign-off": r" – (AP|Reuters|AFP|Укрінформ|УНІАН)$",
        "TASS dateline": r"^[А-Я -]+, \d+ \w+\. /(ТАСС|РИА Новости|Интерфакс)/\. ",
        "EFE dateline": r"^[\w ]+, \d+ \w+ \((EFE|Europa Press)\)\.- ",
    }
    for style, pattern in styles.items():
        assert re.search(pattern, bodies, re.MULTILINE), style


def test_fewer_articles_at_weekends(corpus):
    days = Counter(article.published_at.date() for article in corpus.articles)
    first, last = min(days), max(days)
    weekday_days = Counter(
        (first + timedelta(days=n)).weekday() >= 5 for n in range((last - first).days + 1)
    )
    weekend_articles = sum(count for day, count in days.items() if day.weekday() >= 5)
    weekday_articles = sum(days.values()) - weekend_articles
    weekend_rate = weekend_articles / weekday_days[True]
    weekday_rate = weekday_articles / weekday_days[False]
    assert weekend_rate < 0.7 * weekday_rate


def _event_windows() -> list[tuple[dict, date, date]]:
    """Each event with its first and last day."""
    windows = []
    for event in load_yaml("demo/events.yaml")["events"]:
        first = END - timedelta(days=event["start"])
        windows.append((event, first, first + timedelta(days=len(event["extra"]) - 1)))
    return windows


def test_news_events_raise_the_volume_and_are_about_their_country(corpus):
    windows = _event_windows()
    in_window = defaultdict(list)
    outside = []
    for article in corpus.articles:
        day = article.published_at.date()
        event = next((e for e, start, stop in windows if start <= day <= stop), None)
        (in_window[event["kind"]] if event else outside).append(article)
    window_days = sum((stop - start).days + 1 for _, start, stop in windows)
    all_days = (
        max(a.published_at for a in corpus.articles) - min(a.published_at for a in corpus.articles)
    ).days + 1
    normal_rate = len(outside) / (all_days - window_days)
    event_rate = sum(map(len, in_window.values())) / window_days
    assert event_rate > 1.4 * normal_rate
    # Pooled over the events (each window alone holds only a handful of articles here):
    # articles in a window name the event's country far more often than articles elsewhere.
    about = usually = 0.0
    for event, _, _ in windows:
        articles = in_window[event["kind"]]
        about += sum(event["country"] in a.countries for a in articles)
        share_elsewhere = sum(event["country"] in a.countries for a in outside) / len(outside)
        usually += share_elsewhere * len(articles)
    in_windows = sum(map(len, in_window.values()))
    assert about / in_windows > max(3 * usually / in_windows, 0.3)


def test_wire_stories_run_on_several_outlets_as_exact_and_edited_copies(corpus):
    by_paragraph: dict[str, list[Article]] = defaultdict(list)
    for article in corpus.articles:
        for paragraph in set(article.body.split("\n\n")):
            if len(paragraph) >= 60:
                by_paragraph[paragraph].append(article)
    shared: Counter = Counter()
    for articles in by_paragraph.values():
        for a in articles:
            for b in articles:
                if a.url < b.url:
                    shared[a.url, b.url] += 1
    by_url = {article.url: article for article in corpus.articles}
    pairs = [(by_url[a], by_url[b]) for (a, b), count in shared.items() if count >= 2]
    in_pairs = {article.url for pair in pairs for article in pair}
    assert len(in_pairs) > 0.15 * ARTICLES
    kinds = Counter()
    for a, b in pairs:
        assert url_domain(a.url) != url_domain(b.url)
        assert a.language == b.language
        # copies run within hours; pages that print only the date read as midnight
        assert abs(a.published_at - b.published_at) <= timedelta(hours=31)
        if a.title == b.title:
            kinds["same title"] += 1
        elif a.title.endswith(b.title) or b.title.endswith(a.title):
            kinds["title prefix"] += 1
        if a.body.count("\n\n") != b.body.count("\n\n"):
            kinds["paragraph trimmed or added"] += 1
    assert set(kinds) == {"same title", "title prefix", "paragraph trimmed or added"}


def _furniture_patterns() -> re.Pattern:
    lines = []
    for layout in load_yaml("demo/layouts.yaml")["layouts"].values():
        lines += layout["furniture"] + layout.get("share_top", [])
        lines += [layout["teasers"]["heading"]] if "heading" in layout["teasers"] else []
    escaped = [
        re.escape(line).replace(r"\{comments\}", r"\d+").replace(r"\{tags\}", ".*")
        for line in lines
    ]
    return re.compile("^(?:" + "|".join(escaped) + ")$")


def test_pages_parse_into_their_own_title_and_text_without_furniture_or_teasers(corpus):
    furniture = _furniture_patterns()
    outlets = load_yaml("demo/sites.yaml")["outlets"]
    encodings = {outlet["domain"]: outlet.get("encoding", "utf-8") for outlet in outlets}
    for article in corpus.articles:
        path = Path(article.origin)
        if path.suffix != ".txt":
            continue
        encoding = encodings[url_domain(article.url)]
        lines = [line for line in path.read_text(encoding=encoding).split("\n") if line]
        paragraphs = article.body.split("\n\n")
        body_start = lines.index(paragraphs[0])
        first_furniture = next(
            i for i in range(body_start, len(lines)) if furniture.match(lines[i])
        )
        assert article.title in lines[1:body_start], path
        assert lines[:body_start].count(article.title) <= 2
        text_lines = lines[body_start:first_furniture]
        # everything between the head and the furniture, less a date line printed under it
        assert paragraphs in (text_lines, text_lines[:-1]), path
        assert article.title not in paragraphs
        assert article.published_at is not None


def test_build_demo_ingests_the_corpus_with_the_real_pipeline(tmp_path):
    db_path = tmp_path / "demo.duckdb"
    calls = []
    summary = build_demo(
        db_path,
        articles=200,
        seed=5,
        out_dir=tmp_path / "demo",
        progress=lambda done, total: calls.append((done, total)),
        end=END,
    )
    assert summary.failed == 0
    assert summary.counts.inserted == 200
    assert calls[-1][0] == calls[-1][1] > 1
    with duckdb.connect(str(db_path), read_only=True) as con:
        assert con.execute("SELECT count(*) FROM articles").fetchone()[0] == 200
        languages = con.execute("SELECT count(DISTINCT language) FROM articles").fetchone()[0]
        assert languages >= 6
        inputs = con.execute("SELECT inputs FROM ingest_runs").fetchone()[0]
        assert inputs == [str((tmp_path / "demo").resolve())]
    again = build_demo(db_path, articles=200, seed=5, out_dir=tmp_path / "demo", end=END)
    assert again.counts.unchanged == 200
    assert again.counts.inserted == again.counts.updated == 0


def test_language_files_cover_every_topic_event_and_country():
    config = load_yaml("demo/corpus.yaml")
    outlets = load_yaml("demo/sites.yaml")["outlets"]
    events = load_yaml("demo/events.yaml")["events"]
    countries = set(config["country_weights"]) | {o["home"] for o in outlets}
    countries |= {e["country"] for e in events}
    for code in {outlet["language"] for outlet in outlets}:
        language = load_yaml(f"demo/languages/{code}.yaml")
        assert set(language["topics"]) == set(config["topics"]), code
        assert {e["kind"] for e in events} <= set(language["events"]), code
        assert countries <= set(language["countries"]), code
        assert set(language["sections"]) == set(config["topics"]), code
        assert all(len(label.split()) <= 2 for label in language["sections"].values()), code
        for topic in language["topics"].values():
            assert all(len(title.split()) >= 3 for title in topic["titles"]), code
