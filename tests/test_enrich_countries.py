"""Country tagging: inflected names, demonyms, capitals, multi-word names, whole words only."""

import pytest

from etl.enrich.countries import find_countries, tag_countries
from etl.record import Article

CASES = [
    # Bulgarian definite and adjective forms, capital, abbreviation
    ("bg", "Руската армия и украинските сили; руснаците отстъпиха.", {"RU": 2, "UA": 1}),
    ("bg", "Вашингтон и Пекин, САЩ и КНР.", {"US": 2, "CN": 2}),
    # multi-word names win over their parts
    ("bg", "Северна Корея заплаши Южна Корея.", {"KP": 1, "KR": 1}),
    ("bg", "Посланикът на Южна Африка пристигна.", {"ZA": 1}),
    # ЕС and continents are not countries
    ("bg", "ЕС и Европейският съюз обсъдиха Южна Америка и Латинска Америка.", {}),
    # Russian, Ukrainian and Serbian cases
    (
        "ru",
        "Войска России вошли в Киеве; переговоры с Францией и Германией.",
        {"RU": 1, "UA": 1, "FR": 1, "DE": 1},
    ),
    (
        "uk",
        "У Києві представники Польщі та Угорщини зустрілися з посланцями Кореї.",
        {"UA": 1, "PL": 1, "HU": 1},
    ),
    ("sr", "Министри Србије и Хрватске састали су се у Београду.", {"RS": 2, "HR": 1}),
    ("sr", "Ministri Srbije i Nemačke sastali su se u Beogradu.", {"RS": 2, "DE": 1}),
    ("de", "Die Regierung Russlands und die ukrainische Armee.", {"RU": 1, "UA": 1}),
    (
        "pl",
        "Premier Polski rozmawiał w Waszyngtonie z prezydentem Ukrainy.",
        {"PL": 1, "US": 1, "UA": 1},
    ),
    # whole words only, capitals matter for names that are also words
    ("en", "A woman from Ohio met an Omani diplomat.", {"OM": 1}),
    ("en", "They ate turkey and china plates; Turkey and China signed a deal.", {"TR": 1, "CN": 1}),
    ("en", "The EU and the European Union met in the Indian Ocean region.", {}),
    (
        "en",
        "North Korean troops crossed; South Korea's army and the U.S. and UK responded.",
        {"KP": 1, "KR": 1, "US": 1, "GB": 1},
    ),
    ("pt", "Comemos peru no Natal em Lisboa.", {"PT": 1}),
    ("hr", "Mali broj ljudi došao je u Zagreb.", {"HR": 1}),
]


@pytest.mark.parametrize(("language", "text", "expected"), CASES)
def test_countries_and_mentions(language, text, expected):
    mentions, _ = find_countries(text, language)
    assert dict(mentions) == expected


def test_terms_show_the_words_as_written():
    _, terms = find_countries("Руската армия напусна Русия. Руските войници...", "bg")
    assert terms == {"RU": ["Руската", "Русия", "Руските"]}


def test_title_and_body_are_tagged():
    article = Article("t", title="Япония и Австралия", body="Среща в Канбера.", language="bg")
    tag_countries(article)
    assert article.countries == {"AU": 2, "JP": 1}
    assert article.country_terms["AU"] == ["Австралия", "Канбера"]


def test_article_without_text_keeps_the_countries_it_came_with():
    article = Article("t", text_enriched=False, countries={"FR": 3})
    tag_countries(article)
    assert article.countries == {"FR": 3}
