"""Topics of an article, each with a score and the rule terms that earned it.

One rule file per topic in `etl/reference/topics/` (the 17 top-level IPTC Media Topics by
default; analysts add their own): weighted terms per language, a threshold and optional NOT
terms that veto the topic. Terms of all topics share one matcher per language, so the longest
phrase wins across topics ("trade war" is economy, and its "war" is not counted as conflict).
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass
from functools import cache
from pathlib import Path

import yaml

from etl.enrich.phrases import PhraseIndex, words
from etl.record import Article
from etl.reference import REFERENCE_DIR

TOPICS_DIR = REFERENCE_DIR / "topics"
MAX_REPEATS = 3  # a term counts at most this many times
TITLE_WEIGHT = 2  # a term in the title counts this many times over


@dataclass(frozen=True)
class TopicRule:
    topic: str
    label: str
    threshold: float
    min_terms: int  # distinct terms needed: one word repeated is weak evidence
    terms: dict[str, dict[str, float]]  # language -> term -> weight
    vetoes: dict[str, list[str]]  # language -> NOT terms


@dataclass(frozen=True)
class Hit:
    topic: str
    term: str
    weight: float | None  # None: a NOT term


def _read_rule(path: Path) -> TopicRule:
    data = yaml.safe_load(path.read_text(encoding="utf-8"))
    if not isinstance(data, dict) or "id" not in data or "label" not in data:
        raise ValueError(f"{path}: a topic file needs `id`, `label`, `threshold` and `terms`")
    return TopicRule(
        topic=str(data["id"]),
        label=str(data["label"]),
        threshold=float(data.get("threshold", 3)),
        min_terms=int(data.get("min_terms", 2)),
        terms={
            str(lang): {str(term): float(weight) for term, weight in terms.items()}
            for lang, terms in (data.get("terms") or {}).items()
        },
        vetoes={
            str(lang): [str(term) for term in terms]
            for lang, terms in (data.get("not") or {}).items()
        },
    )


@cache
def rules(directory: Path = TOPICS_DIR) -> tuple[TopicRule, ...]:
    return tuple(_read_rule(path) for path in sorted(directory.glob("*.yaml")))


def topic_labels(directory: Path = TOPICS_DIR) -> dict[str, str]:
    """Topic id -> label, for the `topics` table."""
    return {rule.topic: rule.label for rule in rules(directory)}


@cache
def term_index(language: str | None, directory: Path = TOPICS_DIR) -> PhraseIndex:
    """One matcher for the terms of every topic in a language; a phrase -> all its hits."""
    hits: dict[str, list[Hit]] = defaultdict(list)
    for rule in rules(directory):
        for term, weight in rule.terms.get(language or "", {}).items():
            hits[term].append(Hit(rule.topic, term, weight))
        for term in rule.vetoes.get(language or "", ()):
            hits[term].append(Hit(rule.topic, term, None))
    index = PhraseIndex(language)
    for term, term_hits in hits.items():
        index.add(term, tuple(term_hits))
    return index


def _counts(title: str, body: str, language: str | None, directory: Path) -> dict[Hit, int]:
    """How often each rule term occurs; a title occurrence counts TITLE_WEIGHT times."""
    counts: dict[Hit, int] = defaultdict(int)
    text = f"{title}\n{body}"
    for match in term_index(language, directory).find(words(text, language)):
        weight = TITLE_WEIGHT if match.start < len(title) else 1
        for hit in match.entry.value:
            counts[hit] += weight
    return counts


def score_topics(
    title: str, body: str, language: str | None, directory: Path = TOPICS_DIR
) -> tuple[dict[str, float], dict[str, list[str]]]:
    """Topics that reach their threshold -> score, and the terms behind each (strongest first)."""
    counts = _counts(title, body, language, directory)
    vetoed = {hit.topic for hit in counts if hit.weight is None}
    contributions: dict[str, dict[str, float]] = defaultdict(dict)
    for hit, count in counts.items():
        if hit.weight is not None and hit.topic not in vetoed:
            contributions[hit.topic][hit.term] = hit.weight * min(count, MAX_REPEATS)
    by_topic = {rule.topic: rule for rule in rules(directory)}
    scores: dict[str, float] = {}
    terms: dict[str, list[str]] = {}
    for topic, by_term in contributions.items():
        score = sum(by_term.values())
        rule = by_topic[topic]
        if score >= rule.threshold and len(by_term) >= rule.min_terms:
            scores[topic] = round(score, 2)
            terms[topic] = sorted(by_term, key=lambda term: (-by_term[term], term))
    ranked = sorted(scores, key=lambda topic: (-scores[topic], topic))
    return {topic: scores[topic] for topic in ranked}, {topic: terms[topic] for topic in ranked}


def best_topic(article: Article) -> str | None:
    return next(iter(article.topics), None)


def tag_topics(article: Article) -> None:
    if not article.text_enriched:
        return
    article.topics, article.topic_terms = score_topics(
        article.title, article.body, article.language
    )
