"""Enrichers fill the tags of an Article in place: language, countries, topics, agencies.

`enrich(article)` runs them in order. Each enricher is a plain function `(Article) -> None`.
Language comes first: the other taggers match words by lemma in the article's language. The
publisher's country is set for every article; the text taggers skip articles without text.
"""

from __future__ import annotations

from etl.enrich.agencies import tag_agencies
from etl.enrich.countries import tag_countries
from etl.enrich.language import tag_language
from etl.enrich.sources import tag_source_country
from etl.enrich.topics import tag_topics
from etl.record import Article

ENRICHERS: list = [tag_language, tag_source_country, tag_countries, tag_topics, tag_agencies]


def enrich(article: Article) -> Article:
    for enricher in ENRICHERS:
        enricher(article)
    return article
