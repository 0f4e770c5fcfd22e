"""Enrichers fill the tags of an Article in place: language, countries, topics, agencies.

`enrich(article)` runs them in order. Each enricher is a plain function `(Article) -> None`.
"""

from __future__ import annotations

from etl.record import Article

ENRICHERS: list = []


def enrich(article: Article) -> Article:
    for enricher in ENRICHERS:
        enricher(article)
    return article
