"""Duplicate grouping: quality on the labeled set, and what it costs per article.

    python -m bench.dedup_eval                  # precision/recall on tests/fixtures/dedup/
    python -m bench.dedup_eval --cost 40000     # milliseconds per article, growing database

Quality: the hand-written articles in `tests/fixtures/dedup/labeled.yaml` (originals, hand
rewrites, translations, same-topic stories, daily template items) plus light-edit copies
derived from every original (below), ingested in shuffled batches through the real enrichers
and loader (so copies often arrive before their original), then read back from DuckDB.
Pairwise precision and recall over all pairs; recall per kind of copy; every false merge.

Cost: synthetic articles (Zipf-distributed pseudo-words, 20% of them copies)
loaded in batches of 2,000 through the real loader; the time spent in `assign_dup_groups`
is reported per article, early and late (the stored keys grow), with the space the keys take.
"""

from __future__ import annotations

import argparse
import random
import re
import tempfile
import time
from collections import Counter, defaultdict
from datetime import datetime, timedelta
from itertools import combinations
from pathlib import Path

import duckdb
import yaml

from etl import load
from etl.dedup import article_keys, band_hashes, settings, shingles
from etl.enrich import enrich
from etl.record import Article
from etl.schema import migrate

LABELED = Path(__file__).parent.parent / "tests" / "fixtures" / "dedup" / "labeled.yaml"
LIGHT_EDITS = (
    "exact", "amp", "retitled", "furniture", "trimmed", "edited", "extended",
    "retitled_edited", "retitled_trimmed",
)
_SENTENCE = re.compile(r"(?<=[.!?])\s+")


def labeled_articles() -> list[dict]:
    return yaml.safe_load(LABELED.read_text(encoding="utf-8"))["articles"]


def _paragraphs(body: str) -> list[str]:
    return [p.strip() for p in body.split("\n\n") if p.strip()]


def _edited(text: str, rng: random.Random) -> str:
    """A sub-editor's pass: about one word in 25 dropped, one number changed."""
    words = text.split(" ")
    kept = [w for w in words if rng.random() > 0.04 or "\n" in w]
    edited = " ".join(kept)
    return re.sub(r"\d+", lambda m: str(int(m.group()) + 1), edited, count=1)


def light_copies(original: dict, pool: list[dict], rng: random.Random) -> list[dict]:
    """Copies another outlet would publish, each labeled with its kind of edit."""
    paragraphs = _paragraphs(original["body"])
    published = original["published_at"]
    url = original["url"]
    host = url.split("/")[2]
    others = [a for a in pool if a["language"] == original["language"] and a is not original]
    # the "read also" block quotes the lead of another story: the shortest one, so that a
    # one-paragraph brief is quoted whole and must still not join this story
    shortest = min(others, key=lambda a: len(a["body"]), default=None)
    related = _paragraphs(shortest["body"])[0] if shortest else ""
    new_title = " ".join(_SENTENCE.split(paragraphs[0])[0].split()[:10])
    if len(paragraphs) >= 3:
        trimmed = paragraphs[:-1]
        swapped = [paragraphs[0], paragraphs[2], paragraphs[1], *paragraphs[3:]]
    else:
        sentences = _SENTENCE.split(original["body"])
        trimmed = [" ".join(sentences[:-1])] if len(sentences) > 1 else paragraphs
        swapped = paragraphs
    variants = {
        "exact": (original["title"], original["body"], 2),
        "amp": (original["title"], original["body"], 0),
        "retitled": (new_title, original["body"], 3),
        "furniture": (
            original["title"],
            f"{original['source']}, {published:%d.%m.%Y}\n\n{original['body']}\n\n"
            f"({original['source']})",
            5,
        ),
        "trimmed": (original["title"], "\n\n".join(trimmed), 9),
        "edited": (original["title"], _edited("\n\n".join(swapped), rng), 14),
        "extended": (original["title"], f"{original['body']}\n\n{related}", 20),
        "retitled_edited": (new_title, _edited("\n\n".join(swapped), rng), 16),
        "retitled_trimmed": (new_title, "\n\n".join(trimmed), 11),
        "teaser": (original["title"], paragraphs[0], 1),
    }
    copies = []
    for kind, (title, body, hours) in variants.items():
        copy_url = (
            url.replace(host, "m." + host) + "/amp"
            if kind == "amp"
            else f"https://{kind.replace('_', '-')}-outlet.example/{original['id']}"
        )
        copies.append(
            {
                **original,
                "id": f"{original['id']}~{kind}",
                "kind": kind,
                "source": original["source"] if kind == "amp" else f"Outlet {kind}",
                "url": copy_url,
                "title": title,
                "body": body,
                "published_at": published + timedelta(hours=hours),
            }
        )
    return copies


def evaluation_set(seed: int) -> list[dict]:
    rng = random.Random(seed)
    labeled = labeled_articles()
    copies = [
        copy
        for item in labeled
        if item["kind"] == "original"
        for copy in light_copies(item, labeled, rng)
    ]
    return labeled + copies


def to_article(item: dict) -> Article:
    return Article(
        origin=f"labeled:{item['id']}",
        title=item["title"],
        body=item["body"],
        url=item["url"],
        source=item["source"],
        published_at=item["published_at"],
        language_hint=item["language"],
    )


def ingest_in_batches(items: list[dict], batches: int, seed: int, con) -> dict[str, str]:
    """Enrich and load the items in shuffled batches; the dup_group of each item id."""
    order = items[:]
    random.Random(seed).shuffle(order)
    articles = {item["id"]: enrich(to_article(item)) for item in order}
    ids = list(articles)
    size = -(-len(ids) // batches)
    for start in range(0, len(ids), size):
        load.load_batch(con, [articles[i] for i in ids[start : start + size]])
    stored = dict(con.execute("SELECT article_id, dup_group FROM articles").fetchall())
    return {item_id: stored[article.article_id] for item_id, article in articles.items()}


def quality(seed: int, batches: int) -> None:
    items = evaluation_set(seed)
    with tempfile.TemporaryDirectory() as folder:
        con = duckdb.connect(str(Path(folder) / "eval.duckdb"))
        migrate(con)
        group_of = ingest_in_batches(items, batches, seed, con)
        reasons = con.execute(
            "SELECT coalesce(dup_reason, 'original'), count(*) FROM articles GROUP BY ALL"
        ).fetchall()
        misplaced = con.execute(
            """
            SELECT count(*) FROM articles a JOIN articles o ON o.article_id = a.dup_group
            WHERE a.published_at < o.published_at
            """
        ).fetchone()[0]
        con.close()
    by_id = {item["id"]: item for item in items}
    counts: Counter[str] = Counter()
    false_merges = []
    for a, b in combinations(items, 2):
        truth = a["story"] == b["story"]
        predicted = group_of[a["id"]] == group_of[b["id"]]
        counts[("tp" if truth else "fp") if predicted else ("fn" if truth else "tn")] += 1
        if predicted and not truth:
            false_merges.append((a["id"], b["id"]))
    precision = counts["tp"] / max(1, counts["tp"] + counts["fp"])
    recall = counts["tp"] / max(1, counts["tp"] + counts["fn"])
    print(f"labeled set: {len(items)} articles, {len({i['story'] for i in items})} stories")
    print(f"pairwise precision {precision:.3f}  recall {recall:.3f}  ({dict(counts)})")

    found: dict[str, list[bool]] = defaultdict(list)
    originals = {item["story"]: item["id"] for item in items if item["kind"] == "original"}
    for item in items:
        if item["kind"] in (*LIGHT_EDITS, "teaser", "rewrite") and item["story"] in originals:
            found[item["kind"]].append(group_of[item["id"]] == group_of[originals[item["story"]]])
    light = [hit for kind in LIGHT_EDITS for hit in found[kind]]
    print(f"recall of exact + light-edit copies: {sum(light) / len(light):.3f} ({len(light)})")
    for kind, hits in found.items():
        print(f"  {kind:10} {sum(hits)}/{len(hits)}")
    print(f"groups whose original is not their earliest copy: {misplaced}")
    print("rows by dup_reason: " + ", ".join(f"{r} {n}" for r, n in sorted(reasons)))
    print(f"false merges: {len(false_merges)}")
    for a, b in false_merges:
        print(f"  {a} ({by_id[a]['kind']}) ~ {b} ({by_id[b]['kind']})")
    text_margins(items)


def text_margins(items: list[dict]) -> None:
    """Exact shingle-set overlap of copies with their original (lowest per kind) and of
    different stories (highest): where the text layer's thresholds sit between them."""
    config = settings()
    sets = {item["id"]: shingles(item["body"]) for item in items}
    originals = {item["story"]: item["id"] for item in items if item["kind"] == "original"}

    def overlap(a: str, b: str) -> tuple[float, float]:
        common = len(set(sets[a].tolist()) & set(sets[b].tolist()))
        union = sets[a].size + sets[b].size - common
        return common / union, common / min(sets[a].size, sets[b].size)

    lowest: dict[str, tuple] = {}
    for item in items:
        if item["story"] in originals and item["id"] != originals[item["story"]]:
            pair = overlap(item["id"], originals[item["story"]])
            if item["kind"] not in lowest or pair < lowest[item["kind"]][0]:
                lowest[item["kind"]] = (pair, item["id"])
    highest = max(
        (overlap(a["id"], b["id"]), a["id"], b["id"])
        for a, b in combinations(items, 2)
        if a["story"] != b["story"] and sets[a["id"]].size and sets[b["id"]].size
    )
    print(
        f"text layer: copy when resemblance >= {config.min_resemblance} "
        f"(LSH {config.bands} bands x {config.rows} rows)"
    )
    for kind, ((resemblance, containment), item_id) in sorted(lowest.items()):
        print(f"  lowest {kind:16} resemblance {resemblance:.2f} containment {containment:.2f}"
              f"  {item_id}")
    (resemblance, containment), a, b = highest
    print(f"  highest different stories resemblance {resemblance:.2f} containment "
          f"{containment:.2f}  {a} ~ {b}")


def synthetic_articles(count: int, seed: int) -> list[Article]:
    """Distinct articles of Zipf-distributed pseudo-words (so unrelated texts share about as
    many word triples as real news does), one every three minutes; 20% of them are copies of
    a story from the previous day, half exact, half edited."""
    rng = random.Random(seed)
    vocabulary = ["".join(rng.choices("aeioubdgklmnprstvz", k=rng.randint(2, 9)))
                  for _ in range(30_000)]
    weights = [1 / rank for rank in range(1, len(vocabulary) + 1)]
    start = datetime(2025, 1, 1)
    articles: list[Article] = []
    for number in range(count):
        if articles and rng.random() < 0.2:
            model = rng.choice(articles[-480:])
            title, body = model.title, model.body
            if rng.random() < 0.5:
                body = _edited(body, rng)
        else:
            words = rng.choices(vocabulary, weights, k=rng.randint(200, 600))
            body = "\n\n".join(" ".join(words[i : i + 60]) for i in range(0, len(words), 60))
            title = " ".join(rng.choices(vocabulary, weights, k=8))
        articles.append(
            Article(
                origin=f"synthetic:{number}",
                title=title,
                body=body,
                url=f"https://outlet{number % 50}.example/{number}",
                source=f"Outlet {number % 50}",
                published_at=start + timedelta(minutes=number * 3),
                language="xx",
            )
        )
    return articles


def cost(count: int, seed: int) -> None:
    articles = synthetic_articles(count, seed)
    timings: list[tuple[int, float]] = []
    original = load.assign_dup_groups

    def timed(con, batch):
        began = time.process_time()  # CPU of all threads: the machine may be shared
        original(con, batch)
        timings.append((len(batch), time.process_time() - began))

    load.assign_dup_groups = timed
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "cost.duckdb"
        con = duckdb.connect(str(path))
        migrate(con)
        began = time.process_time()
        for start in range(0, len(articles), 2_000):
            load.load_batch(con, articles[start : start + 2_000])
        total = time.process_time() - began
        bands = con.execute("SELECT count(*) FROM dedup_bands").fetchone()[0]
        copies = con.execute("SELECT count(*) FROM articles WHERE dup_reason IS NOT NULL")
        copies = copies.fetchone()[0]
        keys_file = Path(folder) / "keys.duckdb"
        con.execute(f"ATTACH '{keys_file}' AS keys_only")  # a temporary path of ours
        for table in ("dedup_keys", "dedup_bands"):
            con.execute(f"CREATE TABLE keys_only.{table} AS SELECT * FROM {table}")
        con.execute("DETACH keys_only")
        con.close()
        keys_bytes = keys_file.stat().st_size
    load.assign_dup_groups = original
    dedup = sum(seconds for _, seconds in timings)
    first, last = timings[0], timings[-1]
    keys_began = time.process_time()
    for article in articles[:2_000]:
        band_hashes(article_keys(article).shingles)
    keys = (time.process_time() - keys_began) / min(count, 2_000)
    print(f"{count} articles in batches of 2,000 (CPU time): load {1000 * total / count:.3f} "
          f"ms/article, of which dedup {1000 * dedup / count:.3f} ms/article "
          f"(shingles + MinHash {1000 * keys:.3f} ms/article)")
    print(f"  first batch {1000 * first[1] / first[0]:.3f} ms/article, "
          f"last batch {1000 * last[1] / last[0]:.3f} ms/article")
    print(f"  copies found {copies}; band rows {bands}; "
          f"the keys alone take {keys_bytes / count:.0f} bytes/article on disk")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--seed", type=int, default=5)
    parser.add_argument("--batches", type=int, default=3)
    parser.add_argument("--cost", type=int, metavar="ARTICLES", default=None)
    args = parser.parse_args()
    if args.cost:
        cost(args.cost, args.seed)
    else:
        quality(args.seed, args.batches)


if __name__ == "__main__":
    main()
