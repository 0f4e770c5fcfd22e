"""The full-text search index: analyzed article text plus DuckDB's FTS (BM25) index over it.

Index design (search reads it in `analytics/search.py`):

- `article_search` holds, per article, its title and body as *language-tagged lemma tokens*
  separated by single spaces: "Санкциите срещу Русия" in a Bulgarian article becomes
  `bg:санкция bg:срещу bg:русия`. The tag is the article's `language` column (`und` when
  unknown); the lemma comes from `etl.lemmas`, the one analyzer, with the dictionary of the
  article's own language, so a Russian lemma never matches a Bulgarian token by accident.
- `search_forms` maps every word form seen while analyzing (case-folded), and every lemma, to
  its tokens: `санкциите → bg:санкция`, `санкция → bg:санкция`, `санкции → bg:санкция` and
  `ru:санкция`. Search looks query words up there, so the analysis made at index time is
  exactly the one applied to the query, in every language the corpus holds, and the
  dashboard never loads a lemmatizer dictionary. Prefixes (`украин*`) are ranges of forms.
- DuckDB's FTS extension indexes the two columns (fields) with its own stemmer, stop words,
  accent stripping and lower-casing all switched off: the tokens are already analyzed, and
  stripping accents would merge `й` into `и`. The index lives in the schema
  `fts_main_article_search` (tables `dict`, `terms`, `docs`, `fields`, `stats`).
- After each build, `terms` (one row per token occurrence) is rewritten with each token's
  position, for phrases, and sorted by term, so a lookup of a few terms reads a few row
  groups instead of the whole table; `forms` joins `search_forms` to the index's term ids,
  sorted by form, so resolving a query word or prefix reads a row group or two; `facts`
  holds each document's language and source for the `lang:` and `source:` filters.

The ingest's workers analyze each article as they enrich it (`analyze_article`) and the loader
stores the analyses with the articles (`store_analyses`); `update_search_index(con)`, called at
the end of the ingest, analyzes whatever is still missing or stale and updates the FTS index.
The dashboard never writes the index.
"""

from __future__ import annotations

import re
import time
from dataclasses import dataclass
from functools import lru_cache

import duckdb
import duckdb_extensions
import pyarrow as pa

from etl.lemmas import lemma, tokenize

INDEX_SCHEMA = "fts_main_article_search"
UNKNOWN_LANGUAGE = "und"
# Part of every row's fingerprint: bump it when the analysis changes, and every article is
# analyzed again by the next ingest.
ANALYZER_VERSION = "2"  # 2: Greek words keep final ς for the lemmatizer
BATCH_ROWS = 5_000
# Up to this share of the indexed documents changed since the last rebuild, an update patches
# the index in place; past it, the index is rebuilt (and its terms sorted again).
PATCH_SHARE = 0.1

_LANGUAGE_TAG = re.compile(r"[a-z]{2,3}")
_BATCH_SCHEMA = pa.schema(
    [
        ("article_id", pa.string()),
        ("language", pa.string()),
        ("analyzed_hash", pa.string()),
        ("title_lemmas", pa.string()),
        ("body_lemmas", pa.string()),
    ]
)
_FINGERPRINT = (
    "md5(concat_ws(chr(31), ?, coalesce(language, ''), coalesce(source, ''), "
    "coalesce(title, ''), coalesce(body, '')))"
)


@dataclass(frozen=True)
class IndexUpdate:
    """What one `update_search_index` call did."""

    analyzed: int  # articles new or changed since the last update
    removed: int  # articles no longer in the database
    index: str  # what happened to the FTS index: "rebuilt", "patched" or "unchanged"
    seconds: float  # in all
    index_seconds: float  # of which updating the FTS index and its lookup tables


def language_tag(language: str | None) -> str:
    """The tag of an article's tokens: its ISO 639 code, or `und` when unknown or malformed."""
    code = (language or "").strip().lower()
    return code if _LANGUAGE_TAG.fullmatch(code) else UNKNOWN_LANGUAGE


@lru_cache(maxsize=500_000)
def index_token(word: str, tag: str) -> str:
    """The index token of one word in a language: `tag:lemma` (never containing a space)."""
    return f"{tag}:{'_'.join(lemma(word, tag).split())}"


def analyze(text: str | None, tag: str, forms: set[tuple[str, str]]) -> str:
    """Text as the space-separated index tokens of its words, in order.

    Adds each word's (case-folded form, token) and (lemma, token) pair to `forms`.
    """
    tokens = []
    for word in tokenize(text or ""):
        token = index_token(word, tag)
        tokens.append(token)
        forms.add((word.casefold(), token))
        forms.add((token[len(tag) + 1 :], token))
    return " ".join(tokens)


@dataclass(frozen=True)
class Analysis:
    """One article's text as index tokens, worked out where the article was enriched.

    `forms` holds the (form, token) pairs met while analyzing it, less those the caller said
    were known already (a worker reports each pair once per run, not once per article).
    """

    language: str  # the tokens' tag
    title_lemmas: str
    body_lemmas: str
    forms: frozenset[tuple[str, str]]


def analyze_article(
    title: str | None, body: str | None, language: str | None, known: set | None = None
) -> Analysis:
    """The analysis of an article's title and body; `known` (if given) gains its new forms."""
    tag = language_tag(language)
    forms: set[tuple[str, str]] = set()
    title_lemmas, body_lemmas = analyze(title, tag, forms), analyze(body, tag, forms)
    if known is not None:
        forms -= known
        known |= forms
    return Analysis(tag, title_lemmas, body_lemmas, frozenset(forms))


def load_fts(con: duckdb.DuckDBPyConnection) -> None:
    """Load the FTS extension from the pinned Python package (no download)."""
    duckdb_extensions.import_extension("fts", con=con)
    con.execute("LOAD fts")


def index_exists(con: duckdb.DuckDBPyConnection) -> bool:
    """Whether the FTS index has been built in this database."""
    found = con.execute(
        "SELECT count(*) FROM information_schema.tables WHERE table_schema = ? "
        "AND table_name = 'terms'",
        [INDEX_SCHEMA],
    ).fetchone()[0]
    return found > 0


def update_search_index(con: duckdb.DuckDBPyConnection) -> IndexUpdate:
    """Analyze new and changed articles, drop deleted ones, then rebuild or patch the FTS index.

    Articles whose analysis the loader already stored in this connection (`store_analyses`)
    are not analyzed again; they count as analyzed by this update.
    """
    started = time.perf_counter()
    _create_run_tables(con)
    con.execute(
        f"""
        CREATE OR REPLACE TEMP TABLE search_pending AS
        SELECT row_number() OVER () AS n, a.*
        FROM (SELECT article_id, language, title, body, {_FINGERPRINT} AS analyzed_hash
              FROM articles) a
        WHERE NOT EXISTS (
            SELECT 1 FROM article_search s
            WHERE s.article_id = a.article_id AND s.analyzed_hash = a.analyzed_hash)
        """,
        [ANALYZER_VERSION],
    )
    pending = con.execute("SELECT count(*) FROM search_pending").fetchone()[0]
    removed = con.execute(
        "SELECT count(*) FROM article_search "
        "WHERE article_id NOT IN (SELECT article_id FROM articles)"
    ).fetchone()[0]
    con.execute(
        "CREATE OR REPLACE TEMP TABLE search_stale AS SELECT article_id FROM article_search "
        "WHERE article_id NOT IN (SELECT article_id FROM articles) "
        "OR article_id IN (SELECT article_id FROM search_pending) "
        "UNION SELECT article_id FROM search_analyzed"
    )
    con.execute(
        "DELETE FROM article_search WHERE article_id IN (SELECT article_id FROM search_stale) "
        "AND article_id NOT IN (SELECT article_id FROM search_analyzed)"
    )
    total = con.execute("SELECT count(*) FROM articles").fetchone()[0]
    for first in range(1, pending + 1, BATCH_ROWS):
        rows = con.execute(
            "SELECT article_id, language, analyzed_hash, title, body FROM search_pending "
            "WHERE n BETWEEN ? AND ?",
            [first, first + BATCH_ROWS - 1],
        ).fetchall()
        _insert_analyzed(con, rows)
    analyzed = con.execute("SELECT count(DISTINCT article_id) FROM search_analyzed").fetchone()[0]
    if analyzed:
        _merge_forms(con, keep_old=analyzed < total)
    indexing = time.perf_counter()
    index = _index_change(con, analyzed + removed)
    if index == "rebuilt":
        build_fts(con)
    elif index == "patched":
        patch_fts(con)
    for table in ("search_pending", "search_stale", "search_analyzed", "new_forms"):
        con.execute(f"DROP TABLE {table}")
    finished = time.perf_counter()
    return IndexUpdate(analyzed, removed, index, finished - started, finished - indexing)


def _create_run_tables(con: duckdb.DuckDBPyConnection) -> None:
    """The connection's record of what was analyzed since the last update, and the forms met."""
    con.execute("CREATE TEMP TABLE IF NOT EXISTS search_analyzed (article_id VARCHAR)")
    con.execute("CREATE TEMP TABLE IF NOT EXISTS new_forms (form VARCHAR, token VARCHAR)")


def store_analyses(
    con: duckdb.DuckDBPyConnection, written: list[tuple[str, Analysis]], met: list[Analysis]
) -> None:
    """Store the analyses of articles just written to `articles` (as article ids with their
    analysis), and the forms of every analysis met, so that the next `update_search_index`
    only indexes them. Runs inside the loader's transaction."""
    _create_run_tables(con)
    batch = pa.table(
        {
            "article_id": pa.array([article_id for article_id, _ in written], pa.string()),
            "tag": pa.array([item.language for _, item in written], pa.string()),
            "title_lemmas": pa.array([item.title_lemmas for _, item in written], pa.string()),
            "body_lemmas": pa.array([item.body_lemmas for _, item in written], pa.string()),
        }
    )
    forms = {pair for item in met for pair in item.forms}
    form_batch = pa.table(
        {
            "form": pa.array([form for form, _ in forms], pa.string()),
            "token": pa.array([token for _, token in forms], pa.string()),
        }
    )
    con.register("analyzed_batch", batch)
    con.register("forms_batch", form_batch)
    try:
        con.execute(
            "DELETE FROM article_search WHERE article_id IN (SELECT article_id FROM analyzed_batch)"
        )
        con.execute(
            f"""
            INSERT INTO article_search BY NAME
            SELECT b.article_id, b.tag AS language, {_FINGERPRINT} AS analyzed_hash,
                   b.title_lemmas, b.body_lemmas
            FROM analyzed_batch b JOIN articles a USING (article_id)
            """,
            [ANALYZER_VERSION],
        )
        con.execute("INSERT INTO search_analyzed SELECT article_id FROM analyzed_batch")
        con.execute("INSERT INTO new_forms SELECT form, token FROM forms_batch")
    finally:
        con.unregister("analyzed_batch")
        con.unregister("forms_batch")


def _index_change(con: duckdb.DuckDBPyConnection, changes: int) -> str:
    """Rebuild the index when it is missing or much has changed since its last build (its
    `terms` would drift from term order); patch it for a few changes; or leave it."""
    if not index_exists(con):
        return "rebuilt"
    if not changes:
        return "unchanged"
    indexed, drift = con.execute(
        f"SELECT (SELECT count(*) FROM {INDEX_SCHEMA}.docs), "
        f"(SELECT changed FROM {INDEX_SCHEMA}.drift)"
    ).fetchone()
    return "patched" if drift + changes <= PATCH_SHARE * indexed else "rebuilt"


def _insert_analyzed(con: duckdb.DuckDBPyConnection, rows: list[tuple]) -> None:
    columns: dict[str, list[str]] = {name: [] for name in _BATCH_SCHEMA.names}
    forms: set[tuple[str, str]] = set()
    for article_id, language, analyzed_hash, title, body in rows:
        analysis = analyze_article(title, body, language)
        columns["article_id"].append(article_id)
        columns["language"].append(analysis.language)
        columns["analyzed_hash"].append(analyzed_hash)
        columns["title_lemmas"].append(analysis.title_lemmas)
        columns["body_lemmas"].append(analysis.body_lemmas)
        forms |= analysis.forms
    batch = pa.table(columns, schema=_BATCH_SCHEMA)
    form_batch = pa.table(
        {"form": [form for form, _ in forms], "token": [token for _, token in forms]}
    )
    con.register("search_batch", batch)
    con.register("forms_batch", form_batch)
    try:
        con.execute("INSERT INTO article_search BY NAME SELECT * FROM search_batch")
        con.execute("INSERT INTO search_analyzed SELECT article_id FROM search_batch")
        con.execute("INSERT INTO new_forms SELECT form, token FROM forms_batch")
    finally:
        con.unregister("search_batch")
        con.unregister("forms_batch")


def _merge_forms(con: duckdb.DuckDBPyConnection, keep_old: bool) -> None:
    """Add the new forms, kept sorted by form so that a lookup reads few row groups.

    A full re-analysis (first build, or a new ANALYZER_VERSION) starts the table afresh;
    otherwise forms of deleted articles stay, harmlessly pointing at tokens no article has.
    """
    old = "UNION ALL SELECT form, token FROM search_forms" if keep_old else ""
    con.execute(
        f"CREATE OR REPLACE TEMP TABLE merged_forms AS SELECT DISTINCT form, token "
        f"FROM (SELECT form, token FROM new_forms {old}) ORDER BY form, token"
    )
    con.execute("DELETE FROM search_forms")
    con.execute("INSERT INTO search_forms SELECT form, token FROM merged_forms ORDER BY form")
    con.execute("DROP TABLE merged_forms")


def build_fts(con: duckdb.DuckDBPyConnection) -> None:
    """(Re)build the FTS index over `article_search`, then give `terms` word positions."""
    load_fts(con)
    con.execute(
        "PRAGMA create_fts_index('article_search', 'article_id', 'title_lemmas', 'body_lemmas', "
        "stemmer = 'none', stopwords = 'none', ignore = '\\s+', strip_accents = 0, lower = 0, "
        "overwrite = 1)"
    )
    # The extension's `terms` has one row per token occurrence but no position. Rewriting it
    # from the same tokens adds `pos` (1-based, per field), which phrase search needs, and
    # sorts it by term so looking up a few terms reads only their row groups. BM25 and the
    # extension's own match_bm25 read the same rows as before.
    documents = (
        f"(SELECT d.docid, s.title_lemmas, s.body_lemmas FROM article_search s "
        f"JOIN {INDEX_SCHEMA}.docs d ON d.name = s.article_id)"
    )
    occurrences = _OCCURRENCES.format(source=documents, index=INDEX_SCHEMA)
    con.execute(
        f"""
        CREATE OR REPLACE TABLE {INDEX_SCHEMA}.terms AS
        WITH occurrences AS ({occurrences})
        SELECT t.termid, o.docid, o.fieldid, o.pos
        FROM occurrences o JOIN {INDEX_SCHEMA}.dict t ON t.term = o.term
        ORDER BY t.termid, o.docid
        """
    )
    con.execute(f"CREATE OR REPLACE TABLE {INDEX_SCHEMA}.drift AS SELECT 0::BIGINT AS changed")
    build_lookups(con)


_OCCURRENCES = """
    WITH fields AS (
        SELECT s.docid, f.fieldid,
               string_split(CASE f.field WHEN 'title_lemmas' THEN s.title_lemmas
                            ELSE s.body_lemmas END, ' ') AS tokens
        FROM {source} s CROSS JOIN {index}.fields f
    )
    SELECT * FROM (
        SELECT docid, fieldid, unnest(tokens) AS term,
               generate_subscripts(tokens, 1)::INTEGER AS pos
        FROM fields)
    WHERE term <> ''
"""


def patch_fts(con: duckdb.DuckDBPyConnection) -> None:
    """Bring the index up to date with `search_stale` (documents to drop) and
    `search_analyzed` (articles analyzed anew) in place, as a rebuild would have built it:
    same documents, terms, positions, document frequencies and statistics."""
    index = INDEX_SCHEMA
    con.execute(
        f"CREATE OR REPLACE TEMP TABLE stale_docs AS SELECT docid FROM {index}.docs "
        "WHERE name IN (SELECT article_id FROM search_stale)"
    )
    con.execute(
        "CREATE OR REPLACE TEMP TABLE touched_terms AS SELECT DISTINCT termid "
        f"FROM {index}.terms WHERE docid IN (SELECT docid FROM stale_docs)"
    )
    con.execute(f"DELETE FROM {index}.terms WHERE docid IN (SELECT docid FROM stale_docs)")
    con.execute(f"DELETE FROM {index}.docs WHERE docid IN (SELECT docid FROM stale_docs)")
    con.execute(
        f"""
        CREATE OR REPLACE TEMP TABLE fresh_docs AS
        SELECT (SELECT coalesce(max(docid), -1) FROM {index}.docs)
                   + row_number() OVER (ORDER BY s.article_id) AS docid,
               s.article_id AS name, s.title_lemmas, s.body_lemmas
        FROM article_search s WHERE s.article_id IN (SELECT article_id FROM search_analyzed)
        """
    )
    occurrences = _OCCURRENCES.format(source="fresh_docs", index=index)
    con.execute(f"CREATE OR REPLACE TEMP TABLE fresh_occurrences AS {occurrences}")
    con.execute(
        f"""
        INSERT INTO {index}.dict
        SELECT (SELECT coalesce(max(termid), -1) FROM {index}.dict)
                   + row_number() OVER (ORDER BY n.term), n.term, 0
        FROM (SELECT DISTINCT term FROM fresh_occurrences) n
        WHERE NOT EXISTS (SELECT 1 FROM {index}.dict t WHERE t.term = n.term)
        """
    )
    con.execute(
        f"""
        INSERT INTO {index}.terms
        SELECT t.termid, o.docid, o.fieldid, o.pos
        FROM fresh_occurrences o JOIN {index}.dict t ON t.term = o.term
        ORDER BY t.termid, o.docid
        """
    )
    con.execute(
        f"""
        INSERT INTO {index}.docs
        SELECT d.docid, d.name, count(o.term) FROM fresh_docs d
        LEFT JOIN fresh_occurrences o USING (docid) GROUP BY d.docid, d.name
        """
    )
    con.execute(
        "INSERT INTO touched_terms SELECT DISTINCT t.termid FROM fresh_occurrences o "
        f"JOIN {index}.dict t ON t.term = o.term"
    )
    con.execute(
        f"""
        UPDATE {index}.dict SET df = counted.df
        FROM (SELECT touched.termid, count(DISTINCT t.docid) AS df
              FROM (SELECT DISTINCT termid FROM touched_terms) touched
              LEFT JOIN {index}.terms t USING (termid) GROUP BY touched.termid) counted
        WHERE dict.termid = counted.termid
        """
    )
    con.execute(f"DELETE FROM {index}.dict WHERE df = 0")
    con.execute(
        f"UPDATE {index}.stats SET num_docs = (SELECT count(*) FROM {index}.docs), "
        f"avgdl = (SELECT avg(len) FROM {index}.docs)"
    )
    con.execute(
        f"UPDATE {index}.drift SET changed = changed + "
        "(SELECT count(*) FROM search_stale) + (SELECT count(*) FROM search_analyzed)"
    )
    for table in ("stale_docs", "touched_terms", "fresh_docs", "fresh_occurrences"):
        con.execute(f"DROP TABLE {table}")
    build_lookups(con)


def build_lookups(con: duckdb.DuckDBPyConnection) -> None:
    """The index's own lookup tables: `forms` (each word form with the index terms it stands
    for, sorted by form) and `facts` (language and lower-cased source per document, for the
    `lang:` and `source:` filters without joining the articles)."""
    con.execute(
        f"""
        CREATE OR REPLACE TABLE {INDEX_SCHEMA}.forms AS
        SELECT f.form, t.termid, t.df
        FROM search_forms f JOIN {INDEX_SCHEMA}.dict t ON t.term = f.token
        ORDER BY f.form, t.df DESC
        """
    )
    con.execute(
        f"""
        CREATE OR REPLACE TABLE {INDEX_SCHEMA}.facts AS
        SELECT d.docid, a.language, lower(a.source) AS source
        FROM {INDEX_SCHEMA}.docs d JOIN articles a ON a.article_id = d.name
        ORDER BY d.docid
        """
    )
