"""The search query language: what parses to what, and where each mistake is reported."""

from __future__ import annotations

import pytest

from analytics.search import (
    MAX_DEPTH,
    MAX_QUERY_CHARS,
    MAX_TERMS,
    And,
    Filter,
    Not,
    Or,
    Prefix,
    SearchSyntaxError,
    Text,
    parse,
    positive_leaves,
)


def word(text: str, position: int, title_only: bool = False) -> Text:
    return Text((text,), title_only, position)


VALID = [
    ("санкции", word("санкции", 0)),
    ("  НАТО  ", word("НАТО", 2)),
    ("санкции Русия", And((word("санкции", 0), word("Русия", 8)))),
    ("санкции AND Русия", And((word("санкции", 0), word("Русия", 12)))),
    ("НАТО OR NATO", Or((word("НАТО", 0), word("NATO", 8)))),
    ("НАТО NOT спорт", And((word("НАТО", 0), Not(word("спорт", 9))))),
    ("NOT спорт", Not(word("спорт", 4))),
    (
        "(НАТО OR NATO) AND Украйна NOT спорт",
        And((Or((word("НАТО", 1), word("NATO", 9))), word("Украйна", 19), Not(word("спорт", 31)))),
    ),
    # AND binds tighter than OR, NOT tighter than AND
    ("a b OR c", Or((And((word("a", 0), word("b", 2))), word("c", 7)))),
    ("a OR b c", Or((word("a", 0), And((word("b", 5), word("c", 7)))))),
    ("NOT a OR b", Or((Not(word("a", 4)), word("b", 9)))),
    ("NOT NOT a", Not(Not(word("a", 8)))),
    ("((a))", word("a", 2)),
    # lower-case and Bulgarian/Russian operator words are plain words
    ("a and b", And((word("a", 0), word("and", 2), word("b", 6)))),
    ("НАТО или Украйна", And((word("НАТО", 0), word("или", 5), word("Украйна", 9)))),
    ("не и", And((word("не", 0), word("и", 3)))),
    ("Or", word("Or", 0)),
    # phrases, in straight and typographic quotes
    ('"Европейски съюз"', Text(("Европейски", "съюз"), False, 0)),
    ("„Европейски съюз“", Text(("Европейски", "съюз"), False, 0)),
    ("«Евросоюз ввёл»", Text(("Евросоюз", "ввёл"), False, 0)),
    ('"санкции"', word("санкции", 0)),
    ('"a AND b"', Text(("a", "AND", "b"), False, 0)),
    ('a"b c"', And((word("a", 0), Text(("b", "c"), False, 1)))),
    # words that hold several tokens are phrases; punctuation around a word is dropped
    ("U.S.", Text(("U", "S"), False, 0)),
    ("COVID-19", word("COVID-19", 0)),
    ("НАТО,", word("НАТО", 0)),
    # prefixes, case-folded
    ("украин*", Prefix("украин", False, 0)),
    ("Украин*", Prefix("украин", False, 0)),
    ("ab*", Prefix("ab", False, 0)),
    # fields
    ("title:санкции", word("санкции", 6, title_only=True)),
    ("TITLE:санкции", word("санкции", 6, title_only=True)),
    ('title:"нови санкции"', Text(("нови", "санкции"), True, 6)),
    ("title:украин*", Prefix("украин", True, 6)),
    ("lang:bg", Filter("language", "bg", False, 0)),
    ("lang:BG", Filter("language", "bg", False, 0)),
    ("source:dnevnik.bg", Filter("source", "dnevnik.bg", False, 0)),
    ("source:dnev*", Filter("source", "dnev", True, 0)),
    ('source:"Капитал Daily"', Filter("source", "Капитал Daily", False, 0)),
    ("10:30", Text(("10", "30"), False, 0)),
    (
        "санкции lang:ru NOT source:tass",
        And(
            (
                word("санкции", 0),
                Filter("language", "ru", False, 8),
                Not(Filter("source", "tass", False, 20)),
            )
        ),
    ),
]


@pytest.mark.parametrize(("query", "expected"), VALID, ids=[q for q, _ in VALID])
def test_valid_query_parses_to_tree(query, expected):
    assert parse(query) == expected


INVALID = [
    ("", "the query is empty", 0),
    ("   ", "the query is empty", 0),
    ("AND a", "'AND' needs a search term on each side", 0),
    ("OR", "'OR' needs a search term on each side", 0),
    ("a AND", "'AND' must be followed by a search term", 2),
    ("a OR", "'OR' must be followed by a search term", 2),
    ("a OR OR b", "'OR' must be followed by a search term", 2),
    ("a AND OR b", "'AND' must be followed by a search term", 2),
    ("NOT", "'NOT' must be followed by a search term", 0),
    ("a NOT", "'NOT' must be followed by a search term", 2),
    ("a NOT )", "'NOT' must be followed by a search term", 2),
    ("(a", "this '(' is never closed", 0),
    ("a (b OR c", "this '(' is never closed", 2),
    ("((a)", "this '(' is never closed", 0),
    ("a)", "this ')' has no matching '('", 1),
    (") a", "this ')' has no matching '('", 0),
    ("(a))", "this ')' has no matching '('", 3),
    ("()", "empty parentheses", 0),
    ("a (AND b)", "'AND' needs a search term on each side", 3),
    ('"санкции', "this quote is never closed", 0),
    ('a "b" "c', "this quote is never closed", 6),
    ("„санкции", "this quote is never closed", 0),
    ('""', "this phrase has no letters or digits to search for", 0),
    ('" ,.; "', "this phrase has no letters or digits to search for", 0),
    ("a - b", "'-' has no letters or digits to search for", 2),
    ("%", "'%' has no letters or digits to search for", 0),
    ("*", "a prefix needs at least 2 letters before '*'", 0),
    ("*украин", "'*' is allowed only at the end of a word", 0),
    ("укр*ин", "'*' is allowed only at the end of a word", 3),
    ("украин**", "'*' is allowed only at the end of a word", 6),
    ("a*", "a prefix needs at least 2 letters before '*'", 0),
    ("U.S*", "the part before '*' must be a single word", 0),
    ("--*", "the part before '*' must be a single word", 0),
    ("titel:санкции", "unknown field 'titel:' (use title:, source: or lang:)", 0),
    ("a https://example.com", "unknown field 'https:' (use title:, source: or lang:)", 2),
    ("title:", "'title:' must be followed by a word or a \"phrase\"", 0),
    ("title: санкции", "'title:' must be followed by a word or a \"phrase\"", 0),
    ("title:(a OR b)", "'title:' must be followed by a word or a \"phrase\"", 0),
    ("title:AND", "'title:' must be followed by a word or a \"phrase\"", 0),
    ("lang:bulgarian", "'lang:' takes a language code such as bg, ru or en", 5),
    ("lang:b1", "'lang:' takes a language code such as bg, ru or en", 5),
    ("source:*", "'source:' needs the name of a source", 7),
    ("source:a*b", "'*' is allowed only at the end of a word", 8),
    ("a " * MAX_TERMS + "b", f"a query can hold at most {MAX_TERMS} search terms", 2 * MAX_TERMS),
    (
        "(" * (MAX_DEPTH + 1) + "a" + ")" * (MAX_DEPTH + 1),
        f"the query nests more than {MAX_DEPTH} levels deep",
        MAX_DEPTH,
    ),
    (
        "NOT " * (MAX_DEPTH + 1) + "a",
        f"the query nests more than {MAX_DEPTH} levels deep",
        4 * MAX_DEPTH,
    ),
    (
        "a" * (MAX_QUERY_CHARS + 1),
        f"the query is longer than {MAX_QUERY_CHARS} characters",
        MAX_QUERY_CHARS,
    ),
]


@pytest.mark.parametrize(
    ("query", "message", "position"), INVALID, ids=[q[:30] or "empty" for q, _, _ in INVALID]
)
def test_invalid_query_reports_message_and_position(query, message, position):
    with pytest.raises(SearchSyntaxError) as raised:
        parse(query)
    assert raised.value.message == message
    assert raised.value.position == position
    assert str(raised.value) == f"{message} (at character {position + 1})"


def test_positive_leaves_skip_negated_terms():
    tree = parse("(НАТО OR NOT спорт) AND NOT (футбол NOT Украйна) title:мач")
    found = {leaf.words[0] for leaf in positive_leaves(tree)}
    assert found == {"НАТО", "Украйна", "мач"}
