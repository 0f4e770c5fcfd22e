"""The query layer from the command line, for scripting.

    python -m analytics search QUERY [--db FILE] [--limit N] [--order relevance|date]

prints the matching articles as CSV on standard output (article_id, published_at, source,
title, score). A query with a syntax error exits with status 2 and says where the problem
is; a database that cannot be read exits with status 1.
"""

from __future__ import annotations

import argparse
import csv
import os
import sys
from pathlib import Path

import pandas as pd

from analytics.database import Database, DatabaseUnavailable, database_path
from analytics.export import neutralize
from analytics.search import (
    ORDERS,
    SearchSyntaxError,
    compile_search,
    pointed,
    ranked_matches,
)

COLUMNS = ("article_id", "published_at", "source", "title", "score")
MAX_LIMIT = 100_000
SYNTAX_HELP = """query syntax:
  words             санкции Русия            all words must occur (any form of the word)
  "a phrase"        "Европейски съюз"        the words in this order
  AND OR NOT ( )    (НАТО OR NATO) AND Украйна NOT спорт   (upper case only)
  prefix*           украин*                  words starting with these letters
  title:WORD        title:санкции            in the title (also title:"a phrase")
  source:NAME       source:dnevnik.bg        from this source (source:dnev* too)
  lang:CODE         lang:bg                  in this language"""


def _limit(text: str) -> int:
    try:
        value = int(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"not a whole number: {text!r}") from None
    if not 1 <= value <= MAX_LIMIT:
        raise argparse.ArgumentTypeError(f"must be between 1 and {MAX_LIMIT:,}")
    return value


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="python -m analytics", description=__doc__)
    commands = parser.add_subparsers(dest="command", required=True)
    search = commands.add_parser(
        "search",
        help="print the articles matching a search query as CSV",
        epilog=SYNTAX_HELP,
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    search.add_argument("query", help="the search query (quote it for the shell)")
    search.add_argument(
        "--db", type=Path, help="the database file (default: $MONITOR_DB or data/monitor.duckdb)"
    )
    search.add_argument("--limit", type=_limit, default=50, help="at most this many rows (50)")
    search.add_argument("--order", choices=list(ORDERS), default="relevance")
    return parser


def _syntax_error(query: str, error: SearchSyntaxError) -> str:
    lines = pointed(query, error).splitlines()
    return "\n".join([f"search syntax error: {error}", *(f"  {line}" for line in lines)])


def _csv_rows(frame: pd.DataFrame):
    for row in frame.itertuples(index=False):
        published = row.published_at
        yield [
            neutralize(row.article_id),
            "" if pd.isna(published) else published.strftime("%Y-%m-%dT%H:%M:%SZ"),
            neutralize(row.source or ""),
            neutralize(row.title or ""),
            f"{row.score:.4f}",
        ]


def search(args: argparse.Namespace) -> int:
    try:
        compiled = compile_search(args.query)
    except SearchSyntaxError as error:
        print(_syntax_error(args.query, error), file=sys.stderr)
        return 2
    try:
        db = Database(args.db or database_path())
        frame = ranked_matches(db, compiled, order=args.order, limit=args.limit)
    except DatabaseUnavailable as error:
        print(f"error: {error}", file=sys.stderr)
        return 1
    writer = csv.writer(sys.stdout, lineterminator="\n")
    writer.writerow(COLUMNS)
    writer.writerows(_csv_rows(frame))
    return 0


def main(argv: list[str] | None = None) -> int:
    args = _parser().parse_args(argv)
    sys.stdout.reconfigure(encoding="utf-8")
    try:
        return search(args)
    except BrokenPipeError:  # the reader (e.g. `head`) stopped early: not an error
        os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
        return 0


if __name__ == "__main__":
    sys.exit(main())
