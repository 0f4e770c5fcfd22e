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
    # Greek: nominative and genitive names, demonyms, adjectives, capitals; accents and final
    # sigma folded (headlines in capitals drop the accents)
    ("el", "Ο Τούρκος υπουργός συναντήθηκε με Έλληνες βουλευτές στην Αθήνα.", {"TR": 1, "GR": 2}),
    ("el", "Η ελληνική οικονομία και οι εξαγωγές της Κίνας.", {"GR": 1, "CN": 1}),
    (
        "el",
        "Πρόσφυγες της Συρίας έφτασαν από τον Λίβανο και του Καναδά.",
        {"SY": 1, "LB": 1, "CA": 1},
    ),
    ("el", "ΣΕΙΣΜΟΣ ΣΤΗΝ ΤΟΥΡΚΙΑ: ΒΟΗΘΕΙΑ ΑΠΟ ΤΗΝ ΕΛΛΑΔΑ", {"TR": 1, "GR": 1}),
    ("el", "Ο πρόεδρος των Ηνωμένων Πολιτειών μίλησε με Ρώσους διπλωμάτες.", {"US": 1, "RU": 1}),
    ("el", "Η Ευρωπαϊκή Ένωση και η Λατινική Αμερική.", {}),
    # Belarusian: the CLDR name wins over a Hong Kong "(Кітай)" variant; inflected forms
    ("be", "Кітай павялічыў экспарт, паведамілі ў Пекіне.", {"CN": 2}),
    ("be", "Канадзец выйграў турнір, а двух канадзцаў узнагародзілі ў Атаве.", {"CA": 3}),
    # demonyms and adjectives
    ("uk", "Бразилець забив, а аргентинець пропустив.", {"BR": 1, "AR": 1}),
    ("de", "Zwei Südkoreaner und ein Nordkoreaner trafen sich.", {"KR": 1, "KP": 1}),
    ("pt", "O governo grego e a economia ruandesa.", {"GR": 1, "RW": 1}),
    ("pl", "Polka i Białorusin zdobyli medale; Niemka była trzecia.", {"PL": 1, "BY": 1, "DE": 1}),
    ("en", "Cambodian officials met a Rwandan delegation.", {"KH": 1, "RW": 1}),
    ("ro", "Trupele rusești și companiile chinezești.", {"RU": 1, "CN": 1}),
    ("tr", "Bakan Amsterdam'daki toplantıya Paris'ten geldi.", {"NL": 1, "FR": 1}),
    # clubs named after a city do not name the country; the city alone still does
    ("bg", "ЦСКА (София) загуби, а Левски София спечели.", {}),
    ("bg", "Премиерът пристигна в София.", {"BG": 1}),
    ("es", "El Atlético de Madrid y el Real Madrid empataron en Sevilla.", {}),
    ("be", "Дынама Мінск прайграла ў Гомелі.", {}),
    ("hr", "RK Zagreb je pobijedio, a Dinamo Zagreb izgubio.", {}),
    ("mk", "РК Загреб гостуваше во Скопје.", {"MK": 1}),
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
