"""A small hand-written corpus in Bulgarian, Russian and English for the search tests, and
tests of the index build itself (`etl/search_index.py`): incremental updates, positions,
and BM25 equal to the FTS extension's own.
"""

from __future__ import annotations

import json
import subprocess
import sys
from datetime import date, datetime
from pathlib import Path

import duckdb
import pytest

from analytics.database import Database
from analytics.search import compile_search, ranked_matches
from etl import search_index
from etl.demo import write_corpus
from etl.pipeline import ingest
from etl.schema import migrate
from etl.search_index import (
    INDEX_SCHEMA,
    build_fts,
    index_exists,
    index_token,
    load_fts,
    update_search_index,
)
from etl.summaries import refresh_summaries

# (article_id, language, source, published_at, title, body)
CORPUS = [
    (
        "bg-sanctions",
        "bg",
        "dnevnik.bg",
        datetime(2026, 3, 2, 9),
        "ЕС одобри нови санкции срещу Русия",
        "Европейският съюз одобри нов пакет санкции срещу Русия.\n"
        "Санкциите засягат енергетиката и банките.",
    ),
    (
        "bg-nato",
        "bg",
        "bnr.bg",
        datetime(2026, 3, 3, 12),
        "НАТО и Украйна задълбочават сътрудничеството",
        "Сътрудничеството между НАТО и Украйна ще продължи и през следващата година, "
        "заяви генералният секретар.",
    ),
    (
        "bg-farmers",
        "bg",
        "dnevnik.bg",
        datetime(2026, 3, 9, 8),
        "Украинските зърнопроизводители протестират",
        "Украинските фермери блокираха граничния пункт заради спор за вноса на зърно.",
    ),
    (
        "bg-football",
        "bg",
        "sport.bg",
        datetime(2026, 3, 10, 20),
        "Спорт: Украйна би България",
        "Футболният отбор на Украйна спечели приятелския мач. Стадионът е близо до база на "
        "НАТО. Феновете на Украйната празнуваха.",
    ),
    (
        "bg-budget",
        "bg",
        "bnr.bg",
        datetime(2026, 3, 11, 7),
        "Правителството обсъди бюджета",
        "Министрите обсъдиха данъците и заплатите в образованието.",
    ),
    (
        "ru-sanctions",
        "ru",
        "ria.example",
        datetime(2026, 3, 2, 15),
        "Евросоюз ввёл новые санкции против России",
        "Новые санкции затронут банковский сектор.",
    ),
    (
        "ru-nato",
        "ru",
        "tass.example",
        datetime(2026, 3, 4, 10),
        "НАТО и Украина: сотрудничество",
        "Сотрудничество НАТО с Украиной будет расширено.",
    ),
    (
        "en-nato",
        "en",
        "example.com",
        datetime(2026, 3, 3, 18),
        "NATO allies pledge support for Ukraine",
        "NATO members agreed on new cooperation with Ukraine. Sanctions on Russia stay.",
    ),
    (
        "en-football",
        "en",
        "sport.example",
        datetime(2026, 3, 12, 21),
        "Football: Ukraine beats Bulgaria",
        "Sport news: the Ukraine national team won the friendly match.",
    ),
    (
        "en-hostile",
        "en",
        "hostile.example",
        None,
        "Robert'); DROP TABLE articles;--",
        "<script>alert('x')</script> 100% of _underscores_ and a back\\slash; \"quotes\" too.",
    ),
    (
        "xx-unknown",
        None,
        "unknown.example",
        datetime(2026, 2, 1),
        "Zxqv report",
        "Plain words in an undetected language: Zxqv blorft.",
    ),
]


def insert_articles(con: duckdb.DuckDBPyConnection, rows) -> None:
    con.executemany(
        "INSERT INTO articles (article_id, language, source, published_at, ingested_at, "
        "title, body, dup_group) VALUES (?, ?, ?, ?, now()::TIMESTAMP, ?, ?, ?)",
        [[*row, row[0]] for row in rows],
    )


def build_search_db(path: Path) -> Path:
    """A database file with the corpus loaded through the shared schema, indexed and
    summarized as a publish leaves it."""
    with duckdb.connect(str(path)) as con:
        migrate(con)
        insert_articles(con, CORPUS)
        update_search_index(con)
        refresh_summaries(con)
    return path


@pytest.fixture
def con(tmp_path):
    connection = duckdb.connect(str(build_search_db(tmp_path / "search.duckdb")))
    yield connection
    connection.close()


def found(con, query: str) -> set[str]:
    """Articles matching the query, straight from a writable connection."""
    return {row[0] for row in con.execute(*compile_search(query).matches()).fetchall()}


def test_update_is_incremental(con):
    unchanged = update_search_index(con)
    assert (unchanged.analyzed, unchanged.removed, unchanged.index) == (0, 0, "unchanged")

    insert_articles(
        con,
        [("bg-new", "bg", "bnr.bg", datetime(2026, 3, 13), "Нови санкции", "Още санкции.")],
    )
    con.execute(
        "UPDATE articles SET body = 'Бюджетът за отбраната расте.' WHERE article_id = 'bg-budget'"
    )
    con.execute("DELETE FROM articles WHERE article_id = 'bg-sanctions'")
    update = update_search_index(con)

    assert (update.analyzed, update.removed, update.index) == (2, 1, "rebuilt")  # 3 of 11
    assert found(con, "санкция") == {"bg-new", "ru-sanctions"}
    assert found(con, "отбрана") == {"bg-budget"}
    assert found(con, "образование") == set()


def test_language_change_reanalyzes_the_article(con):
    con.execute("UPDATE articles SET language = 'ru' WHERE article_id = 'bg-farmers'")
    assert update_search_index(con).analyzed == 1
    tokens = con.execute(
        "SELECT title_lemmas FROM article_search WHERE article_id = 'bg-farmers'"
    ).fetchone()[0]
    assert tokens.startswith("ru:")


def test_index_of_an_empty_database_exists_and_matches_nothing(tmp_path):
    with duckdb.connect(str(tmp_path / "empty.duckdb")) as con:
        migrate(con)
        assert not index_exists(con)
        update_search_index(con)
        assert index_exists(con)
        assert found(con, "санкции") == set()


def test_every_token_occurrence_has_one_position(con):
    total, distinct, lengths = con.execute(
        f"SELECT count(*), count(DISTINCT (docid, fieldid, pos)), "
        f"(SELECT sum(len) FROM {INDEX_SCHEMA}.docs) FROM {INDEX_SCHEMA}.terms"
    ).fetchone()
    assert total == distinct == lengths


@pytest.mark.parametrize(
    ("query", "words"),
    [
        ("санкция", ["санкция"]),
        ("НАТО Украйна", ["НАТО", "Украйна"]),
        ("Ukraine OR sport", ["Ukraine", "sport"]),
    ],
)
def test_score_is_the_extensions_bm25(con, query, words):
    ours = dict(con.execute(*compile_search(query).matches()).fetchall())
    languages = ["bg", "en", "ru", "und"]
    tokens = " ".join(index_token(word, tag) for tag in languages for word in words)
    load_fts(con)
    theirs = dict(
        con.execute(
            f"SELECT article_id, {INDEX_SCHEMA}.match_bm25(article_id, ?) FROM article_search",
            [tokens],
        ).fetchall()
    )
    assert ours
    for article_id, score in ours.items():
        assert score == pytest.approx(theirs[article_id])


def test_forms_map_words_and_lemmas_to_tokens(con):
    forms = set(con.execute("SELECT form, token FROM search_forms").fetchall())
    assert {("санкциите", "bg:санкция"), ("санкция", "bg:санкция")} <= forms
    assert ("санкции", "ru:санкция") in forms
    assert ("украинските", "bg:украински") in forms
    assert not any(form == "украйна" and token != "bg:украйна" for form, token in forms)


def test_forms_of_deleted_articles_go_with_a_full_reanalysis(con):
    con.execute("DELETE FROM articles WHERE article_id <> 'bg-budget'")
    con.execute("UPDATE articles SET language = 'ru'")
    update_search_index(con)
    tokens = {token for (token,) in con.execute("SELECT token FROM search_forms").fetchall()}
    assert tokens and all(token.startswith("ru:") for token in tokens)


def test_search_over_a_real_ingest(tmp_path):
    records = [
        {
            "url": "https://news.example.bg/sanctions",
            "title": "Нови санкции срещу Русия",
            "text": "Европейският съюз одобри днес нов пакет санкции срещу Русия. "
            "Санкциите засягат енергетиката, банките и износа на технологии.",
            "date": "2026-03-02T09:00:00Z",
            "lang": "bg",
            "source": "news.example.bg",
        },
        {
            "url": "https://news.example.ru/sanctions",
            "title": "Новые санкции против России",
            "text": "Европейский союз сегодня утвердил новый пакет санкций против России. "
            "Санкции затрагивают энергетику, банки и экспорт технологий.",
            "date": "2026-03-02T12:00:00Z",
            "lang": "ru",
            "source": "news.example.ru",
        },
    ]
    inputs = tmp_path / "articles.jsonl"
    inputs.write_text("\n".join(json.dumps(r, ensure_ascii=False) for r in records), "utf-8")
    db_path = tmp_path / "monitor.duckdb"
    ingest([inputs], db_path)
    db = Database(db_path)
    assert set(ranked_matches(db, "санкция")["article_id"]) == set(
        ranked_matches(db, "санкции OR санкций")["article_id"]
    )
    assert len(ranked_matches(db, "санкция")) == 2
    assert list(ranked_matches(db, '"пакет санкции" lang:bg')["source"]) == ["news.example.bg"]
    del db
    ingest([inputs], db_path)  # a rerun changes nothing, the index included
    with duckdb.connect(str(db_path)) as con:
        assert update_search_index(con).index == "unchanged"


def index_contents(con) -> dict:
    """The index as a rebuild defines it, independent of internal term and document ids."""
    index = INDEX_SCHEMA
    return {
        "dict": sorted(con.execute(f"SELECT term, df FROM {index}.dict").fetchall()),
        "docs": sorted(con.execute(f"SELECT name, len FROM {index}.docs").fetchall()),
        "terms": sorted(
            con.execute(
                f"SELECT t.term, d.name, o.fieldid, o.pos FROM {index}.terms o "
                f"JOIN {index}.dict t USING (termid) JOIN {index}.docs d USING (docid)"
            ).fetchall()
        ),
        "stats": con.execute(f"SELECT num_docs, round(avgdl, 9) FROM {index}.stats").fetchall(),
        "facts": sorted(
            con.execute(
                f"SELECT d.name, f.language, f.source FROM {index}.facts f "
                f"JOIN {index}.docs d USING (docid)"
            ).fetchall()
        ),
        "forms": sorted(
            con.execute(
                f"SELECT f.form, t.term, f.df FROM {index}.forms f "
                f"JOIN {index}.dict t USING (termid)"
            ).fetchall()
        ),
    }


def test_a_patched_index_equals_a_rebuilt_one(con, monkeypatch):
    monkeypatch.setattr(search_index, "PATCH_SHARE", 1.0)
    insert_articles(
        con,
        [
            ("bg-new", "bg", "bnr.bg", datetime(2026, 3, 13), "Нови санкции", "Още санкции."),
            ("ru-new", "ru", "ria.example", None, "", "Совсем новое слово: квазиплюмбум."),
        ],
    )
    con.execute("UPDATE articles SET title = 'НАТО и Украйна' WHERE article_id = 'ru-nato'")
    con.execute("DELETE FROM articles WHERE article_id IN ('bg-sanctions', 'xx-unknown')")
    queries = ["санкция", '"НАТО и Украйна"', "квазиплюмбум", "zxqv", "lang:ru NOT НАТО"]

    update = update_search_index(con)
    assert (update.analyzed, update.removed, update.index) == (3, 2, "patched")
    patched = index_contents(con)
    patched_results = [found(con, query) for query in queries]
    assert patched_results[2] == {"ru-new"} and patched_results[3] == set()

    build_fts(con)
    assert index_contents(con) == patched
    assert [found(con, query) for query in queries] == patched_results


def test_many_changes_rebuild_the_index(con):
    con.execute("UPDATE articles SET body = body || ' Обновено.'")
    assert update_search_index(con).index == "rebuilt"


def search_tables(con) -> dict:
    return {
        "article_search": sorted(con.execute("SELECT * FROM article_search").fetchall()),
        "search_forms": sorted(con.execute("SELECT form, token FROM search_forms").fetchall()),
        **index_contents(con),
    }


def test_analysis_made_by_the_ingest_workers_equals_the_indexers_own(tmp_path):
    """The ingest's workers analyze articles and report each word form once per run, spread
    over many batches; the index must come out as if the indexer had analyzed every article
    itself. The second run brings files already loaded (unchanged) and new ones.

    The ingests run in a fresh interpreter: multiprocessing starts workers by importing the
    parent's `__main__`, which in this test process may be a dashboard script AppTest ran."""
    files = write_corpus(tmp_path / "corpus", 200, end=date(2026, 3, 31))
    db_path = tmp_path / "monitor.duckdb"
    halves = [[str(f) for f in files[: len(files) // 2]], [str(f) for f in files]]
    script = (
        "import sys; from pathlib import Path; from etl import pipeline\n"
        "pipeline.PARALLEL_MIN_BYTES = 0  # the worker pool, even for a few files\n"
        "pipeline.BATCH_SIZE = 20\n"
        f"for paths in {halves!r}:\n"
        f"    pipeline.ingest([Path(p) for p in paths], Path({str(db_path)!r}))\n"
    )
    root = Path(__file__).resolve().parents[1]
    subprocess.run([sys.executable, "-c", script], cwd=root, check=True, timeout=600)
    with duckdb.connect(str(db_path)) as con:
        load_fts(con)
        by_workers = search_tables(con)
        con.execute("DELETE FROM article_search")
        con.execute("DELETE FROM search_forms")
        assert update_search_index(con).analyzed == by_workers["stats"][0][0]
        assert search_tables(con) == by_workers
