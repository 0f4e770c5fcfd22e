"""Topics of an article, each with a score and the rule terms that earned it.

One rule file per topic in `etl/reference/topics/` (the 17 top-level IPTC Media Topics by
default; analysts add their own): weighted terms per language, a threshold and optional NOT
terms that veto the topic. Terms of all topics share one matcher per language, so the longest
phrase wins across topics ("trade war" is economy, and its "war" is not counted as conflict).

A brief (up to BRIEF_WORDS words) rarely holds `min_terms` distinct terms of its topic even
when it is plainly about it (a two-line match report may name only the quarter-final). So when
no topic has full evidence, a brief takes the topics whose terms reach the threshold counted
once each (a title term TITLE_WEIGHT times), provided one of them is a topic word (weight
BRIEF_MIN_WEIGHT or more). A longer article still needs full evidence.
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
BRIEF_WORDS = 80  # a title and body this short is a brief
BRIEF_MIN_WEIGHT = 2  # in a brief, a topic with fewer than min_terms needs a term this strong


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


@dataclass(frozen=True)
class Evidence:
    """The rule terms found in one text."""

    counts: dict[Hit, int]  # occurrences; a title occurrence counts TITLE_WEIGHT times
    in_title: frozenset[Hit]
    words: int  # length of title and body


def _evidence(title: str, body: str, language: str | None, directory: Path) -> Evidence:
    counts: dict[Hit, int] = defaultdict(int)
    in_title: set[Hit] = set()
    text_words = words(f"{title}\n{body}", language)
    for match in term_index(language, directory).find(text_words):
        weight = TITLE_WEIGHT if match.start < len(title) else 1
        for hit in match.entry.value:
            counts[hit] += weight
            if weight == TITLE_WEIGHT:
                in_title.add(hit)
    return Evidence(counts, frozenset(in_title), len(text_words))


def _brief_score(hits: list[Hit], evidence: Evidence) -> float:
    """A brief's evidence for a topic: each term once (a title term TITLE_WEIGHT times), so a
    word repeated adds nothing; 0 when no term is a topic word (weight BRIEF_MIN_WEIGHT)."""
    if max(hit.weight or 0 for hit in hits) < BRIEF_MIN_WEIGHT:
        return 0.0
    return sum(
        (hit.weight or 0) * (TITLE_WEIGHT if hit in evidence.in_title else 1) for hit in hits
    )


def score_topics(
    title: str, body: str, language: str | None, directory: Path = TOPICS_DIR
) -> tuple[dict[str, float], dict[str, list[str]]]:
    """Topics that reach their threshold -> score, and the terms behind each (strongest first)."""
    evidence = _evidence(title, body, language, directory)
    vetoed = {hit.topic for hit in evidence.counts if hit.weight is None}
    hits: dict[str, list[Hit]] = defaultdict(list)
    for hit in evidence.counts:
        if hit.weight is not None and hit.topic not in vetoed:
            hits[hit.topic].append(hit)
    by_topic = {rule.topic: rule for rule in rules(directory)}
    contributions = {
        topic: {hit.term: hit.weight * min(evidence.counts[hit], MAX_REPEATS) for hit in found}
        for topic, found in hits.items()
    }
    full = [
        topic
        for topic, by_term in contributions.items()
        if sum(by_term.values()) >= by_topic[topic].threshold
        and len(by_term) >= by_topic[topic].min_terms
    ]
    brief = [
        topic
        for topic, found in hits.items()
        if evidence.words <= BRIEF_WORDS
        and _brief_score(found, evidence) >= by_topic[topic].threshold
    ]
    scores: dict[str, float] = {}
    terms: dict[str, list[str]] = {}
    for topic in full or brief:
        by_term = contributions[topic]
        scores[topic] = round(sum(by_term.values()), 2)
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
