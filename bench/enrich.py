"""Enrichment speed: median milliseconds per typical (~400-word) article on one core.

CPU time (time.process_time) is the number to read on a shared machine; wall time is printed
beside it.

Articles are stitched from the labeled set's texts of one language (so every tagger meets real
words), each one different. Gazetteers, topic matchers and lemmatizer dictionaries are built
during a warm-up pass first: that one-off cost is printed apart.

    python bench/enrich.py [--articles 400] [--words 400]
"""

from __future__ import annotations

import argparse
import json
import random
import statistics
import time
from collections import defaultdict
from pathlib import Path

from etl.enrich import ENRICHERS
from etl.record import Article

LABELED = (
    Path(__file__).resolve().parent.parent / "tests" / "fixtures" / "labeled" / "articles.jsonl"
)


def _texts_by_language() -> dict[str, list[tuple[str, str]]]:
    texts: dict[str, list[tuple[str, str]]] = defaultdict(list)
    for line in LABELED.read_text(encoding="utf-8").splitlines():
        record = json.loads(line)
        if "text" in record:
            texts[record["language"]].append((record["title"], record["text"]))
    return texts


def build_articles(count: int, words: int, seed: int = 7) -> list[Article]:
    rng = random.Random(seed)
    texts = _texts_by_language()
    languages = sorted(texts)
    articles = []
    for number in range(count):
        pool = texts[languages[number % len(languages)]]
        title = rng.choice(pool)[0]
        paragraphs: list[str] = []
        while sum(len(p.split()) for p in paragraphs) < words:
            paragraphs.append(rng.choice(pool)[1])
        articles.append(Article(f"bench#{number}", title=title, body="\n\n".join(paragraphs)))
    return articles


def _timed_round(articles: list[Article]):
    """CPU ms per article, wall ms per article, CPU ms per article for each enricher."""
    totals: list[float] = []
    walls: list[float] = []
    per_enricher: dict[str, list[float]] = defaultdict(list)
    for article in articles:
        wall_start = time.perf_counter()
        total = 0.0
        for enricher in ENRICHERS:
            start = time.process_time()
            enricher(article)
            elapsed = (time.process_time() - start) * 1000
            per_enricher[enricher.__name__].append(elapsed)
            total += elapsed
        totals.append(total)
        walls.append((time.perf_counter() - wall_start) * 1000)
    return totals, walls, per_enricher


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--articles", type=int, default=400)
    parser.add_argument("--words", type=int, default=400)
    parser.add_argument("--rounds", type=int, default=3, help="the fastest round is reported")
    args = parser.parse_args()

    started = time.perf_counter()
    for article in build_articles(len(_texts_by_language()) * 2, args.words, seed=1):
        for enricher in ENRICHERS:
            enricher(article)
    warm_up = time.perf_counter() - started

    articles = build_articles(args.articles, args.words)
    rounds = [_timed_round(articles) for _ in range(args.rounds)]
    totals, walls, per_enricher = min(rounds, key=lambda r: statistics.median(r[0]))

    mean_words = statistics.mean(len(a.body.split()) + len(a.title.split()) for a in articles)
    print(
        f"{len(articles)} articles, {mean_words:.0f} words on average, 1 process, "
        f"fastest of {args.rounds} rounds"
    )
    print(f"one-off warm-up (detector, gazetteers, lemma dictionaries): {warm_up:.1f} s")
    print(f"wall time: median {statistics.median(walls):.2f} ms/article")
    print(
        f"CPU time: median {statistics.median(totals):.2f} ms/article, "
        f"p90 {statistics.quantiles(totals, n=10)[-1]:.2f} ms, "
        f"mean {statistics.mean(totals):.2f} ms -> {1000 / statistics.mean(totals):.0f} articles/s"
    )
    for name, times in per_enricher.items():
        print(f"  {name:<20} median {statistics.median(times):.3f} ms")


if __name__ == "__main__":
    main()
