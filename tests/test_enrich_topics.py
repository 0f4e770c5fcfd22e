"""Topic rules: IPTC defaults from data files, inflected terms, scores, vetoes, analyst topics."""

from pathlib import Path

from etl.enrich.topics import rules, score_topics, tag_topics, topic_labels
from etl.record import Article

ANALYST_TOPIC = """\
# An analyst's own topic.
id: elections-2026
label: Elections 2026
threshold: 4
terms:
  en: {election: 3, ballot: 2, polling station: 2, turnout: 2}
not:
  en: [student union]
"""


def test_default_taxonomy_is_the_17_iptc_top_level_topics():
    labels = topic_labels()
    assert len(labels) == 17
    assert all(len(topic) == 8 and topic.isdigit() for topic in labels)
    assert labels["16000000"] == "conflict, war and peace"
    assert labels["11000000"] == "politics"


def test_every_default_topic_has_terms_in_the_required_languages():
    for rule in rules():
        assert {"bg", "en", "ru", "uk", "de", "fr", "es"} <= set(rule.terms), rule.topic


def test_inflected_forms_reach_the_listed_lemma():
    scores, terms = score_topics("", "Войната продължава, а войските обстрелват фронта.", "bg")
    assert next(iter(scores)) == "16000000"
    assert {"война", "войска", "фронт"} <= set(terms["16000000"])


def test_longest_phrase_wins_across_topics():
    scores, terms = score_topics("The trade war", "The trade war hit exports and tariffs.", "en")
    assert "16000000" not in scores
    assert "trade war" in terms["04000000"]


def test_a_word_in_the_title_counts_double():
    in_body, _ = score_topics("News", "The striker scored in the match.", "en")
    in_title, _ = score_topics("Striker scores", "He scored in the match.", "en")
    assert in_title["15000000"] > in_body["15000000"]


def test_one_word_repeated_is_not_enough_in_an_article():
    text = (
        "Education, education, education, the speaker said at the opening of the annual "
        "meeting in the town hall on Friday evening. " * 5
    )
    scores, _ = score_topics("", text, "en")
    assert "05000000" not in scores


def test_in_a_brief_a_repeated_word_adds_nothing():
    scores, _ = score_topics("", "Strike, strike, strike.", "en")
    assert scores == {}


BRIEFS = [  # (title, body, language, topic): short items that name their topic once or twice
    (
        "Lech przegrywa w Gdańsku",
        "Gospodarze strzelili zwycięskiego gola w doliczonym czasie. Poznaniacy spadli na "
        "czwarte miejsce w tabeli.",
        "pl",
        "15000000",
    ),
    (
        "Νέος πρόεδρος της Βουλής",
        "Η ψηφοφορία ολοκληρώθηκε το απόγευμα. Τον υποψήφιο στήριξαν 170 βουλευτές.",
        "el",
        "11000000",
    ),
    (
        "Inflatie daalt naar 3 procent",
        "De prijzen stegen in maart minder snel dan in februari, meldt het statistiekbureau.",
        "nl",
        "04000000",
    ),
    (
        "Hackeři napadli síť nemocnice",
        "Výzkumníci z univerzity odhalili chybu v softwaru, kterou útočníci využili.",
        "cs",
        "13000000",
    ),
]


def test_a_brief_gets_its_topic_from_one_or_two_topic_words():
    for title, body, language, topic in BRIEFS:
        scores, _ = score_topics(title, body, language)
        assert next(iter(scores), None) == topic, (title, scores)


def test_a_brief_may_rest_on_one_topic_word_in_its_title():
    _, terms = score_topics(
        "Halbfinale erreicht", "Die Gastgeberinnen gewannen am Abend in Hamburg.", "de"
    )
    assert terms == {"15000000": ["Halbfinale"]}
    longer = "Die Gastgeberinnen gewannen am Abend in Hamburg vor vielen Zuschauern. " * 9
    assert score_topics("Halbfinale erreicht", longer, "de")[0] == {}


def test_a_recipe_gets_no_conflict_topic():
    text = (
        "Beat two eggs with sugar, fold in the flour and bake the cake for 40 minutes. "
        "Serve it warm with whipped cream."
    )
    scores, _ = score_topics("A quick sponge cake", text, "en")
    assert "16000000" not in scores


def test_a_brief_with_full_evidence_for_one_topic_keeps_only_that_topic():
    scores, _ = score_topics(
        "Parliament passes budget",
        "Lawmakers voted 120 to 80; the opposition walked out. Ministers said the deficit "
        "would fall. A striker attended the session.",
        "en",
    )
    assert "15000000" not in scores


def test_the_five_desk_topics_have_terms_in_every_language_the_detector_reads():
    detected = {"bg", "mk", "ru", "uk", "sr", "en", "de", "fr", "es", "it", "pt", "pl", "ro"}
    detected |= {"hr", "sl", "cs", "sk", "tr", "nl", "el"}
    for rule in rules():
        if rule.topic in {"04000000", "11000000", "13000000", "15000000", "16000000"}:
            assert detected <= set(rule.terms), (rule.topic, detected - set(rule.terms))


def test_topics_are_ranked_by_score_with_the_terms_behind_them():
    article = Article(
        "t",
        title="Central bank raises interest rates",
        body="Inflation and a weak economy worry investors; the minister defended the budget.",
        language="en",
    )
    tag_topics(article)
    assert next(iter(article.topics)) == "04000000"
    assert list(article.topics.values()) == sorted(article.topics.values(), reverse=True)
    # title terms of weight 3 count double and come first; ties in alphabetical order
    assert article.topic_terms["04000000"][:2] == ["central bank", "interest rate"]


def test_an_analyst_topic_file_with_a_not_term(tmp_path: Path):
    (tmp_path / "elections-2026.yaml").write_text(ANALYST_TOPIC, encoding="utf-8")
    text = "Turnout at every polling station was high on election day."
    scores, terms = score_topics("", text, "en", tmp_path)
    assert scores == {"elections-2026": 7.0}
    assert terms == {"elections-2026": ["election", "polling station", "turnout"]}
    vetoed, _ = score_topics("", text + " The student union counted.", "en", tmp_path)
    assert vetoed == {}
    assert topic_labels(tmp_path) == {"elections-2026": "Elections 2026"}


def test_article_without_text_gets_no_topics():
    article = Article("t", text_enriched=False)
    tag_topics(article)
    assert article.topics == {}
