"""Duplicate groups: copies of one story (wire syndication, reposts, AMP pages) share `dup_group`.

Three layers, strongest first, each recorded in `dup_reason`:

- `url`: the same page under another address (mobile host, AMP version). The same normalized
  URL is already the same `article_id`, so this layer only folds address variants.
- `title`: the same normalized headline in the same language within a few days; when both
  articles carry a text, the texts must overlap too (a teaser matches its article, tomorrow's
  forecast does not match today's).
- `text`: near-identical text. Word shingles are MinHashed (datasketch); articles whose LSH
  bands collide within ±48 hours are candidates, confirmed by the Jaccard resemblance of the
  exact shingle sets. (Containment is not enough on its own: a short brief quoted whole in a
  "read also" block of another story is contained in it.)

The earliest copy is the story's original and `dup_group` is its `article_id` (an original's
group is its own id). Copies are never removed; the dashboard counts placements (rows) or
stories (distinct `dup_group`). Each article joins the story of its best match; stories are
never merged through a third article, so a round-up quoting two stories does not fuse them.

Incremental: the keys of every article are kept in `dedup_keys` and `dedup_bands`, so a batch
finds copies already in the database. When a batch brings a copy published before a stored
story's original, it becomes the original: the stored group is re-pointed to it (one UPDATE
of `dup_group`) and the former original records the layer that linked them. An article whose
text changes on re-ingest is placed again; copies that pointed to it follow it.
"""

from __future__ import annotations

import hashlib
import re
import zlib
from collections import defaultdict
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, replace
from datetime import datetime, timedelta
from functools import cache
from itertools import islice
from urllib.parse import parse_qsl, urlencode, urlsplit, urlunsplit

import duckdb
import numpy as np
import pyarrow as pa
from datasketch import MinHash, MinHashLSH

from etl.record import Article
from etl.reference import load_yaml

LAYERS = ("url", "title", "text")  # strongest first
_WORD = re.compile(r"\w+")
_LABEL = re.compile(r"^\s*([^:]{1,30}):\s+")
_TITLE_SEPARATORS = re.compile(r"\s+[-|–—]\s+")
_MINHASH_SEED = 1
_MIX = np.uint64(0x9E3779B97F4A7C15)
_EMPTY = np.empty(0, dtype=np.uint32)
_NO_BANDS = np.empty(0, dtype=np.int32)


@dataclass(frozen=True)
class Settings:
    shingle_words: int
    max_words: int
    min_shingles: int
    text_window: timedelta
    num_perm: int
    bands: int
    rows: int
    min_resemblance: float
    merge_overlap: float
    title_window: timedelta
    title_min_words: int
    title_min_containment: float
    title_prefixes: frozenset[str]
    mobile_host_labels: frozenset[str]
    amp_path_segments: frozenset[str]
    amp_parameters: frozenset[str]
    band_seed: int  # mixed into every band hash: bands made with other settings never match


@cache
def settings() -> Settings:
    config = load_yaml("dedup.yaml")
    text, title, url = config["text"], config["title"], config["url"]
    lsh = MinHashLSH(
        threshold=text["lsh_threshold"],
        num_perm=text["num_perm"],
        weights=tuple(text["lsh_weights"]),
    )
    scheme = f"{text['shingle_words']}/{text['num_perm']}/{lsh.b}x{lsh.r}/{_MINHASH_SEED}"
    return Settings(
        shingle_words=text["shingle_words"],
        max_words=text["max_words"],
        min_shingles=text["min_shingles"],
        text_window=timedelta(hours=text["window_hours"]),
        num_perm=text["num_perm"],
        bands=lsh.b,
        rows=lsh.r,
        min_resemblance=text["min_resemblance"],
        merge_overlap=text["merge_overlap"],
        title_window=timedelta(days=title["window_days"]),
        title_min_words=title["min_words"],
        title_min_containment=title["min_containment_with_texts"],
        title_prefixes=frozenset(p.casefold() for p in title["prefixes"]),
        mobile_host_labels=frozenset(url["mobile_host_labels"]),
        amp_path_segments=frozenset(url["amp_path_segments"]),
        amp_parameters=frozenset(url["amp_parameters"]),
        band_seed=int.from_bytes(hashlib.blake2b(scheme.encode(), digest_size=8).digest()),
    )


@cache
def _minhash() -> MinHash:
    """One MinHash per process, cleared for every text: building one per text (permutations
    included) would cost more than hashing the text."""
    return MinHash(num_perm=settings().num_perm, seed=_MINHASH_SEED, hashfunc=int)


# ---- keys of one article ------------------------------------------------------------------


_WORD_CODES: dict[str, int] = {}  # word -> CRC-32; news vocabulary repeats heavily
_MAX_REMEMBERED_WORDS = 1_000_000


def _word_codes(words: list[str]) -> np.ndarray:
    codes = _WORD_CODES
    if len(codes) > _MAX_REMEMBERED_WORDS:
        codes.clear()
    for word in [word for word in words if word not in codes]:
        codes[word] = zlib.crc32(word.encode())
    return np.fromiter(map(codes.__getitem__, words), dtype=np.uint64, count=len(words))


def shingles(text: str) -> np.ndarray:
    """Sorted, unique 32-bit hashes of the text's overlapping word n-grams (case-folded)."""
    config = settings()
    size = config.shingle_words
    words = _WORD.findall(text.casefold())[: config.max_words]
    if len(words) < size:
        return _EMPTY
    codes = _word_codes(words)
    count = len(words) - size + 1
    mixed = np.zeros(count, dtype=np.uint64)
    for offset in range(size):
        mixed = (mixed ^ codes[offset : offset + count]) * _MIX
    hashes = np.sort((mixed >> np.uint64(32)).astype(np.uint32))
    return hashes[np.concatenate(([True], hashes[1:] != hashes[:-1]))]


def band_hashes(shingle_set: np.ndarray) -> np.ndarray:
    """The LSH band hashes of a shingle set's MinHash; none for a text too short to compare."""
    config = settings()
    if shingle_set.size < config.min_shingles:
        return _NO_BANDS
    minhash = _minhash()
    minhash.clear()
    minhash.update_batch(shingle_set.tolist())  # a list: iterating numpy scalars is slower
    used = config.bands * config.rows
    bands = minhash.hashvalues[:used].astype(np.uint64).reshape(config.bands, config.rows)
    mixed = np.arange(config.bands, dtype=np.uint64) ^ np.uint64(config.band_seed)
    for column in range(config.rows):
        mixed = (mixed ^ bands[:, column]) * _MIX
    # 32 bits are plenty: a band is compared only with the bands of the few thousand
    # articles published within the window, and a rare chance collision is verified away
    return (mixed >> np.uint64(32)).astype(np.uint32).view(np.int32)


def title_key(title: str, source: str | None) -> int | None:
    """Hash of the headline without outlet labels ("UPDATE:") or a trailing " - Outlet";
    None when the headline is too short to identify a story on its own."""
    config = settings()
    label = _LABEL.match(title)
    if label and label.group(1).strip().casefold() in config.title_prefixes:
        title = title[label.end() :]
    parts = _TITLE_SEPARATORS.split(title)
    if len(parts) > 1 and source and _fold(parts[-1]) == _fold(source):
        title = " ".join(parts[:-1])
    words = _WORD.findall(title.casefold())
    if len(words) < config.title_min_words:
        return None
    digest = hashlib.blake2b(" ".join(words).encode(), digest_size=8).digest()
    return int.from_bytes(digest, signed=True)


def url_key(url: str | None) -> str | None:
    """A normalized URL with its mobile and AMP variations folded away."""
    if not url:
        return None
    config = settings()
    parts = urlsplit(url)
    host_labels = (parts.hostname or "").split(".")
    if len(host_labels) > 2 and host_labels[0] in config.mobile_host_labels:
        host_labels = host_labels[1:]
    path = "/".join(s for s in parts.path.split("/") if s not in config.amp_path_segments)
    query = [(k, v) for k, v in parse_qsl(parts.query) if k.lower() not in config.amp_parameters]
    return urlunsplit((parts.scheme, ".".join(host_labels), path, urlencode(query), ""))


def _fold(text: str) -> str:
    return " ".join(_WORD.findall(text.casefold()))


@dataclass
class Keys:
    """What the three layers compare for one article."""

    article_id: str
    published_at: datetime | None
    language: str | None
    url_key: str | None
    title_key: int | None
    shingles: np.ndarray
    bands: np.ndarray  # LSH bands: made for incoming articles, not for stored ones


def article_keys(article: Article) -> Keys:
    """The keys of an enriched article (the ingest's workers make them for the loader)."""
    body_shingles = shingles(article.body)
    return Keys(
        article_id=article.article_id,
        published_at=article.published_at,
        language=article.language or article.language_hint,
        url_key=url_key(article.url),
        title_key=title_key(article.title, article.source),
        shingles=body_shingles,
        bands=band_hashes(body_shingles),
    )


# ---- comparing two articles ---------------------------------------------------------------


def _overlap(a: np.ndarray, b: np.ndarray) -> tuple[float, float]:
    """(Jaccard resemblance, containment of the smaller set in the larger)."""
    common = np.intersect1d(a, b, assume_unique=True).size
    return common / (a.size + b.size - common), common / min(a.size, b.size)


def _within(a: Keys, b: Keys, window: timedelta) -> bool:
    if a.published_at is None or b.published_at is None:
        return False
    return abs(a.published_at - b.published_at) <= window


def _has_text(keys: Keys) -> bool:
    return keys.shingles.size >= settings().min_shingles


def match(a: Keys, b: Keys, layer: str) -> float | None:
    """How closely a candidate pair found by one layer's key matches, or None when it is not
    a pair of copies: 1 for the same page, the text overlap for a title or text match."""
    config = settings()
    if layer == "url":
        return 1.0
    if layer == "title":
        if a.language and b.language and a.language != b.language:
            return None  # a translation under an identical headline is another story
        if not _within(a, b, config.title_window):
            return None
        if not (_has_text(a) and _has_text(b)):
            return 0.0
        containment = _overlap(a.shingles, b.shingles)[1]
        return containment if containment >= config.title_min_containment else None
    if not (_within(a, b, config.text_window) and _has_text(a) and _has_text(b)):
        return None
    resemblance = _overlap(a.shingles, b.shingles)[0]
    return resemblance if resemblance >= config.min_resemblance else None


# ---- grouping -----------------------------------------------------------------------------


class RecentTexts:
    """The shingles of the articles one run has written, the latest `limit` of them: a new
    copy of a story is then compared with the copies this run stored without reading their
    texts back and shingling them again. One per run (texts differ between databases)."""

    def __init__(self, limit: int = 100_000) -> None:
        self.limit = limit
        self._shingles: dict[str, np.ndarray] = {}

    def get(self, article_id: str) -> np.ndarray | None:
        return self._shingles.get(article_id)

    def remember(self, keys: Iterable[Keys]) -> None:
        for item in keys:
            self._shingles.pop(item.article_id, None)  # a rewritten article is the newest
            self._shingles[item.article_id] = item.shingles
        for oldest in list(islice(self._shingles, max(0, len(self._shingles) - self.limit))):
            del self._shingles[oldest]


@dataclass
class _Stored:
    """A stored article that shares a key with the batch. Its text is read back only when
    this run did not keep its shingles, and shingled only if it is compared (most copies of
    a story never are)."""

    keys: Keys  # with shingles only when this run kept them
    body: str | None  # None when the shingles are in `keys`
    dup_group: str

    def full_keys(self) -> Keys:
        if self.body is None:
            return self.keys
        return replace(self.keys, shingles=shingles(self.body))


def _candidate_buckets(keys: list[Keys], bands: dict[str, np.ndarray]) -> Iterator[tuple]:
    """(ids, layer) for every group of batch articles that share a key of some layer.
    Buckets with the same members (a text's copies collide in every band) are listed once.
    Each member meets the others of its bucket when it is placed: listing the buckets rather
    than their pairs keeps a wire story's hundreds of copies from costing pairs squared."""
    by_url, by_title, by_band = defaultdict(list), defaultdict(list), defaultdict(list)
    for item in keys:
        if item.url_key:
            by_url[item.url_key].append(item.article_id)
        if item.title_key is not None:
            by_title[item.title_key].append(item.article_id)
        for band in bands[item.article_id].tolist():  # ints hash far faster than numpy's
            by_band[band].append(item.article_id)
    for layer, index in (("url", by_url), ("title", by_title), ("text", by_band)):
        for ids in {tuple(ids) for ids in index.values() if len(ids) > 1}:
            yield ids, layer


def _stored_pairs(con: duckdb.DuckDBPyConnection) -> list[tuple[str, str, str]]:
    """(batch id, stored id, layer) for stored articles sharing a key with the batch
    (registered as `dedup_batch_keys` and `dedup_batch_bands`)."""
    config = settings()
    return con.execute(
        """
        SELECT DISTINCT b.article_id, k.article_id, 'url'
        FROM dedup_batch_keys b JOIN dedup_keys k ON k.url_key = b.url_key
        WHERE k.article_id NOT IN (SELECT article_id FROM dedup_batch_keys)
        UNION
        SELECT DISTINCT b.article_id, k.article_id, 'title'
        FROM dedup_batch_keys b JOIN dedup_keys k ON k.title_key = b.title_key
            AND k.published_at BETWEEN b.published_at - ? AND b.published_at + ?
        WHERE k.article_id NOT IN (SELECT article_id FROM dedup_batch_keys)
        UNION
        SELECT DISTINCT b.article_id, s.article_id, 'text'
        FROM dedup_batch_bands b JOIN dedup_bands s ON s.band_hash = b.band_hash
            AND s.published_at BETWEEN b.published_at - ? AND b.published_at + ?
        WHERE s.article_id NOT IN (SELECT article_id FROM dedup_batch_keys)
        """,
        [config.title_window, config.title_window, config.text_window, config.text_window],
    ).fetchall()


def _with_ids(con: duckdb.DuckDBPyConnection, ids: Iterable[str], query: str) -> list[tuple]:
    """Run a query that joins the table `dedup_ids(article_id)` holding these ids."""
    con.register("dedup_ids", pa.table({"article_id": pa.array(sorted(ids), pa.string())}))
    try:
        return con.execute(query).fetchall()
    finally:
        con.unregister("dedup_ids")


def _stored_articles(
    con: duckdb.DuckDBPyConnection, ids: set[str], recent: RecentTexts
) -> dict[str, _Stored]:
    rows = _with_ids(
        con,
        ids,
        """
        SELECT a.article_id, a.published_at, coalesce(a.language, a.language_hint),
               k.url_key, k.title_key, coalesce(a.dup_group, a.article_id)
        FROM articles a JOIN dedup_ids USING (article_id)
        LEFT JOIN dedup_keys k USING (article_id)
        """,
    )
    kept = {article_id: recent.get(article_id) for article_id in ids}
    query = "SELECT article_id, body FROM articles JOIN dedup_ids USING (article_id)"
    unknown = [article_id for article_id, known in kept.items() if known is None]
    bodies = dict(_with_ids(con, unknown, query)) if unknown else {}
    stored = {}
    for article_id, published, language, url, title, group in rows:
        known = kept[article_id]
        keys = Keys(article_id, published, language, url, title, _EMPTY, _NO_BANDS)
        if known is None:
            stored[article_id] = _Stored(keys, bodies.get(article_id) or "", group)
        else:
            stored[article_id] = _Stored(replace(keys, shingles=known), None, group)
    return stored


def _published(con: duckdb.DuckDBPyConnection, ids: set[str]) -> dict[str, datetime | None]:
    query = "SELECT article_id, published_at FROM articles JOIN dedup_ids USING (article_id)"
    return dict(_with_ids(con, ids, query))


def _groups_led_by(con: duckdb.DuckDBPyConnection, ids: set[str]) -> set[str]:
    """Which of these ids are the original of stored copies."""
    query = """
        SELECT DISTINCT a.dup_group FROM articles a
        JOIN dedup_ids i ON a.dup_group = i.article_id
        WHERE a.article_id <> a.dup_group
    """
    return {row[0] for row in _with_ids(con, ids, query)}


def _when(published_at: datetime | None, article_id: str) -> tuple:
    """Publication order: undated last, ties broken by id so that the order is stable."""
    return (published_at is None, published_at or datetime.min, article_id)


def assign_dup_groups(
    con: duckdb.DuckDBPyConnection, articles: list[Article], recent: RecentTexts | None = None
) -> None:
    """Set `dup_group`/`dup_reason` on a batch about to be written (one article per id) and
    re-point stored groups that now have an earlier original. Runs inside the loader's
    transaction, before the batch is written; stores the batch's keys for later batches (and
    their shingles in `recent`, the run's memory of the texts it wrote)."""
    if not articles:
        return
    recent = recent if recent is not None else RecentTexts(limit=0)
    batch = {a.article_id: a.dedup_keys or article_keys(a) for a in articles}
    bands = {article_id: keys.bands for article_id, keys in batch.items()}
    con.register("dedup_batch_keys", _keys_table(list(batch.values())))
    con.register("dedup_batch_bands", _bands_table(list(batch.values()), bands))
    try:
        stored_pairs = _stored_pairs(con)
        stored = _stored_articles(con, {stored_id for _, stored_id, _ in stored_pairs}, recent)
        groups = {item.dup_group for item in stored.values()} | _groups_led_by(con, set(batch))
        stories = _Stories(batch, stored, _published(con, groups - batch.keys()))
        candidates: dict[str, list[tuple[tuple[str, ...], str]]] = defaultdict(list)
        for ids, layer in _candidate_buckets(list(batch.values()), bands):
            for article_id in ids:
                candidates[article_id].append((ids, layer))
        for a, b, layer in stored_pairs:
            candidates[a].append(((b,), layer))
        for article_id in sorted(batch, key=lambda i: _when(batch[i].published_at, i)):
            stories.place(article_id, candidates[article_id])
        for article in articles:
            article.dup_group, article.dup_reason = stories.placement(article.article_id)
        _repoint_groups(con, stories.moved_groups(groups))
        _store_keys(con)
        recent.remember(batch.values())
    finally:
        con.unregister("dedup_batch_keys")
        con.unregister("dedup_batch_bands")


class _Stories:
    """The stories a batch joins, built in publication order.

    Each batch article joins the story of its best confirmed match among the stored articles
    and the batch articles published before it (strongest layer first, then closest text).
    It becomes the story's original when it was published before it. A third story it also
    matches closely (same page, or text/title overlap of `merge_overlap`) is the same story
    and is merged in; a weaker second match is not enough, so a round-up quoting two stories
    joins one of them without fusing them (its resemblance to its two parts adds up to at
    most 1).
    """

    def __init__(
        self,
        batch: dict[str, Keys],
        stored: dict[str, _Stored],
        stored_originals: dict[str, datetime | None],
    ) -> None:
        self.batch = batch
        self.stored = stored
        self.keys = dict(batch)  # and the keys of stored articles, once compared
        self.story = {i: item.dup_group for i, item in stored.items()}  # id -> its story
        self.original_when = {g: _when(d, g) for g, d in stored_originals.items()}
        self.original_when.update({i: _when(k.published_at, i) for i, k in batch.items()})
        self.moved: dict[str, str] = {}  # story -> the story it became part of
        self.reason: dict[str, str] = {}  # moved story -> the layer that linked it
        self.placed: set[str] = set()

    def _keys_of(self, article_id: str) -> Keys:
        if article_id not in self.keys:
            self.keys[article_id] = self.stored[article_id].full_keys()
        return self.keys[article_id]

    def _original_when(self, story: str) -> tuple:
        return self.original_when.get(story) or _when(None, story)

    def resolve(self, story: str) -> str:
        while story in self.moved:
            story = self.moved[story]
        return story

    def _matches(self, article_id: str, candidates: list[tuple[tuple[str, ...], str]]) -> dict:
        """story -> (layer rank, overlap) of its closest confirmed match among the candidate
        buckets' members. A story stops being compared once a stronger layer or a full
        overlap confirmed it, so an exact wire copy meets few of the story's copies."""
        found: dict[str, tuple[int, float]] = {}
        for members, layer in sorted(candidates, key=lambda c: LAYERS.index(c[1])):
            rank = LAYERS.index(layer)
            for other in members:
                if other == article_id or other not in self.story:
                    continue  # a batch article placed later compares itself with this one
                story = self.resolve(self.story[other])
                if story == article_id:
                    continue
                if story in found and (found[story][0] < rank or found[story][1] >= 1.0):
                    continue
                overlap = match(self.keys[article_id], self._keys_of(other), layer)
                if overlap is not None and (story not in found or overlap > found[story][1]):
                    found[story] = (rank, overlap)
        return found

    def _merge(self, a: str, b: str, layer: str) -> None:
        """One story from two; the one whose original was published first absorbs the other."""
        a, b = self.resolve(a), self.resolve(b)
        if a == b:
            return
        keep, other = sorted((a, b), key=self._original_when)
        self.moved[other] = keep
        self.reason[other] = layer

    def place(self, article_id: str, candidates: list[tuple[tuple[str, ...], str]]) -> None:
        found = self._matches(article_id, candidates)
        self.placed.add(article_id)
        self.story[article_id] = article_id
        if not found:
            return
        merge_overlap = settings().merge_overlap
        ranked = sorted(found, key=lambda s: (found[s][0], -found[s][1], self._original_when(s)))
        best = ranked[0]
        self._merge(article_id, best, LAYERS[found[best][0]])
        for story in ranked[1:]:
            rank, overlap = found[story]
            if rank == 0 or overlap >= merge_overlap:
                self._merge(article_id, story, LAYERS[rank])

    def placement(self, article_id: str) -> tuple[str, str | None]:
        """(dup_group, dup_reason) of a batch article."""
        story = self.resolve(article_id)
        return story, (self.reason.get(article_id) if story != article_id else None)

    def moved_groups(self, stored_groups: set[str]) -> list[tuple[str, str, str]]:
        """(old group, new group, layer) for every stored group that joined another story."""
        return [
            (group, self.resolve(group), self.reason[group])
            for group in sorted(stored_groups)
            if self.resolve(group) != group
        ]


def _repoint_groups(con: duckdb.DuckDBPyConnection, regroup: list[tuple[str, str, str]]) -> None:
    """Point stored copies at their story's new, earlier original; each demoted original
    records the layer that linked its group to the story."""
    if not regroup:
        return
    old, new, reason = zip(*regroup, strict=True)
    table = pa.table(
        {
            "old_group": pa.array(old, pa.string()),
            "new_group": pa.array(new, pa.string()),
            "reason": pa.array(reason, pa.string()),
        }
    )
    con.register("dedup_regroup", table)
    try:
        con.execute(
            "UPDATE articles SET dup_reason = r.reason FROM dedup_regroup r "
            "WHERE articles.article_id = r.old_group"
        )
        con.execute(
            "UPDATE articles SET dup_group = r.new_group FROM dedup_regroup r "
            "WHERE articles.dup_group = r.old_group"
        )
    finally:
        con.unregister("dedup_regroup")


def _keys_table(keys: list[Keys]) -> pa.Table:
    return pa.table(
        {
            "article_id": pa.array([k.article_id for k in keys], pa.string()),
            "published_at": pa.array([k.published_at for k in keys], pa.timestamp("us")),
            "language": pa.array([k.language for k in keys], pa.string()),
            "url_key": pa.array([k.url_key for k in keys], pa.string()),
            "title_key": pa.array([k.title_key for k in keys], pa.int64()),
        }
    )


def _bands_table(keys: list[Keys], bands: dict[str, np.ndarray]) -> pa.Table:
    dated = [k for k in keys if k.published_at is not None]
    counts = [bands[k.article_id].size for k in dated]
    rows = np.repeat(np.arange(len(dated)), counts)
    hashes = [bands[k.article_id] for k in dated]
    return pa.table(
        {
            "band_hash": pa.array(np.concatenate(hashes) if hashes else _NO_BANDS),
            "article_id": pa.array([k.article_id for k in dated], pa.string()).take(rows),
            "published_at": pa.array([k.published_at for k in dated], pa.timestamp("us")).take(
                rows
            ),
        }
    )


def _store_keys(con: duckdb.DuckDBPyConnection) -> None:
    """Replace the stored keys of the batch's articles with the registered batch keys."""
    con.execute(
        "DELETE FROM dedup_keys WHERE article_id IN (SELECT article_id FROM dedup_batch_keys)"
    )
    con.execute(
        "DELETE FROM dedup_bands WHERE article_id IN (SELECT article_id FROM dedup_batch_keys)"
    )
    con.execute("INSERT INTO dedup_keys BY NAME SELECT * FROM dedup_batch_keys")
    con.execute("INSERT INTO dedup_bands BY NAME SELECT * FROM dedup_batch_bands")
