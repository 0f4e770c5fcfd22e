"""End-to-end ingest speed: parse, enrich, dedup, load and index N synthetic articles.

    python bench/etl.py --articles 20000
    python -m bench.etl --articles 1000000 --keep /tmp/bench-etl-1m

Writes a corpus with the demo generator (as `bench/corpus.py` does: above 100,000 articles
only a tenth of the page outlets' articles are text pages; a corpus kept by an earlier
`--keep` run of the same size is reused), then measures, on the same files:
- the I/O floor: reading every file and JSON-decoding the record files, nothing more;
- the stages on one core over a sample of files: read+parse, enrich (in a fresh process, where
  every language's models and dictionaries load, and again in steady state);
- the whole `python -m etl ingest` run into a fresh database (both cores), with the peak
  memory of the ingest and its workers.
The last line is `summary: articles=N articles_per_s=X peak_mb=Y`.
"""

from __future__ import annotations

import argparse
import json
import resource
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

if __package__ in (None, ""):  # run as a script: make the repository importable
    sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from bench.corpus import LARGE_CORPUS, LARGE_CORPUS_PAGE_SHARE
from etl.demo import write_corpus
from etl.enrich import enrich
from etl.pipeline import collect_files
from etl.readers import read_file
from etl.record import Article

SAMPLE_FILES = 40


def io_floor(files: list[Path]) -> float:
    """Seconds to read every file and decode the JSON records: the least any ingest costs."""
    started = time.perf_counter()
    for path in files:
        data = path.read_bytes()
        if path.suffix == ".jsonl":
            for line in data.splitlines():
                if line.strip():
                    json.loads(line)
    return time.perf_counter() - started


def stage_costs(files: list[Path]) -> tuple[int, float, float, float]:
    """Articles in a sample of files, and the one-core seconds to read them, to enrich them in a
    fresh process (start-up included) and to enrich them again (steady state)."""
    sample = files[:: max(1, len(files) // SAMPLE_FILES)]
    started = time.perf_counter()
    articles = [item for path in sample for item in read_file(path) if isinstance(item, Article)]
    read_seconds = time.perf_counter() - started
    started = time.perf_counter()
    for article in articles:  # the first pass also loads each language's models and dictionaries
        enrich(article)
    first_pass = time.perf_counter() - started
    started = time.perf_counter()
    for article in articles:
        enrich(article)
    return len(articles), read_seconds, first_pass, time.perf_counter() - started


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--articles", type=int, default=20_000)
    parser.add_argument("--keep", type=Path, default=None, help="folder to keep corpus and db")
    args = parser.parse_args(argv)

    work = args.keep or Path(tempfile.mkdtemp(prefix="bench-etl-"))
    corpus, db = work / "corpus", work / "bench.duckdb"
    written = work / "corpus-articles.txt"  # the size of the corpus kept in `corpus`
    db.unlink(missing_ok=True)
    if not (written.exists() and written.read_text() == str(args.articles)):
        shutil.rmtree(corpus, ignore_errors=True)
        large = args.articles > LARGE_CORPUS
        write_corpus(corpus, args.articles, page_share=LARGE_CORPUS_PAGE_SHARE if large else 1.0)
        written.write_text(str(args.articles))
    files = collect_files([corpus])

    floor = io_floor(files)
    sampled, read_seconds, cold_seconds, enrich_seconds = stage_costs(files)
    started = time.perf_counter()
    run = subprocess.run(
        [sys.executable, "-m", "etl", "ingest", str(corpus), "--db", str(db)],
        capture_output=True,
        text=True,
        check=False,
    )
    wall = time.perf_counter() - started
    peak_mb = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024
    if run.returncode not in (0, 1):
        print(run.stdout, run.stderr, file=sys.stderr)
        return 1

    sample_ms = 1000 / max(sampled, 1)
    print(f"files {len(files)}, articles {args.articles}, corpus in {corpus}")
    print(f"{'stage':<34}{'seconds':>10}{'ms/article':>12}")
    rows = [
        ("I/O floor (read + JSON decode)", floor, floor * 1000 / args.articles),
        ("read+parse, one core (sample)", read_seconds, read_seconds * sample_ms),
        ("enrich, one core, fresh process", cold_seconds, cold_seconds * sample_ms),
        ("enrich, one core, steady state", enrich_seconds, enrich_seconds * sample_ms),
        ("ingest end to end, all cores", wall, wall * 1000 / args.articles),
    ]
    for name, seconds, per_article in rows:
        print(f"{name:<34}{seconds:>10.2f}{per_article:>12.3f}")
    print(run.stdout.strip())
    if args.keep is None:
        shutil.rmtree(work)
    rate = args.articles / wall
    print(f"summary: articles={args.articles} articles_per_s={rate:.0f} peak_mb={peak_mb:.0f}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
