"""`python -m etl ingest|demo|evaluate`: the ETL's command line."""

from __future__ import annotations

import argparse
import os
import sys
from pathlib import Path

from etl.pipeline import RunSummary, UsageError, ingest
from etl.readers import FORMATS
from etl.store import StoreError

DEFAULT_DB = Path("data/monitor.duckdb")


def default_db() -> Path:
    return Path(os.environ.get("MONITOR_DB") or DEFAULT_DB)


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="python -m etl", description=__doc__)
    commands = parser.add_subparsers(dest="command", required=True)

    run = commands.add_parser("ingest", help="read files and folders into the database")
    run.add_argument("paths", nargs="+", type=Path, metavar="PATH")
    run.add_argument(
        "--db",
        type=Path,
        default=None,
        help=f"database file (default: $MONITOR_DB or {DEFAULT_DB})",
    )
    run.add_argument("--format", choices=FORMATS, default="auto")
    run.add_argument("--source", default=None, help="outlet name for inputs that carry none")

    demo = commands.add_parser("demo", help="write the synthetic demo corpus and ingest it")
    demo.add_argument("--articles", type=int, default=None)
    demo.add_argument("--seed", type=int, default=7)
    demo.add_argument("--db", type=Path, default=None)
    demo.add_argument(
        "--out", type=Path, default=None, help="corpus folder (default: demo/ beside the database)"
    )
    demo.add_argument(
        "--progress",
        action="store_true",
        help="print `progress DONE TOTAL` on standard output after each file is ingested",
    )

    evaluate = commands.add_parser("evaluate", help="accuracy of the taggers on labeled records")
    evaluate.add_argument("labeled", type=Path, metavar="LABELED.jsonl")
    return parser


def print_summary(summary: RunSummary, db_path: Path) -> None:
    counts = summary.counts
    print(f"Ingested {summary.files} files into {db_path} (run {summary.run_id})")
    print(
        f"  inserted {counts.inserted}, updated {counts.updated}, unchanged {counts.unchanged}, "
        f"failed {summary.failed}, warnings {summary.warnings}"
    )
    if summary.first_errors:
        print("First errors:")
        for error in summary.first_errors:
            where = f"{error.origin} {error.location}".strip()
            print(f"  {where}: {error.message}")


def print_progress(done: int, total: int) -> None:
    print(f"progress {done} {total}", flush=True)


def _run_ingest(args: argparse.Namespace) -> int:
    db_path = args.db or default_db()
    summary = ingest(args.paths, db_path, fmt=args.format, source=args.source)
    print_summary(summary, db_path)
    return 1 if summary.failed else 0


def _run_demo(args: argparse.Namespace) -> int:
    from etl.demo import DEFAULT_ARTICLES, build_demo

    db_path = args.db or default_db()
    summary = build_demo(
        db_path,
        articles=args.articles or DEFAULT_ARTICLES,
        seed=args.seed,
        out_dir=args.out,
        progress=print_progress if args.progress else None,
    )
    print_summary(summary, db_path)
    return 1 if summary.failed else 0


def _run_evaluate(args: argparse.Namespace) -> int:
    from etl.evaluate import main as evaluate_main

    if not args.labeled.is_file():
        raise UsageError(f"{args.labeled}: no such file")
    return evaluate_main([str(args.labeled)])


def main(argv: list[str] | None = None) -> int:
    args = _parser().parse_args(argv)
    commands = {"ingest": _run_ingest, "demo": _run_demo, "evaluate": _run_evaluate}
    try:
        return commands[args.command](args)
    except UsageError as error:
        print(f"error: {error}", file=sys.stderr)
        return 2
    except StoreError as error:
        print(f"error: {error}", file=sys.stderr)
        return 1
    except KeyboardInterrupt:
        print("interrupted: the database was left as it was before this run", file=sys.stderr)
        return 130
