"""What a query finds in the hand-written corpus, how results rank, what gets highlighted, and
that hostile query text never becomes SQL."""

from __future__ import annotations

import duckdb
import pytest
from test_search_corpus import CORPUS, build_search_db

from analytics.database import Database, DatabaseUnavailable
from analytics.search import (
    Marker,
    SearchSyntaxError,
    compile_search,
    highlight,
    highlight_markers,
    highlighted_html,
    ranked_matches,
    search_clause,
)
from etl.schema import migrate


@pytest.fixture(scope="module")
def db(tmp_path_factory):
    return Database(build_search_db(tmp_path_factory.mktemp("search") / "search.duckdb"))


def found(db, query: str) -> set[str]:
    return set(ranked_matches(db, query, limit=100)["article_id"])


def rows(frame) -> list[tuple]:
    return list(frame.itertuples(index=False, name=None))


MATCHES = [
    # lemma-aware, per language
    ("санкция", {"bg-sanctions", "ru-sanctions"}),
    ("санкциите", {"bg-sanctions"}),  # a Bulgarian form: what it stands for in Bulgarian
    ("санкции", {"bg-sanctions", "ru-sanctions"}),  # a form in both languages
    ("Украйнатаа", set()),  # a form no article has, and no lemma
    ("сътрудничество", {"bg-nato"}),
    ("сотрудничество", {"ru-nato"}),
    ("Украйна", {"bg-nato", "bg-football"}),
    ("Украйната", {"bg-nato", "bg-football"}),
    ("украин*", {"bg-farmers", "ru-nato"}),
    ("Украина", {"ru-nato"}),
    ("sanction", {"en-nato"}),
    ("Ukraine", {"en-nato", "en-football"}),
    ("нато", {"bg-nato", "bg-football", "ru-nato"}),
    ("zxqv", {"xx-unknown"}),
    # Boolean operators
    ("(НАТО OR NATO) AND Украйна NOT спорт", {"bg-nato"}),
    ("(НАТО OR NATO) AND Украйна", {"bg-nato", "bg-football"}),
    ("НАТО OR NATO", {"bg-nato", "bg-football", "ru-nato", "en-nato"}),
    ("НАТО Украйна", {"bg-nato", "bg-football"}),
    ("НАТО NOT Украйна", {"ru-nato"}),
    ("NOT НАТО NOT NATO lang:bg", {"bg-sanctions", "bg-farmers", "bg-budget"}),
    ("Ukraine OR NOT lang:en", {c[0] for c in CORPUS if c[1] != "en"} | {"en-nato", "en-football"}),
    ("NOT NOT Украйна", {"bg-nato", "bg-football"}),
    # lower-case and Bulgarian/Russian operator words are words, not operators
    ("НАТО или Украйна", set()),
    ("НАТО и Украйна", {"bg-nato"}),
    ("Украйна не", set()),
    ("sanctions and Russia", set()),
    # phrases: lemma sequences, in order, within one field
    ('"санкции срещу Русия"', {"bg-sanctions"}),
    ('"Русия срещу санкции"', set()),
    ('"НАТО и Украйна"', {"bg-nato"}),
    ('"new cooperation"', {"en-nato"}),
    ('"cooperation new"', set()),
    ('"сътрудничество между НАТО"', {"bg-nato"}),
    ('"банките Европейският"', set()),  # end of one sentence and start of the body: no
    ('"ЕС одобри" "пакет санкции"', {"bg-sanctions"}),
    # fields
    ("title:санкции", {"bg-sanctions", "ru-sanctions"}),
    ("title:енергетиката", set()),
    ('title:"нови санкции"', {"bg-sanctions"}),
    ('title:"нов пакет"', set()),
    ("title:украин*", {"bg-farmers", "ru-nato"}),
    ("lang:ru", {"ru-sanctions", "ru-nato"}),
    ("lang:RU НАТО", {"ru-nato"}),
    ("lang:de", set()),
    ("source:dnevnik.bg", {"bg-sanctions", "bg-farmers"}),
    ("source:DNEVNIK.BG", {"bg-sanctions", "bg-farmers"}),
    ("source:dnevnik", set()),
    ("source:dnev*", {"bg-sanctions", "bg-farmers"}),
    ("source:sport* OR source:tass.example", {"bg-football", "en-football", "ru-nato"}),
    ("NOT source:dnevnik.bg lang:bg", {"bg-nato", "bg-football", "bg-budget"}),
    # hostile text is only ever a value
    ('"Robert\'); DROP TABLE articles;--"', {"en-hostile"}),
    ("100%", {"en-hostile"}),
    ("back\\slash", {"en-hostile"}),
    ("_underscores_", {"en-hostile"}),
    ("_", set()),
    ("__", set()),
    ("script", {"en-hostile"}),
    ("zz' OR '1'='1", set()),
    ("zz%' OR 1=1", set()),
]


@pytest.mark.parametrize(("query", "expected"), MATCHES, ids=[q for q, _ in MATCHES])
def test_query_finds_exactly(db, query, expected):
    assert found(db, query) == expected


def test_hostile_queries_leave_the_database_intact(db):
    assert db.value("SELECT count(*) FROM articles") == len(CORPUS)


@pytest.mark.parametrize(
    "hostile",
    ["'); DROP TABLE articles;--", "100%", "a_b", "back\\slash", "O'Brien", "x' OR 1=1", "%_%"],
)
def test_sql_text_depends_on_the_query_shape_only(hostile):
    compiled = compile_search(f'"{hostile}"')
    words = compiled.tree.words
    same_shape = compile_search('"' + " ".join(["word"] * len(words)) + '"')
    assert compiled.matches()[0] == same_shape.matches()[0]


def test_relevance_ranks_more_occurrences_first(db):
    found_rows = rows(ranked_matches(db, "НАТО", order="relevance"))
    assert found_rows[0][0] in {"bg-nato", "ru-nato"}  # НАТО twice, in short texts
    assert found_rows[-1][0] == "bg-football"  # once, in a longer text
    scores = [row[-1] for row in found_rows]
    assert scores == sorted(scores, reverse=True)


def test_date_order_is_newest_first(db):
    found_rows = rows(ranked_matches(db, "НАТО OR NATO", order="date"))
    assert [row[0] for row in found_rows] == ["bg-football", "ru-nato", "en-nato", "bg-nato"]


def test_page_columns_limit_and_offset(db):
    everything = rows(ranked_matches(db, "Украйна OR Ukraine", limit=10))
    assert len(everything) == 4
    page = rows(ranked_matches(db, "Украйна OR Ukraine", limit=2, offset=2))
    assert page == everything[2:4]
    article_id, _, source, _, language, score = everything[0]
    assert (source, language) == {row[0]: (row[2], row[1]) for row in CORPUS}[article_id]
    assert score > 0


def test_where_clause_of_other_filters_applies(db):
    where = "a.source = $source AND a.published_at >= $since"
    params = {"source": "bnr.bg", "since": "2026-03-01"}
    assert set(ranked_matches(db, "НАТО", where, params)["article_id"]) == {"bg-nato"}


def test_filter_only_queries_have_score_zero(db):
    assert set(ranked_matches(db, "lang:ru")["score"]) == {0.0}


def test_search_clause_selects_from_articles(db):
    clause, params = search_clause("санкция NOT lang:ru", "art", prefix="f_q")
    assert all(name.startswith("f_q_") for name in params)
    found_rows = db.rows(
        f"SELECT art.article_id FROM articles art WHERE {clause} AND art.source = $source",
        {**params, "source": "dnevnik.bg"},
    )
    assert found_rows == [("bg-sanctions",)]


@pytest.mark.parametrize("bad", ["a; DROP TABLE articles", "A", "a b", "1a"])
def test_alias_and_prefix_must_be_identifiers(bad):
    with pytest.raises(ValueError):
        compile_search("a").clause(bad)
    with pytest.raises(ValueError):
        compile_search("a").clause("a", prefix=bad)


def test_database_without_index_says_so(tmp_path):
    path = tmp_path / "fresh.duckdb"
    with duckdb.connect(str(path)) as fresh:
        migrate(fresh)
    with pytest.raises(DatabaseUnavailable, match="search index"):
        Database(path)


def test_syntax_error_raises_before_any_sql(db):
    with pytest.raises(SearchSyntaxError):
        ranked_matches(db, "(санкции")


def test_unknown_order_is_refused(db):
    with pytest.raises(ValueError):
        ranked_matches(db, "санкции", order="score; DROP TABLE articles")


# Highlighting ---------------------------------------------------------------------------------


def marked(segments) -> list[str]:
    return [text for text, is_match in segments if is_match]


def test_segments_rebuild_the_text_exactly(db):
    text = CORPUS[0][5]
    segments = highlight(text, highlight_markers(db, "санкция OR Русия"), "bg")
    assert "".join(part for part, _ in segments) == text
    assert marked(segments) == ["санкции", "Русия", "Санкциите"]


@pytest.mark.parametrize(
    ("text", "query", "language", "in_title", "expected"),
    [
        ("Санкциите срещу Русия", "санкция", "bg", False, ["Санкциите"]),
        ("Нови санкции и стари санкции", "санкция", "bg", False, ["санкции", "санкции"]),
        ("Украинските фермери и Украйна", "Украйна", "bg", False, ["Украйна"]),
        ("Украинските фермери и Украйна", "украин*", "bg", False, ["Украинските"]),
        (
            "Санкции срещу Русия, а Русия срещу санкции",
            '"санкции срещу Русия"',
            "bg",
            False,
            ["Санкции срещу Русия"],
        ),
        ("НАТО и Украйна без спорт", "НАТО NOT спорт", "bg", False, ["НАТО"]),
        ("Нови санкции", "title:санкции", "bg", False, []),
        ("Нови санкции", "title:санкции", "bg", True, ["санкции"]),
        ("Нови санкции", "lang:bg санкции", "bg", False, ["санкции"]),
        ("Sanctions on Russia", "sanction", "en", False, ["Sanctions"]),
        ("Новые санкции", "санкция", "ru", False, ["санкции"]),
        ("Новые санкции", "санкция", "en", False, []),
    ],
)
def test_highlight_marks_what_the_query_matches(db, text, query, language, in_title, expected):
    markers = highlight_markers(db, query)
    assert marked(highlight(text, markers, language, in_title=in_title)) == expected


def test_highlighted_html_escapes_the_text_and_only_adds_mark():
    text = "<script>alert('НАТО')</script> & <b onmouseover=x>НАТО</b>"
    nato = Marker((frozenset({("bg", "нато")}),), title_only=False)
    rendered = highlighted_html(highlight(text, [nato], "bg"))
    assert "<script" not in rendered and "<b " not in rendered
    assert rendered.count("<mark>") == 2
    assert "&lt;script&gt;alert(&#x27;<mark>НАТО</mark>&#x27;)&lt;/script&gt;" in rendered
    assert "&amp;" in rendered
