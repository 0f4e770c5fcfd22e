"""Agencies: the one that filed the story (sign-off, dateline) apart from the ones it cites."""

import pytest

from etl.enrich.agencies import find_agencies, tag_agencies
from etl.record import Article

CASES = [
    (
        "bg",
        "Заяви министърът, цитиран от Укринформ.\n\nТой добави още. /БГНЕС",
        "БГНЕС",
        ["Укринформ"],
    ),
    ("bg", "Кабинетът одобри проекта, съобщи Ройтерс. (БТА)", "БТА", ["Reuters"]),
    (
        "en",
        "LONDON (Reuters) - Prices rose, according to AFP and the Associated Press.",
        "Reuters",
        ["AFP", "AP"],
    ),
    ("en", "Talks ended on Friday without a deal, officials said. – AP", "AP", []),
    ("ru", "КИЕВ, 3 июня. /ТАСС/. Об этом сообщает Интерфакс.", "ТАСС", ["Интерфакс"]),
    ("es", "BRUSELAS, 2 jun (EFE).- La Comisión propuso nuevas normas.", "EFE", []),
    ("de", "Hamburg (dpa) - Der Hafen meldet weniger Umschlag.", "dpa", []),
    ("it", "Lo spread scende sotto i 100 punti, riporta l'ANSA.", None, ["ANSA"]),
    ("en", "Reuters and AFP reported the same figures.", None, ["Reuters", "AFP"]),
    ("en", "The app and the ap course: nothing here names a wire.", None, []),
]


@pytest.mark.parametrize(("language", "body", "filing", "cited"), CASES)
def test_filing_and_cited_agencies(language, body, filing, cited):
    assert find_agencies("Заглавие / Title", body, language) == (filing, cited)


def test_an_agency_given_by_the_input_is_kept():
    article = Article(
        "t", title="T", body="Text, said officials. /БГНЕС", language="bg", agency="BTA"
    )
    tag_agencies(article)
    assert article.agency == "BTA"
