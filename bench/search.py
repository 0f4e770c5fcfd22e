"""Search benchmark: query latency on a large synthetic corpus, and the index build time.

    python -m bench.search queries --articles 1000000     # page + coverage chart per query
    python -m bench.search build --articles 100000        # update_search_index: full, then +1%

`queries` builds (once, then reuses) a synthetic database in bench/out/ directly with SQL:
articles of Zipf-distributed words from per-language vocabularies (pseudo-words plus real
Bulgarian, Russian and English words at chosen frequency ranks), whose index tokens come from
the real analyzer; the FTS index is built the way the ingest builds it. `build` writes
synthetic articles with surface text and times the real `update_search_index`.
Medians of warm runs are printed; nothing here is a test.
"""

from __future__ import annotations

import argparse
import os
import random
import statistics
import time
from pathlib import Path

import duckdb
import pyarrow as pa

from analytics.database import Database
from analytics.search import compile_search, ranked_matches
from etl.schema import migrate
from etl.search_index import (
    INDEX_SCHEMA,
    IndexUpdate,
    build_fts,
    index_token,
    update_search_index,
)

OUT = Path(__file__).parent / "out"
VOCABULARY_SIZE = 20_000
LANGUAGE_SHARES = {"bg": 0.5, "ru": 0.2, "en": 0.3}
SOURCES = 200
# Real words placed at a frequency rank: rank r is drawn with probability ~ 1 / (r ln V) per
# word, so rank 100 lands in ~14% of articles and rank 2000 in ~1%.
REAL_WORDS = {
    "bg": {
        "НАТО": 150,
        "Украйна": 120,
        "украинските": 900,
        "санкции": 300,
        "санкциите": 700,
        "Русия": 80,
        "спорт": 1_500,
        "сътрудничество": 1_200,
        "сътрудничеството": 2_500,
        "Европейски": 400,
        "съюз": 200,
        "война": 250,
        "войната": 350,
        "и": 1,
        "в": 2,
        "на": 3,
    },
    "ru": {
        "НАТО": 150,
        "Украина": 120,
        "санкции": 300,
        "России": 90,
        "спорт": 1_500,
        "сотрудничество": 1_200,
        "война": 250,
        "и": 1,
        "в": 2,
    },
    "en": {
        "NATO": 150,
        "Ukraine": 120,
        "sanctions": 300,
        "Russia": 80,
        "sport": 1_500,
        "cooperation": 1_200,
        "European": 400,
        "Union": 200,
        "war": 250,
        "the": 1,
        "of": 2,
    },
}
QUERIES = [
    "(НАТО OR NATO) AND Украйна NOT спорт",
    "санкции Русия",
    '"Европейски съюз"',
    "украин* AND title:война",
    "lang:bg AND сътрудничество",
    "(sanctions OR санкции) AND source:source-17",
    "Украйна OR Ukraine OR Украина",
]
COVERAGE_SQL = (
    "SELECT date_trunc('day', a.published_at) AS day, count(*) AS articles "
    "FROM articles a WHERE {clause} GROUP BY ALL ORDER BY 1"
)
_LETTERS = {
    "bg": "абвгдежзиклмнопрстуфхцчшщъюя",
    "ru": "абвгдежзиклмнопрстуфхцчшщыэюя",
    "en": "abcdefghiklmnoprstuvwyz",
}


def pseudo_word(rng: random.Random, letters: str) -> str:
    return "".join(rng.choice(letters) for _ in range(rng.randint(4, 10)))


def vocabulary(con: duckdb.DuckDBPyConnection) -> None:
    """Table vocab(language, rank, surface, token), ranks 1..VOCABULARY_SIZE per language."""
    rng = random.Random(7)
    rows = []
    for language in LANGUAGE_SHARES:
        words = {rank: word for word, rank in REAL_WORDS[language].items()}
        for rank in range(1, VOCABULARY_SIZE + 1):
            word = words.get(rank) or pseudo_word(rng, _LETTERS[language])
            rows.append((language, rank, word, index_token(word, language)))
    names = ["language", "rank", "surface", "token"]
    table = pa.table({name: [row[i] for row in rows] for i, name in enumerate(names)})
    con.register("vocab_rows", table)
    con.execute("CREATE OR REPLACE TABLE vocab AS SELECT * FROM vocab_rows")
    con.unregister("vocab_rows")


def synthetic_articles(con: duckdb.DuckDBPyConnection, articles: int, with_lemmas: bool) -> None:
    """Fill `articles` (and `article_search` when with_lemmas) with synthetic rows."""
    vocabulary(con)
    bounds = []
    start = 0.0
    for language, share in LANGUAGE_SHARES.items():
        bounds.append(f"WHEN u < {start + share} THEN '{language}'")
        start += share
    rank = f"least({VOCABULARY_SIZE}, (exp(random() * ln({VOCABULARY_SIZE})))::INTEGER)"
    con.execute(
        f"""
        CREATE OR REPLACE TEMP TABLE drafts AS
        SELECT 'art-' || i AS article_id, CASE {" ".join(bounds)} END AS language,
               'source-' || (i % {SOURCES}) AS source,
               TIMESTAMP '2024-01-01' + to_seconds((random() * 730 * 86400)::BIGINT)
                   AS published_at,
               list_transform(range(8), x -> {rank}) AS title_ranks,
               list_transform(range(60 + (random() * 180)::INTEGER), x -> {rank}) AS body_ranks
        FROM (SELECT i, random() AS u FROM range({articles}) r(i))
        """
    )
    text = "array_to_string(list_transform({ranks}, r -> v.{column}[r]), ' ')"
    # One language at a time: a cross join with a one-row vocabulary keeps its lists shared.
    vocabulary_row = (
        "WITH v AS (SELECT list(surface ORDER BY rank) AS surface, "
        "list(token ORDER BY rank) AS token FROM vocab WHERE language = $language)"
    )
    for language in LANGUAGE_SHARES:
        con.execute(
            f"""
            INSERT INTO articles (article_id, source, published_at, ingested_at, language,
                                  title, body)
            {vocabulary_row}
            SELECT d.article_id, d.source, d.published_at, now()::TIMESTAMP, d.language,
                   {text.format(ranks="d.title_ranks", column="surface")},
                   {text.format(ranks="d.body_ranks", column="surface")}
            FROM drafts d, v WHERE d.language = $language
            """,
            {"language": language},
        )
        if with_lemmas:
            con.execute(
                f"""
                INSERT INTO article_search
                {vocabulary_row}
                SELECT d.article_id, d.language, 'synthetic',
                       {text.format(ranks="d.title_ranks", column="token")},
                       {text.format(ranks="d.body_ranks", column="token")}
                FROM drafts d, v WHERE d.language = $language
                """,
                {"language": language},
            )
    con.execute("DROP TABLE drafts")
    if with_lemmas:
        fill_forms(con)


def fill_forms(con: duckdb.DuckDBPyConnection) -> None:
    """search_forms from the vocabulary: each word and each lemma, to its token."""
    con.execute(
        "INSERT INTO search_forms SELECT DISTINCT form, token FROM ("
        "SELECT lower(surface) AS form, token FROM vocab UNION ALL "
        "SELECT substr(token, strpos(token, ':') + 1), token FROM vocab) ORDER BY form"
    )


def build_query_database(path: Path, articles: int) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.unlink(missing_ok=True)
    with duckdb.connect(str(path)) as con:
        migrate(con)
        started = time.perf_counter()
        synthetic_articles(con, articles, with_lemmas=True)
        generated = time.perf_counter() - started
        started = time.perf_counter()
        build_fts(con)
        indexed = time.perf_counter() - started
        tokens = con.execute(f"SELECT count(*) FROM {INDEX_SCHEMA}.terms").fetchone()[0]
    print(
        f"built {articles:,} articles ({tokens:,} tokens): generate {generated:.0f} s, "
        f"FTS index with positions {indexed:.0f} s, "
        f"file {path.stat().st_size / 2**20:,.0f} MiB"
    )


def timed(action, runs: int) -> tuple[float, float, object]:
    """Median wall-clock and CPU milliseconds of warm runs, and the last result.

    CPU time (all of DuckDB's threads) tells the work apart from waiting for a busy machine.
    """
    result = action()  # warm-up
    walls, cpus = [], []
    for _ in range(runs):
        wall, cpu = time.perf_counter(), time.process_time()
        result = action()
        walls.append(time.perf_counter() - wall)
        cpus.append(time.process_time() - cpu)
    return statistics.median(walls) * 1000, statistics.median(cpus) * 1000, result


def run_queries(path: Path, runs: int) -> None:
    """Per query: its first page by relevance, then its daily coverage (what a page shows)."""
    db = Database(path)
    print(f"load average before: {os.getloadavg()[0]:.1f} on {os.cpu_count()} cores")
    print(f"{'query':46} {'matches':>8} {'page ms':>14} {'chart ms':>14} {'total ms':>14}")
    print(f"{'':46} {'':>8} {'wall':>7}{'cpu':>7} {'wall':>7}{'cpu':>7} {'wall':>7}{'cpu':>7}")
    for query in QUERIES:
        compiled = compile_search(query)
        clause, params = compiled.clause("a")

        def page(compiled=compiled):
            return ranked_matches(db, compiled, limit=50)

        def chart(clause=clause, params=params):
            return db.rows(COVERAGE_SQL.format(clause=clause), params)

        page_wall, page_cpu, _ = timed(page, runs)
        chart_wall, chart_cpu, days = timed(chart, runs)
        matches = sum(count for _, count in days)
        print(
            f"{query:46} {matches:>8,} {page_wall:>7.0f}{page_cpu:>7.0f} "
            f"{chart_wall:>7.0f}{chart_cpu:>7.0f} "
            f"{page_wall + chart_wall:>7.0f}{page_cpu + chart_cpu:>7.0f}"
        )
    print(f"load average after: {os.getloadavg()[0]:.1f}")


def run_build(path: Path, articles: int) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.unlink(missing_ok=True)
    print(f"load average before: {os.getloadavg()[0]:.1f} on {os.cpu_count()} cores")
    with duckdb.connect(str(path)) as con:
        migrate(con)
        synthetic_articles(con, articles, with_lemmas=False)
        full = update_search_index(con)
        print(f"full build of {articles:,} articles: {describe(full)}")
        con.execute(
            "UPDATE articles SET body = body || ' обновено' WHERE article_id IN "
            "(SELECT article_id FROM articles USING SAMPLE 1 PERCENT (bernoulli, 3))"
        )
        print(f"update after 1% changed: {describe(update_search_index(con))}")
        print(f"update with nothing changed: {describe(update_search_index(con))}")
    print(f"load average after: {os.getloadavg()[0]:.1f}")


def describe(update: IndexUpdate) -> str:
    return (
        f"{update.seconds:.1f} s, of which FTS index {update.index_seconds:.1f} s "
        f"({update.analyzed:,} analyzed, index {update.index})"
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("mode", choices=["queries", "build"])
    parser.add_argument("--articles", type=int, default=100_000)
    parser.add_argument("--runs", type=int, default=7)
    parser.add_argument("--rebuild", action="store_true", help="rebuild the query database")
    args = parser.parse_args()
    if args.mode == "build":
        run_build(OUT / f"search-build-{args.articles}.duckdb", args.articles)
        return
    path = OUT / f"search-{args.articles}.duckdb"
    if args.rebuild or not path.exists():
        build_query_database(path, args.articles)
    run_queries(path, args.runs)


if __name__ == "__main__":
    main()
