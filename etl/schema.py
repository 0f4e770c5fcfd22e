"""The DuckDB schema: the contract between the ETL and the query layer, with in-place migrations.

Each migration is a list of statements; `migrate()` applies the ones an older file lacks, in
order, inside one transaction per version, and records each in `schema_version`.
"""

from __future__ import annotations

import duckdb

MIGRATIONS: list[tuple[int, str, list[str]]] = [
    (
        1,
        "articles, tags, topics, ingest runs and errors",
        [
            """
            CREATE TABLE articles (
                article_id VARCHAR PRIMARY KEY,
                url VARCHAR,
                source VARCHAR,
                source_country VARCHAR,
                agency VARCHAR,
                cited_agencies VARCHAR[],
                published_at TIMESTAMP,          -- UTC
                ingested_at TIMESTAMP NOT NULL,  -- UTC
                date_problem VARCHAR,
                language VARCHAR,
                language_hint VARCHAR,
                language_note VARCHAR,
                title VARCHAR,
                body VARCHAR,
                text_enriched BOOLEAN,
                dup_group VARCHAR,
                dup_reason VARCHAR,
                origin VARCHAR,
                content_hash VARCHAR,
                extra JSON
            )
            """,
            """
            CREATE TABLE article_countries (
                article_id VARCHAR NOT NULL,
                country VARCHAR NOT NULL,  -- ISO 3166-1 alpha-2
                mentions INTEGER NOT NULL,
                terms VARCHAR[]            -- the words in the text that named the country
            )
            """,
            """
            CREATE TABLE article_topics (
                article_id VARCHAR NOT NULL,
                topic VARCHAR NOT NULL,
                score DOUBLE NOT NULL,
                terms VARCHAR[]            -- the rule terms that matched
            )
            """,
            "CREATE TABLE topics (topic VARCHAR PRIMARY KEY, label VARCHAR NOT NULL)",
            """
            CREATE TABLE ingest_runs (
                run_id VARCHAR PRIMARY KEY,
                started_at TIMESTAMP NOT NULL,
                finished_at TIMESTAMP,
                inputs VARCHAR[],
                files INTEGER,
                inserted INTEGER,
                updated INTEGER,
                unchanged INTEGER,
                failed INTEGER
            )
            """,
            """
            CREATE TABLE ingest_errors (
                run_id VARCHAR NOT NULL,
                origin VARCHAR NOT NULL,   -- the input file
                location VARCHAR,          -- line, item or offset within it
                message VARCHAR NOT NULL,
                severity VARCHAR NOT NULL  -- error: nothing loaded from there; warning: loaded
            )
            """,
            "CREATE INDEX article_countries_article ON article_countries (article_id)",
            "CREATE INDEX article_topics_article ON article_topics (article_id)",
        ],
    ),
    (
        2,
        "analyzed text for full-text search (filled by etl/search_index.py)",
        [
            """
            CREATE TABLE article_search (
                article_id VARCHAR NOT NULL,
                language VARCHAR NOT NULL,       -- the tag of every token: ISO 639 code or 'und'
                analyzed_hash VARCHAR NOT NULL,  -- fingerprint of the language, title and body
                title_lemmas VARCHAR NOT NULL,   -- 'bg:санкция bg:срещу bg:русия': tag:lemma tokens
                body_lemmas VARCHAR NOT NULL
            )
            """,
        ],
    ),
    (
        3,
        "duplicate detection keys (filled by etl/dedup.py)",
        [
            """
            CREATE TABLE dedup_keys (
                article_id VARCHAR NOT NULL,
                published_at TIMESTAMP,
                language VARCHAR,
                url_key VARCHAR,     -- the URL with mobile/AMP variants folded
                title_key BIGINT     -- hash of the normalized headline; NULL when too short
            )
            """,
            """
            CREATE TABLE dedup_bands (
                band_hash INTEGER NOT NULL,      -- one LSH band of the text's MinHash
                article_id VARCHAR NOT NULL,
                published_at TIMESTAMP NOT NULL
            )
            """,
        ],
    ),
    (
        4,
        "word forms for search (filled by etl/search_index.py)",
        [
            """
            CREATE TABLE search_forms (
                form VARCHAR NOT NULL,   -- a case-folded word as some article has it, or a lemma
                token VARCHAR NOT NULL   -- the index token it stands for, e.g. 'bg:санкция'
            )
            """,
        ],
    ),
    (
        5,
        "integer keys and summaries for the dashboard (refreshed by etl/summaries.py)",
        [
            """
            CREATE TABLE article_facts (     -- articles in published_at order, narrow
                article_key INTEGER NOT NULL, -- dense, in published_at order (undated last)
                story_key INTEGER,            -- dense per dup_group
                article_id VARCHAR NOT NULL,
                published_at TIMESTAMP,
                source VARCHAR,
                source_country VARCHAR,
                agency VARCHAR,
                language VARCHAR,
                dup_group VARCHAR
            )
            """,
            """
            CREATE TABLE topic_facts (       -- article_topics keyed, in published_at order
                article_key INTEGER NOT NULL,
                story_key INTEGER,
                published_at TIMESTAMP,
                topic VARCHAR NOT NULL
            )
            """,
            """
            CREATE TABLE country_facts (     -- article_countries keyed, in published_at order
                article_key INTEGER NOT NULL,
                story_key INTEGER,
                published_at TIMESTAMP,
                country VARCHAR NOT NULL
            )
            """,
            """
            CREATE TABLE facet_counts (      -- each facet value over all articles
                facet VARCHAR NOT NULL,       -- a name of analytics.filters.FACETS
                value VARCHAR NOT NULL,
                stories BIGINT NOT NULL,
                placements BIGINT NOT NULL
            )
            """,
            """
            CREATE TABLE facet_pairs (       -- each facet value among the articles of one
                facet VARCHAR NOT NULL,       -- topic or country (`value`)
                value VARCHAR NOT NULL,
                other VARCHAR NOT NULL,       -- another facet
                other_value VARCHAR NOT NULL,
                stories BIGINT NOT NULL,
                placements BIGINT NOT NULL
            )
            """,
            """
            CREATE TABLE corpus_counts (     -- one row: all articles
                stories BIGINT NOT NULL,
                placements BIGINT NOT NULL,
                sources BIGINT NOT NULL,
                countries BIGINT NOT NULL
            )
            """,
        ],
    ),
]

LATEST_VERSION = MIGRATIONS[-1][0]


def current_version(con: duckdb.DuckDBPyConnection) -> int:
    """The schema version of an open database; 0 for an empty file."""
    has_table = con.execute(
        "SELECT count(*) FROM information_schema.tables WHERE table_name = 'schema_version'"
    ).fetchone()[0]
    if not has_table:
        return 0
    return con.execute("SELECT coalesce(max(version), 0) FROM schema_version").fetchone()[0]


def migrate(con: duckdb.DuckDBPyConnection) -> int:
    """Bring the database up to LATEST_VERSION; returns how many migrations ran."""
    con.execute(
        "CREATE TABLE IF NOT EXISTS schema_version "
        "(version INTEGER PRIMARY KEY, description VARCHAR, applied_at TIMESTAMP)"
    )
    version = current_version(con)
    pending = [m for m in MIGRATIONS if m[0] > version]
    for number, description, statements in pending:
        con.execute("BEGIN TRANSACTION")
        for statement in statements:
            con.execute(statement)
        con.execute(
            "INSERT INTO schema_version VALUES (?, ?, now()::TIMESTAMP)", [number, description]
        )
        con.execute("COMMIT")
    return len(pending)
