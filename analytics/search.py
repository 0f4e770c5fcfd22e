"""Boolean full-text search: the query language, its SQL over the FTS index, and highlighting.

Query language (`parse`):
    words             санкции Русия          every word must match (implicit AND)
    "a phrase"        "Европейски съюз"      the words in this order („…“ and «…» work too)
    AND OR NOT ( )    (НАТО OR NATO) AND Украйна NOT спорт
    prefix*           украин*                any word whose form or lemma starts with `украин`
    title:WORD        title:санкции          the word in the title (also title:"a phrase")
    source:NAME       source:dnevnik.bg      the article's source, case-insensitive (NAME* too)
    lang:CODE         lang:bg                the article's language
Only upper-case English AND/OR/NOT are operators; `and`, `и`, `или`, `не` are words.
NOT binds tighter than AND, AND tighter than OR.

Matching (index design in `etl/search_index.py`): a query word is looked up among the word
forms and lemmas the index has seen, each tied to a language-tagged lemma token, so the word
finds every form of its lemma in articles of that language: "санкция" finds "санкции",
"сътрудничество" finds "сътрудничеството", and "Украйна" does not find "украинските" (another
lemma) unless the query says `украин*`. A form that occurs in no article and is no lemma
finds nothing. Phrases are tokens at consecutive positions of one field. Relevance is BM25
over the positive terms, computed from the FTS index's tables with the extension's formula.

Every value reaches SQL as a bound parameter; the SQL text depends only on the query's
shape (its operators and how many terms it has), never on the text of a term.
"""

from __future__ import annotations

import html
import re
import unicodedata
from collections.abc import Iterable, Iterator
from dataclasses import dataclass

import pandas as pd

from analytics.database import Database, Materialized, materialized
from etl.lemmas import tokenize
from etl.search_index import INDEX_SCHEMA, language_tag

MAX_QUERY_CHARS = 1_000
MAX_TERMS = 32  # words, phrases, prefixes and field filters in one query
MAX_DEPTH = 16  # nested parentheses and NOTs
MIN_PREFIX_CHARS = 2
PREFIX_EXPANSION_LIMIT = 200  # most frequent index terms a prefix can stand for
BM25_K1 = 1.2  # the FTS extension's defaults
BM25_B = 0.75

FIELDS = ("title", "source", "lang")
OPERATORS = ("AND", "OR", "NOT")
ORDERS = {
    "relevance": "m.score DESC, a.published_at DESC NULLS LAST, a.article_id",
    "date": "a.published_at DESC NULLS LAST, m.score DESC, a.article_id",
}
_QUOTES = {'"': '"”“', "„": '“”"', "“": '”"', "«": "»"}  # opening quote -> closing ones
_BARE = re.compile(r"[^\s()\"„“”«»]+")
_FIELD = re.compile(r"([A-Za-z]+):")
_LANGUAGE = re.compile(r"[a-z]{2,3}")
_ALIAS = re.compile(r"[a-z_][a-z0-9_]*")


class SearchSyntaxError(ValueError):
    """A query that cannot be parsed; `position` is the 0-based offset of the problem."""

    def __init__(self, message: str, position: int):
        super().__init__(f"{message} (at character {position + 1})")
        self.message = message
        self.position = position


def pointed(query: str, error: SearchSyntaxError) -> str:
    """The query and, under it, a caret at the problem: for monospaced display."""
    return f"{query}\n{' ' * error.position}^"


# The parsed query ---------------------------------------------------------------------------


@dataclass(frozen=True)
class Text:
    """One word, or a phrase when a quoted string (or a word like U.S.) holds several."""

    words: tuple[str, ...]
    title_only: bool
    position: int


@dataclass(frozen=True)
class Prefix:
    stem: str  # case-folded
    title_only: bool
    position: int


@dataclass(frozen=True)
class Filter:
    column: str  # "source" or "language"
    value: str
    prefix: bool
    position: int


@dataclass(frozen=True)
class And:
    items: tuple[Node, ...]


@dataclass(frozen=True)
class Or:
    items: tuple[Node, ...]


@dataclass(frozen=True)
class Not:
    item: Node


Node = Text | Prefix | Filter | And | Or | Not
Leaf = Text | Prefix | Filter


@dataclass(frozen=True)
class _Token:
    kind: str  # "(", ")", "word", "phrase", "field", "AND", "OR", "NOT", "end"
    text: str
    position: int


_OPERAND_START = {"(", "word", "phrase", "field", "NOT"}


def _lex(query: str) -> list[_Token]:
    tokens: list[_Token] = []
    at = 0
    while at < len(query):
        char = query[at]
        if char.isspace():
            at += 1
        elif char in "()":
            tokens.append(_Token(char, char, at))
            at += 1
        elif char in _QUOTES or char in "”»":
            closing = _QUOTES.get(char)
            end = _find_any(query, closing, at + 1) if closing else -1
            if end < 0:
                raise SearchSyntaxError("this quote is never closed", at)
            tokens.append(_Token("phrase", query[at + 1 : end], at))
            at = end + 1
        else:
            bare = _BARE.match(query, at).group()
            field = _FIELD.match(bare)
            if field:
                name = field.group(1).lower()
                if name not in FIELDS:
                    raise SearchSyntaxError(
                        f"unknown field '{field.group(0)}' (use title:, source: or lang:)", at
                    )
                tokens.append(_Token("field", name, at))
                at += len(field.group(0))
                continue
            tokens.append(_Token(bare if bare in OPERATORS else "word", bare, at))
            at += len(bare)
    tokens.append(_Token("end", "", len(query)))
    return tokens


def _find_any(text: str, chars: str, start: int) -> int:
    found = [index for index in (text.find(char, start) for char in chars) if index >= 0]
    return min(found, default=-1)


class _Parser:
    def __init__(self, query: str):
        self.tokens = _lex(query)
        self.at = 0
        self.depth = 0
        self.leaves = 0

    def peek(self) -> _Token:
        return self.tokens[self.at]

    def take(self) -> _Token:
        token = self.tokens[self.at]
        self.at += 1
        return token

    def query(self) -> Node:
        if self.peek().kind == "end":
            raise SearchSyntaxError("the query is empty", 0)
        node = self.or_expression()
        token = self.peek()
        if token.kind == ")":
            raise SearchSyntaxError("this ')' has no matching '('", token.position)
        return node

    def or_expression(self) -> Node:
        items = [self.and_expression()]
        while self.peek().kind == "OR":
            self.expect_operand_after(self.take())
            items.append(self.and_expression())
        return items[0] if len(items) == 1 else Or(tuple(items))

    def and_expression(self) -> Node:
        items = [self.unary()]
        while True:
            token = self.peek()
            if token.kind == "AND":
                self.expect_operand_after(self.take())
            elif token.kind not in _OPERAND_START:
                break
            items.append(self.unary())
        return items[0] if len(items) == 1 else And(tuple(items))

    def expect_operand_after(self, operator: _Token) -> None:
        if self.peek().kind not in _OPERAND_START:
            raise SearchSyntaxError(
                f"'{operator.text}' must be followed by a search term", operator.position
            )

    def unary(self) -> Node:
        if self.peek().kind == "NOT":
            operator = self.take()
            self.expect_operand_after(operator)
            self.enter(operator)
            node = Not(self.unary())
            self.depth -= 1
            return node
        return self.primary()

    def enter(self, token: _Token) -> None:
        self.depth += 1
        if self.depth > MAX_DEPTH:
            raise SearchSyntaxError(
                f"the query nests more than {MAX_DEPTH} levels deep", token.position
            )

    def primary(self) -> Node:
        token = self.take()
        if token.kind == "(":
            return self.group(token)
        if token.kind in ("word", "phrase"):
            return self.text(token, title_only=False)
        if token.kind == "field":
            return self.field(token)
        if token.kind == ")":
            raise SearchSyntaxError("this ')' has no matching '('", token.position)
        raise SearchSyntaxError(f"'{token.text}' needs a search term on each side", token.position)

    def group(self, opening: _Token) -> Node:
        if self.peek().kind == ")":
            raise SearchSyntaxError("empty parentheses", opening.position)
        if self.peek().kind == "end":
            raise SearchSyntaxError("this '(' is never closed", opening.position)
        self.enter(opening)
        node = self.or_expression()
        self.depth -= 1
        if self.take().kind != ")":
            raise SearchSyntaxError("this '(' is never closed", opening.position)
        return node

    def count_leaf(self, position: int) -> None:
        self.leaves += 1
        if self.leaves > MAX_TERMS:
            raise SearchSyntaxError(f"a query can hold at most {MAX_TERMS} search terms", position)

    def text(self, token: _Token, title_only: bool) -> Text | Prefix:
        self.count_leaf(token.position)
        value = unicodedata.normalize("NFC", token.text)
        if token.kind == "word" and "*" in value:
            return self.prefix(token, value, title_only)
        words = tuple(tokenize(value))
        if not words:
            what = "this phrase" if token.kind == "phrase" else f"'{token.text}'"
            message = f"{what} has no letters or digits to search for"
            raise SearchSyntaxError(message, token.position)
        return Text(words, title_only, token.position)

    def prefix(self, token: _Token, value: str, title_only: bool) -> Prefix:
        star = value.index("*")
        if star != len(value) - 1:
            message = "'*' is allowed only at the end of a word"
            raise SearchSyntaxError(message, token.position + star)
        stem = value[:-1]
        if len(stem) < MIN_PREFIX_CHARS:
            raise SearchSyntaxError(
                f"a prefix needs at least {MIN_PREFIX_CHARS} letters before '*'", token.position
            )
        if tokenize(stem) != [stem]:
            raise SearchSyntaxError("the part before '*' must be a single word", token.position)
        return Prefix(stem.casefold(), title_only, token.position)

    def field(self, token: _Token) -> Node:
        value = self.peek()
        adjacent = value.position == token.position + len(token.text) + 1
        if not adjacent or value.kind not in ("word", "phrase"):
            raise SearchSyntaxError(
                f"'{token.text}:' must be followed by a word or a \"phrase\"", token.position
            )
        self.take()
        if token.text == "title":
            return self.text(value, title_only=True)
        self.count_leaf(token.position)
        text = unicodedata.normalize("NFC", value.text).strip()
        if token.text == "lang":
            if not _LANGUAGE.fullmatch(text.lower()):
                raise SearchSyntaxError(
                    "'lang:' takes a language code such as bg, ru or en", value.position
                )
            return Filter("language", text.lower(), False, token.position)
        prefix = value.kind == "word" and text.endswith("*")
        text = text.removesuffix("*") if prefix else text
        if "*" in text and value.kind == "word":
            star = value.position + value.text.index("*")
            raise SearchSyntaxError("'*' is allowed only at the end of a word", star)
        if not text:
            raise SearchSyntaxError("'source:' needs the name of a source", value.position)
        return Filter("source", text, prefix, token.position)


def parse(query: str) -> Node:
    """The query's syntax tree; raises SearchSyntaxError with the position of the problem."""
    if len(query) > MAX_QUERY_CHARS:
        raise SearchSyntaxError(
            f"the query is longer than {MAX_QUERY_CHARS} characters", MAX_QUERY_CHARS
        )
    return _Parser(query).query()


def positive_leaves(node: Node, negated: bool = False) -> Iterator[Leaf]:
    """Leaves that must be present for a match (under an even number of NOTs)."""
    if isinstance(node, Not):
        yield from positive_leaves(node.item, not negated)
    elif isinstance(node, And | Or):
        for item in node.items:
            yield from positive_leaves(item, negated)
    elif not negated:
        yield node


# SQL ----------------------------------------------------------------------------------------

_INDEX = INDEX_SCHEMA
_UNIVERSE = f"SELECT docid FROM {_INDEX}.docs"
_TITLE_FIELD = f"(SELECT fieldid FROM {_INDEX}.fields WHERE field = 'title_lemmas')"


def _prefix_range(stem: str) -> tuple[str, str]:
    """The forms starting with `stem` are those in [low, high)."""
    return stem, stem[:-1] + chr(ord(stem[-1]) + 1)


def _word_terms(form: str) -> str:
    """SQL of the index terms a word form (a `$parameter`) stands for."""
    return f"SELECT termid FROM {_INDEX}.forms WHERE form = {form}"


def _prefix_terms(low: str, high: str) -> str:
    """SQL of the most frequent index terms of the forms in [low, high) (`$parameters`)."""
    return (
        f"SELECT termid FROM {_INDEX}.forms WHERE form >= {low} AND form < {high} "
        f"GROUP BY termid ORDER BY max(df) DESC LIMIT {PREFIX_EXPANSION_LIMIT}"
    )


class _Compiler:
    """Turns a syntax tree into one SQL query of (article_id[, score]) with `$name` parameters.

    Each word or prefix becomes a term group: the index terms its forms stand for
    (`query_terms`). `hits` reads the occurrences of all of them once, with positions; the
    tree becomes set operations over document ids in `matched`.
    """

    def __init__(self, prefix: str):
        if not _ALIAS.fullmatch(prefix):
            raise ValueError(f"not a parameter prefix: {prefix!r}")
        self.prefix = prefix
        self.params: dict[str, object] = {}
        self.group_sql: list[str] = []
        self.positive_groups: set[int] = set()

    def param(self, value: object) -> str:
        name = f"{self.prefix}_{len(self.params)}"
        self.params[name] = value
        return f"${name}"

    def add_group(self, sql: str) -> int:
        number = len(self.group_sql)
        self.group_sql.append(f"SELECT {number} AS grp, termid FROM ({sql})")
        return number

    def word_group(self, word: str) -> int:
        return self.add_group(_word_terms(self.param(word.casefold())))

    def prefix_group(self, stem: str) -> int:
        low, high = _prefix_range(stem)
        return self.add_group(_prefix_terms(self.param(low), self.param(high)))

    def group_set(self, group: int, title_only: bool) -> str:
        title = f" AND fieldid = {_TITLE_FIELD}" if title_only else ""
        return (
            f"SELECT DISTINCT docid FROM hits WHERE termid IN "
            f"(SELECT termid FROM query_terms WHERE grp = {group}){title}"
        )

    def node(self, node: Node, negated: bool = False) -> str:
        if isinstance(node, Text):
            return self.text(node, negated)
        if isinstance(node, Prefix):
            group = self.prefix_group(node.stem)
            if not negated:
                self.positive_groups.add(group)
            return self.group_set(group, node.title_only)
        if isinstance(node, Filter):
            return self.filter(node)
        if isinstance(node, Not):
            return f"({_UNIVERSE}) EXCEPT ({self.node(node.item, not negated)})"
        if isinstance(node, Or):
            return " UNION ".join(f"({self.node(item, negated)})" for item in node.items)
        return self.conjunction(node, negated)

    def conjunction(self, node: And, negated: bool) -> str:
        present = [item for item in node.items if not isinstance(item, Not)]
        absent = [item.item for item in node.items if isinstance(item, Not)]
        sql = " INTERSECT ".join(f"({self.node(item, negated)})" for item in present)
        sql = f"({sql or _UNIVERSE})"
        for item in absent:
            sql = f"({sql} EXCEPT ({self.node(item, not negated)}))"
        return sql

    def text(self, node: Text, negated: bool) -> str:
        groups = [self.word_group(word) for word in node.words]
        if not negated:
            self.positive_groups.update(groups)
        if len(groups) == 1:
            return self.group_set(groups[0], node.title_only)
        # A phrase: the words at consecutive positions of the same field of one article.
        joins = " ".join(
            f"JOIN hits w{index} ON w{index}.docid = w0.docid AND w{index}.fieldid = w0.fieldid "
            f"AND w{index}.pos = w0.pos + {index} "
            f"AND w{index}.termid IN (SELECT termid FROM query_terms WHERE grp = {group})"
            for index, group in enumerate(groups[1:], start=1)
        )
        title = f" AND w0.fieldid = {_TITLE_FIELD}" if node.title_only else ""
        return (
            f"SELECT DISTINCT w0.docid FROM hits w0 {joins} "
            f"WHERE w0.termid IN (SELECT termid FROM query_terms WHERE grp = {groups[0]}){title}"
        )

    def filter(self, node: Filter) -> str:
        value = self.param(node.value)
        if node.column == "language":
            condition = f"language = {value}"
        elif node.prefix:
            condition = f"starts_with(source, lower({value}))"
        else:
            condition = f"source = lower({value})"
        return f"SELECT docid FROM {_INDEX}.facts WHERE {condition}"

    def compile(self, tree: Node, scored: bool) -> tuple[str, dict[str, object]]:
        matched = self.node(tree)
        groups = " UNION ALL ".join(self.group_sql) or (
            "SELECT NULL::INTEGER AS grp, NULL::BIGINT AS termid WHERE false"
        )
        ctes = [
            f"query_terms AS MATERIALIZED ({groups})",
            f"hits AS MATERIALIZED (SELECT docid, fieldid, termid, pos FROM {_INDEX}.terms "
            "WHERE termid IN (SELECT termid FROM query_terms))",
            f"matched AS MATERIALIZED ({matched})",
        ]
        # The optimizer cannot estimate how few the matches are and would hash all documents
        # to find them; an aggregate-then-unnest of the matches is estimated small.
        matched_docs = "d.docid IN (SELECT unnest(list(docid)) FROM matched)"
        if not scored:
            select = f"SELECT d.name AS article_id FROM {_INDEX}.docs d WHERE {matched_docs}"
        elif self.positive_groups:
            ctes.append(self.scores_cte())
            select = (
                "SELECT d.name AS article_id, coalesce(s.score, 0.0)::DOUBLE AS score "
                f"FROM {_INDEX}.docs d LEFT JOIN scores s USING (docid) WHERE {matched_docs}"
            )
        else:
            select = (
                "SELECT d.name AS article_id, 0.0::DOUBLE AS score "
                f"FROM {_INDEX}.docs d WHERE {matched_docs}"
            )
        return "WITH " + ",\n".join(ctes) + "\n" + select, self.params

    def scores_cte(self) -> str:
        groups = ", ".join(str(group) for group in sorted(self.positive_groups))
        k1, b = BM25_K1, BM25_B
        return f"""scores AS (
            SELECT f.docid, sum(
                log((st.num_docs - t.df + 0.5) / (t.df + 0.5) + 1)
                * f.tf * {k1 + 1} / (f.tf + {k1} * ({1 - b} + {b} * d.len / st.avgdl))
            ) AS score
            FROM (SELECT docid, termid, count(*) AS tf FROM hits
                  WHERE termid IN (SELECT termid FROM query_terms WHERE grp IN ({groups}))
                    AND docid IN (SELECT docid FROM matched)
                  GROUP BY docid, termid) f
            JOIN {_INDEX}.dict t ON t.termid = f.termid
            JOIN (SELECT docid, len FROM {_INDEX}.docs
                  WHERE docid IN (SELECT unnest(list(docid)) FROM matched)) d
              ON d.docid = f.docid
            CROSS JOIN {_INDEX}.stats st
            GROUP BY f.docid)"""


@dataclass(frozen=True)
class CompiledSearch:
    """A parsed query, ready to become SQL."""

    query: str
    tree: Node

    def matches(self, scored: bool = True, prefix: str = "q") -> tuple[str, dict[str, object]]:
        """SQL selecting (article_id, score) of every match, or article_id alone if not scored.

        Parameters are named `$<prefix>_<n>`.
        """
        return _Compiler(prefix).compile(self.tree, scored)

    def stored(self) -> Materialized:
        """The matches as a table the snapshot builds once: article_key, score."""
        matches, params = self.matches()
        select = (
            "SELECT f.article_key, m.score "
            f"FROM ({matches}) m JOIN article_facts f USING (article_id)"
        )
        return materialized("search", select, params)

    def key_clause(self, alias: str = "a", prefix: str = "q") -> tuple[str, dict[str, object]]:
        """A condition on `article_facts AS alias` (any table with its `article_key`): the
        article matches the query. It reads the stored matches (`stored()`), so every
        statement that holds the query runs the search once per snapshot."""
        if not _ALIAS.fullmatch(alias) or not _ALIAS.fullmatch(prefix):
            raise ValueError(f"not a table alias and parameter prefix: {alias!r}, {prefix!r}")
        stored = self.stored()
        return (
            f"{alias}.article_key IN (SELECT article_key FROM {stored.table})",
            {f"{prefix}_matches": stored},
        )

    def clause(self, alias: str = "a", prefix: str = "q") -> tuple[str, dict[str, object]]:
        """A condition on `articles AS alias`: the article matches the query."""
        if not _ALIAS.fullmatch(alias):
            raise ValueError(f"not a table alias: {alias!r}")
        sql, params = self.matches(scored=False, prefix=prefix)
        return f"{alias}.article_id IN (SELECT article_id FROM ({sql}))", params


def compile_search(query: str) -> CompiledSearch:
    """The query parsed (raises SearchSyntaxError), ready to become SQL."""
    return CompiledSearch(query, parse(query))


def search_clause(query: str, alias: str = "a", prefix: str = "q") -> tuple[str, dict]:
    """(SQL condition on `articles AS alias`, params): the article matches the query."""
    return compile_search(query).clause(alias, prefix)


def ranked_matches(
    db: Database,
    query: str | CompiledSearch,
    where: str = "TRUE",
    where_params: dict | None = None,
    order: str = "relevance",
    limit: int = 50,
    offset: int = 0,
) -> pd.DataFrame:
    """A page of matching articles: article_id, published_at, source, title, language, score.

    `where` is a further condition on `articles a` with `$name` parameters (the other
    filters); `order` is "relevance" (BM25, newest first among equals) or "date".
    """
    if order not in ORDERS:
        raise ValueError(f"order must be one of {', '.join(ORDERS)}")
    compiled = query if isinstance(query, CompiledSearch) else compile_search(query)
    matches, params = compiled.matches()
    # Rank with the few columns that filtering and ordering need, then fetch the text
    # columns of the page's rows only: reading titles of every match costs more than the rest.
    sql = f"""
        WITH m AS MATERIALIZED ({matches}),
        page AS (
            SELECT a.article_id, m.score FROM articles a JOIN m ON a.article_id = m.article_id
            WHERE {where} ORDER BY {ORDERS[order]} LIMIT $page_limit OFFSET $page_offset)
        SELECT a.article_id, a.published_at, a.source, a.title, a.language, m.score
        FROM articles a JOIN page m ON a.article_id = m.article_id
        ORDER BY {ORDERS[order]}
    """
    return db.frame(
        sql, {**params, **(where_params or {}), "page_limit": limit, "page_offset": offset}
    )


# Highlighting -------------------------------------------------------------------------------


@dataclass(frozen=True)
class Marker:
    """What to mark for one positive term of a query: a sequence of word sets (one set for a
    word or prefix, several for a phrase), each holding (language tag, case-folded form)."""

    words: tuple[frozenset[tuple[str, str]], ...]
    title_only: bool


def highlight_markers(db: Database, query: str | CompiledSearch) -> tuple[Marker, ...]:
    """The word forms, per language, that the query's positive terms match in the index."""
    tree = query.tree if isinstance(query, CompiledSearch) else parse(query)
    markers = []
    for leaf in positive_leaves(tree):
        if isinstance(leaf, Filter):
            continue
        if isinstance(leaf, Prefix):
            low, high = _prefix_range(leaf.stem)
            terms = _prefix_terms("$low", "$high")
            words = [_forms_of(db, terms, {"low": low, "high": high})]
        else:
            terms = _word_terms("$form")
            words = [_forms_of(db, terms, {"form": word.casefold()}) for word in leaf.words]
        markers.append(Marker(tuple(words), leaf.title_only))
    return tuple(markers)


def _forms_of(db: Database, terms_sql: str, params: dict) -> frozenset[tuple[str, str]]:
    """(language tag, form) of every form of the terms that `terms_sql` selects."""
    rows = db.rows(
        f"SELECT DISTINCT split_part(t.term, ':', 1), f.form FROM {_INDEX}.forms f "
        f"JOIN {_INDEX}.dict t USING (termid) WHERE f.termid IN ({terms_sql})",
        params,
    )
    return frozenset(rows)


def highlight(
    text: str, markers: Iterable[Marker], language: str | None, in_title: bool = False
) -> list[tuple[str, bool]]:
    """The text cut into (segment, is_match) pieces; the pieces join back into the text.

    A word matches when its form in the article's language is one the query matched;
    a phrase marks its words only where they stand in order. `title:` terms mark titles only.
    """
    tag = language_tag(language)
    spans = list(_word_spans(text))
    forms = [(tag, word.casefold()) for _, _, word in spans]
    marked = [False] * len(spans)
    for marker in markers:
        if marker.title_only and not in_title:
            continue
        width = len(marker.words)
        for start in range(len(forms) - width + 1):
            window = forms[start : start + width]
            if all(form in wanted for form, wanted in zip(window, marker.words, strict=True)):
                marked[start : start + width] = [True] * width
    return _segments(text, spans, marked)


def _word_spans(text: str) -> Iterator[tuple[int, int, str]]:
    at = 0
    for word in tokenize(text):
        start = text.index(word, at)
        at = start + len(word)
        yield start, at, word


def _segments(text: str, spans, marked: list[bool]) -> list[tuple[str, bool]]:
    segments: list[tuple[str, bool]] = []
    at = 0
    for (start, end, _), is_match in zip(spans, marked, strict=True):
        if not is_match:
            continue
        if segments and segments[-1][1] and not text[at:start].strip():
            segments[-1] = (segments[-1][0] + text[at:end], True)
        else:
            if start > at:
                segments.append((text[at:start], False))
            segments.append((text[start:end], True))
        at = end
    if at < len(text):
        segments.append((text[at:], False))
    return segments


def highlighted_html(segments: Iterable[tuple[str, bool]]) -> str:
    """HTML for highlighted text: every segment escaped, matches wrapped in <mark>.

    The text cannot open a tag, an attribute or an entity of its own; render the result with
    `st.html` (no markdown, and Streamlit sanitizes it again).
    """
    body = "".join(
        f"<mark>{html.escape(text)}</mark>" if is_match else html.escape(text)
        for text, is_match in segments
    )
    return f'<div style="white-space: pre-wrap">{body}</div>'
