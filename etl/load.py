"""Bulk loading of enriched articles into DuckDB: one transaction per batch, Arrow in.

A batch is compared with what the database holds by `content_hash`: new articles are
inserted, changed ones replaced (with their tags), identical ones left alone. Search-index
analyses that came with the articles are stored with them (see `etl.search_index`).
"""

from __future__ import annotations

import contextlib
import json
from dataclasses import dataclass
from datetime import UTC, datetime

import duckdb
import pyarrow as pa

from etl.dedup import RecentTexts, assign_dup_groups
from etl.record import Article, IngestError
from etl.search_index import store_analyses


@dataclass
class BatchCounts:
    inserted: int = 0
    updated: int = 0
    unchanged: int = 0

    def add(self, other: BatchCounts) -> None:
        self.inserted += other.inserted
        self.updated += other.updated
        self.unchanged += other.unchanged


_ARTICLE_SCHEMA = pa.schema(
    [
        ("article_id", pa.string()),
        ("url", pa.string()),
        ("source", pa.string()),
        ("source_country", pa.string()),
        ("agency", pa.string()),
        ("cited_agencies", pa.list_(pa.string())),
        ("published_at", pa.timestamp("us")),
        ("ingested_at", pa.timestamp("us")),
        ("date_problem", pa.string()),
        ("language", pa.string()),
        ("language_hint", pa.string()),
        ("language_note", pa.string()),
        ("title", pa.string()),
        ("body", pa.string()),
        ("text_enriched", pa.bool_()),
        ("dup_group", pa.string()),
        ("dup_reason", pa.string()),
        ("origin", pa.string()),
        ("content_hash", pa.string()),
        ("extra", pa.string()),
    ]
)
_TAG_SCHEMA = {
    "article_countries": pa.schema(
        [
            ("article_id", pa.string()),
            ("country", pa.string()),
            ("mentions", pa.int32()),
            ("terms", pa.list_(pa.string())),
        ]
    ),
    "article_topics": pa.schema(
        [
            ("article_id", pa.string()),
            ("topic", pa.string()),
            ("score", pa.float64()),
            ("terms", pa.list_(pa.string())),
        ]
    ),
}


def _article_rows(articles: list[tuple[Article, str]], now: datetime) -> pa.Table:
    rows = []
    for article, content_hash in articles:
        rows.append(
            {
                "article_id": article.article_id,
                "url": article.url,
                "source": article.source,
                "source_country": article.source_country,
                "agency": article.agency,
                "cited_agencies": article.cited_agencies,
                "published_at": article.published_at,
                "ingested_at": now,
                "date_problem": article.date_problem,
                "language": article.language,
                "language_hint": article.language_hint,
                "language_note": article.language_note,
                "title": article.title,
                "body": article.body,
                "text_enriched": article.text_enriched,
                "dup_group": article.dup_group or article.article_id,
                "dup_reason": article.dup_reason,
                "origin": article.origin,
                "content_hash": content_hash,
                "extra": json.dumps(article.extra, ensure_ascii=False, default=str)
                if article.extra
                else None,
            }
        )
    return pa.Table.from_pylist(rows, schema=_ARTICLE_SCHEMA)


def _tag_rows(articles: list[Article]) -> dict[str, pa.Table]:
    countries, topics = [], []
    for article in articles:
        article_id = article.article_id
        for country, mentions in article.countries.items():
            terms = article.country_terms.get(country, [])
            countries.append(
                {"article_id": article_id, "country": country, "mentions": mentions, "terms": terms}
            )
        for topic, score in article.topics.items():
            terms = article.topic_terms.get(topic, [])
            topics.append(
                {"article_id": article_id, "topic": topic, "score": score, "terms": terms}
            )
    return {
        "article_countries": pa.Table.from_pylist(
            countries, schema=_TAG_SCHEMA["article_countries"]
        ),
        "article_topics": pa.Table.from_pylist(topics, schema=_TAG_SCHEMA["article_topics"]),
    }


def load_batch(
    con: duckdb.DuckDBPyConnection, articles: list[Article], recent: RecentTexts | None = None
) -> BatchCounts:
    """Write one batch in one transaction; returns what happened to each article. `recent`
    is the run's memory of the texts it wrote (see `etl.dedup.RecentTexts`)."""
    counts = BatchCounts()
    latest: dict[str, tuple[Article, str]] = {}
    for article in articles:
        if article.article_id in latest:
            counts.unchanged += 1  # the same article twice in one batch: the later copy wins
        latest[article.article_id] = (article, article.hashed or article.content_hash())
    if not latest:
        return counts
    con.register("ids", pa.table({"article_id": list(latest)}))
    stored = dict(
        con.execute(
            "SELECT article_id, content_hash FROM articles JOIN ids USING (article_id)"
        ).fetchall()
    )
    changed = [item for key, item in latest.items() if key in stored and stored[key] != item[1]]
    new = [item for key, item in latest.items() if key not in stored]
    counts.unchanged += len(latest) - len(changed) - len(new)
    counts.updated, counts.inserted = len(changed), len(new)
    to_write = changed + new
    if not to_write:
        con.unregister("ids")
        return counts

    con.execute("BEGIN TRANSACTION")
    try:
        assign_dup_groups(con, [article for article, _ in to_write], recent)
        if changed:
            changed_ids = pa.table({"article_id": [article.article_id for article, _ in changed]})
            con.register("changed_ids", changed_ids)
            for table in ("article_countries", "article_topics", "articles"):
                con.execute(
                    f"DELETE FROM {table} WHERE article_id IN (SELECT article_id FROM changed_ids)"
                )
            con.unregister("changed_ids")
        now = datetime.now(UTC).replace(tzinfo=None)
        con.register("incoming_articles", _article_rows(to_write, now))
        con.execute("INSERT INTO articles BY NAME SELECT * FROM incoming_articles")
        for table, rows in _tag_rows([article for article, _ in to_write]).items():
            con.register("incoming_tags", rows)
            con.execute(f"INSERT INTO {table} BY NAME SELECT * FROM incoming_tags")
            con.unregister("incoming_tags")
        analyzed = [(a.article_id, a.analysis) for a, _ in to_write if a.analysis is not None]
        # Workers report each word form once per run, with the first article that had it:
        # keep the forms of every analysis, also of an earlier copy of an article in the batch.
        met = [article.analysis for article in articles if article.analysis is not None]
        if met:
            store_analyses(con, analyzed, met)
        con.execute("COMMIT")
    except Exception:
        with contextlib.suppress(duckdb.TransactionException):  # already aborted (disk full)
            con.execute("ROLLBACK")
        raise
    finally:
        for name in ("ids", "incoming_articles"):
            con.unregister(name)
    return counts


def record_errors(con: duckdb.DuckDBPyConnection, run_id: str, errors: list[IngestError]) -> None:
    if not errors:
        return
    rows = pa.Table.from_pylist(
        [
            {
                "run_id": run_id,
                "origin": error.origin,
                "location": error.location,
                "message": error.message,
                "severity": error.severity,
            }
            for error in errors
        ]
    )
    con.register("incoming_errors", rows)
    con.execute("INSERT INTO ingest_errors BY NAME SELECT * FROM incoming_errors")
    con.unregister("incoming_errors")
