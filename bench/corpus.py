"""Demo corpus generator at scale: articles per second, files, bytes and peak memory.

    python bench/corpus.py --articles 1000000 --out /tmp/corpus-1m
    python -m bench.corpus --articles 100000 --out /tmp/corpus-100k --processes 1

Writes the same raw inputs as `python -m etl demo` (etl/demo.py), streaming: stories are
drawn day by day and written at once, so memory stays flat whatever the size. Above
100,000 articles only a tenth of the page outlets' articles are written as text pages (the
rest go to their JSONL files), about 4% of the corpus, to keep the file count sane;
`--page-share` overrides that. Chunks of days are written by one process per core; with
`--processes 1` everything runs in this process and its CPU time and memory are printed.
"""

from __future__ import annotations

import argparse
import os
import resource
import sys
import time
from datetime import date
from pathlib import Path

if __package__ in (None, ""):  # run as a script: make the repository importable
    sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from etl.demo import write_corpus

LARGE_CORPUS = 100_000
LARGE_CORPUS_PAGE_SHARE = 0.1


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--articles", type=int, default=1_000_000)
    parser.add_argument("--out", type=Path, required=True, help="folder to write (new or empty)")
    parser.add_argument("--seed", type=int, default=7)
    parser.add_argument("--end", type=date.fromisoformat, default=None, help="YYYY-MM-DD")
    parser.add_argument("--page-share", type=float, default=None)
    parser.add_argument(
        "--processes", type=int, default=None, help="default one per core; 1 measures CPU"
    )
    args = parser.parse_args(argv)
    page_share = args.page_share
    if page_share is None:
        page_share = LARGE_CORPUS_PAGE_SHARE if args.articles > LARGE_CORPUS else 1.0

    load_before = os.getloadavg()[0]
    started, cpu_started = time.perf_counter(), time.process_time()
    paths = write_corpus(
        args.out,
        args.articles,
        seed=args.seed,
        end=args.end,
        page_share=page_share,
        processes=args.processes,
    )
    elapsed, cpu = time.perf_counter() - started, time.process_time() - cpu_started

    pages = [path for path in paths if path.suffix == ".txt"]
    size = sum(path.stat().st_size for path in paths)
    peak_mb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    print(f"articles      {args.articles:,} (seed {args.seed}, page share {page_share:g})")
    records = len(paths) - len(pages)
    print(f"files         {len(paths):,}: {len(pages):,} text pages, {records:,} JSONL files")
    print(f"pages         {len(pages) / max(args.articles, 1):.1%} of the articles")
    print(f"size          {size / 1e6:,.0f} MB ({size / max(args.articles, 1):,.0f} bytes/article)")
    print(f"time          {elapsed:,.1f} s wall; load average {load_before:.1f} at the start")
    print(f"speed         {args.articles / elapsed:,.0f} articles/s")
    if args.processes == 1:  # all the work ran here, so CPU time and memory are the whole cost
        print(f"CPU           {cpu:,.1f} s: {args.articles / max(cpu, 1e-9):,.0f} articles/s")
        print(f"peak memory   {peak_mb:,.0f} MB")
    return 0


if __name__ == "__main__":
    sys.exit(main())
