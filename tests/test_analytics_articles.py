"""The article list, one article in full, its tags and copies, on the fixture corpus."""

from __future__ import annotations

from datetime import date

import pytest

from analytics.articles import (
    article,
    article_copies,
    article_countries,
    article_topics,
    count_articles,
    matching_articles,
)
from analytics.database import Database
from analytics.filters import Filters

W13 = Filters(period="custom", start=date(2026, 3, 23), end=date(2026, 3, 29))


def _id(db: Database, url: str) -> str:
    return db.value("SELECT article_id FROM articles WHERE url = $url", {"url": url})


def test_newest_first_in_pages(dashboard_db: Database) -> None:
    first = matching_articles(dashboard_db, W13, page_size=5)
    assert first["url"].str.rsplit("/", n=1).str[-1].tolist() == [
        "levski-cska-derby",
        "markup-test",
        "formula-title",
        "gazprom-europe",
        "germany-floods",
    ]
    last = matching_articles(dashboard_db, W13, page=3, page_size=5)
    assert last["source"].tolist() == ["novinite.com", "bta.bg", "dnevnik.bg"]
    assert last["copies"].tolist() == [1, 2, 2]
    assert count_articles(dashboard_db, W13) == 13


def test_most_copied_first(dashboard_db: Database) -> None:
    frame = matching_articles(dashboard_db, W13, sort="copies", page_size=4)
    assert frame["source"].tolist() == ["novinite.com", "bbc.co.uk", "bta.bg", "dnevnik.bg"]


def test_undated_articles_come_last(dashboard_db: Database) -> None:
    frame = matching_articles(dashboard_db, Filters(), page=3, page_size=10)
    assert frame["title"].tolist()[-1] == "Общината ремонтира улица в центъра"


def test_list_columns_name_tags(dashboard_db: Database) -> None:
    frame = matching_articles(dashboard_db, Filters(text="Киев"))
    row = frame.iloc[0]
    assert (row["countries"], row["topics"], row["agency"]) == (
        "UA, RU, TR, US",
        "politics",
        "БГНЕС",
    )


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("бюджет", 2),  # "бюджета" twice (by lemma); "проектобюджета" is another word
        ("бюджет*", 2),
        ("проектобюджет OR budget", 2),
        ("Киев NOT Русия", 0),
        ('"Ukraine and Russia"', 2),
        ("budget parliament", 1),
        ("x'); DROP TABLE articles; --", 0),
        ('"unbalanced quote', 0),  # not a valid search: matched as typed
    ],
)
def test_text_query(dashboard_db: Database, text: str, expected: int) -> None:
    assert count_articles(dashboard_db, Filters(text=text)) == expected


def test_all_countries_means_every_chosen_one(dashboard_db: Database) -> None:
    both = Filters(countries=("TR", "UA"), all_countries=True)
    either = Filters(countries=("TR", "UA"))
    assert count_articles(dashboard_db, both) == 2
    assert count_articles(dashboard_db, either) == 5


def test_an_article_in_full_with_why_it_was_tagged(dashboard_db: Database) -> None:
    article_id = _id(dashboard_db, "https://dnevnik.bg/budget-2026")
    record = article(dashboard_db, article_id, "Europe/Sofia")
    assert record["title"] == "Парламентът прие бюджета за 2026 г."
    assert record["published"].isoformat() == "2026-03-23T10:00:00"
    assert (record["agency"], record["language_name"], record["copies"]) == (
        "БГНЕС",
        "Bulgarian",
        2,
    )
    countries = article_countries(dashboard_db, article_id)
    assert countries.to_dict("records") == [
        {"country": "BG", "name": "Bulgaria", "mentions": 1, "terms": "България"}
    ]
    topics = article_topics(dashboard_db, article_id)
    assert topics["topic"].tolist() == ["11000000", "04000000"]
    assert topics.iloc[0]["terms"].startswith("парламент, Народно събрание, гласуване")
    copies = article_copies(dashboard_db, article_id)
    assert copies[["source", "agency"]].values.tolist() == [["bta.bg", "БТА"]]


def test_an_unknown_article_is_none(dashboard_db: Database) -> None:
    assert article(dashboard_db, "no-such-id") is None
