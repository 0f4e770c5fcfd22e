"""The publisher's own country, from the source registry and top-level domains."""

import pytest

from etl.enrich import enrich
from etl.enrich.sources import source_country
from etl.record import Article


@pytest.mark.parametrize(
    ("url", "source", "country"),
    [
        ("https://www.bnr.bg/post/1", None, "BG"),
        ("https://news.bbc.co.uk/world/2", None, "GB"),
        ("https://some-paper.ro/a", None, "RO"),
        ("https://local.news.com.ua/a", None, "UA"),
        ("https://reuters.com/world/a", None, "GB"),
        ("https://streams.tv/a", None, None),
        ("https://example.com/a", None, None),
        (None, "БГНЕС", "BG"),
        (None, "dnevnik.bg", "BG"),
        (None, "Unknown Weekly", None),
        ("https://example.com/a", "Deutsche Welle", "DE"),
    ],
)
def test_source_country(url, source, country):
    assert source_country(Article("t", title="x", url=url, source=source)) == country


def test_rows_without_text_still_get_a_source_country_and_keep_their_countries():
    article = Article("t", url="https://www.lemonde.fr/a", text_enriched=False, countries={"ML": 2})
    enrich(article)
    assert article.source_country == "FR"
    assert article.countries == {"ML": 2}
    assert article.topics == {}
