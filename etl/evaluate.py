"""Accuracy of the taggers against labeled records: `python -m etl evaluate LABELED.jsonl`.

Each line of the labeled file is a JSON object: `title` and `text` (or `page`, a whole scraped
page that goes through the text-page reader first), the expected `language`, `countries`
(ISO codes the article is about), `topic` (the newsroom's one topic id), `agency` (filing
agency or null), `cited` (agencies quoted), an optional `hint` (a language the input claims)
and an `id`. The report gives language accuracy, country precision/recall/F1, best-topic
accuracy and agency accuracy, overall and per language, then every mistake with the reason
the tagger gave, so a rule can be fixed where it went wrong.
"""

from __future__ import annotations

import argparse
import json
import sys
from collections import defaultdict
from dataclasses import dataclass, field
from pathlib import Path

from etl.enrich import enrich
from etl.readers.text_page import parse_page
from etl.record import Article


class LabeledError(ValueError):
    """A labeled record that cannot be used, with its file and line."""


@dataclass
class Tally:
    records: int = 0
    language_right: int = 0
    true_pos: int = 0
    false_pos: int = 0
    false_neg: int = 0
    topic_total: int = 0
    topic_right: int = 0
    agency_right: int = 0
    cited_right: int = 0

    def add(self, other: Tally) -> None:
        for name, value in vars(other).items():
            setattr(self, name, getattr(self, name) + value)

    def precision(self) -> float:
        return _ratio(self.true_pos, self.true_pos + self.false_pos)

    def recall(self) -> float:
        return _ratio(self.true_pos, self.true_pos + self.false_neg)

    def f1(self) -> float:
        p, r = self.precision(), self.recall()
        return 2 * p * r / (p + r) if p + r else 0.0


@dataclass
class Report:
    total: Tally = field(default_factory=Tally)
    by_language: dict[str, Tally] = field(default_factory=lambda: defaultdict(Tally))
    mistakes: dict[str, list[str]] = field(default_factory=lambda: defaultdict(list))


def _ratio(part: int, whole: int) -> float:
    return part / whole if whole else 0.0


def _article(record: dict, origin: str) -> Article:
    if "page" in record:
        article = parse_page(record["page"], origin)
        if article is None:
            raise LabeledError(f"{origin}: the page holds no article text")
        article.language_hint = record.get("hint")
        return article
    if "text" not in record:
        raise LabeledError(f"{origin}: a labeled record needs `text` or `page`")
    return Article(
        origin, title=record.get("title", ""), body=record["text"], language_hint=record.get("hint")
    )


def read_labeled(path: Path) -> list[tuple[dict, Article]]:
    """Labeled records with their articles (not yet enriched); a bad line raises LabeledError."""
    pairs = []
    with open(path, encoding="utf-8") as handle:
        for number, line in enumerate(handle, start=1):
            if not line.strip():
                continue
            origin = f"{path}:{number}"
            try:
                record = json.loads(line)
            except json.JSONDecodeError as error:
                raise LabeledError(f"{origin}: not valid JSON ({error.msg})") from error
            if not isinstance(record, dict) or "language" not in record:
                raise LabeledError(f"{origin}: a labeled record needs at least `language`")
            pairs.append((record, _article(record, origin)))
    return pairs


def _score(record: dict, article: Article, report: Report) -> None:
    tally = Tally(records=1)
    name = record.get("id", article.origin)
    if article.language == record["language"]:
        tally.language_right = 1
    else:
        report.mistakes["language"].append(
            f"{name}: expected {record['language']}, got {article.language}"
        )
    expected = set(record.get("countries", ()))
    found = set(article.countries)
    tally.true_pos = len(expected & found)
    tally.false_pos = len(found - expected)
    tally.false_neg = len(expected - found)
    if expected != found:
        extra = ", ".join(
            f"{c} ({'/'.join(article.country_terms[c])})" for c in sorted(found - expected)
        )
        missed = ", ".join(sorted(expected - found))
        report.mistakes["countries"].append(f"{name}: missed [{missed}] wrongly tagged [{extra}]")
    if record.get("topic"):
        tally.topic_total = 1
        best = next(iter(article.topics), None)
        if best == record["topic"]:
            tally.topic_right = 1
        else:
            scores = ", ".join(
                f"{t}={s:g} ({'/'.join(article.topic_terms[t][:4])})"
                for t, s in list(article.topics.items())[:3]
            )
            report.mistakes["topic"].append(
                f"{name}: expected {record['topic']}, got {scores or 'no topic'}"
            )
    if article.agency == record.get("agency"):
        tally.agency_right = 1
    else:
        report.mistakes["agency"].append(
            f"{name}: expected {record.get('agency')}, got {article.agency}"
        )
    if sorted(article.cited_agencies) == sorted(record.get("cited", ())):
        tally.cited_right = 1
    else:
        report.mistakes["cited agencies"].append(
            f"{name}: expected {record.get('cited', [])}, got {article.cited_agencies}"
        )
    report.total.add(tally)
    report.by_language[record["language"]].add(tally)


def _format(report: Report, path: Path) -> str:
    total = report.total
    lines = [
        f"Labeled records: {total.records} in {len(report.by_language)} languages ({path})",
        f"language accuracy      {_ratio(total.language_right, total.records):.3f}",
        f"country precision      {total.precision():.3f}",
        f"country recall         {total.recall():.3f}",
        f"country F1             {total.f1():.3f}",
        f"topic accuracy (best)  {_ratio(total.topic_right, total.topic_total):.3f}"
        f"  over {total.topic_total} records",
        f"agency accuracy        {_ratio(total.agency_right, total.records):.3f}",
        f"cited agency accuracy  {_ratio(total.cited_right, total.records):.3f}",
        "",
        "lang  records  language  country P  country R  country F1  topic",
    ]
    for language in sorted(report.by_language, key=lambda lang: -report.by_language[lang].records):
        t = report.by_language[language]
        lines.append(
            f"{language:<5} {t.records:>7}  {_ratio(t.language_right, t.records):>8.3f}"
            f"  {t.precision():>9.3f}  {t.recall():>9.3f}  {t.f1():>10.3f}"
            f"  {_ratio(t.topic_right, t.topic_total):>5.3f}"
        )
    for tagger, mistakes in report.mistakes.items():
        lines += ["", f"Mistakes: {tagger} ({len(mistakes)})", *(f"  {m}" for m in mistakes)]
    return "\n".join(lines)


def evaluate(path: Path) -> str:
    """The accuracy report for a labeled JSONL file."""
    report = Report()
    for record, article in read_labeled(path):
        _score(record, enrich(article), report)
    return _format(report, path)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m etl.evaluate", description=__doc__)
    parser.add_argument("labeled", type=Path, metavar="LABELED.jsonl")
    args = parser.parse_args(argv)
    if not args.labeled.is_file():
        print(f"error: {args.labeled}: no such file", file=sys.stderr)
        return 2
    try:
        print(evaluate(args.labeled))
    except LabeledError as error:
        print(f"error: {error}", file=sys.stderr)
        return 2
    return 0


if __name__ == "__main__":
    sys.exit(main())
