"""The publisher's own country (`source_country`), from `etl/reference/source_registry.csv`.

Looked up by the outlet's name, then by its web domain and each parent domain
(news.bbc.co.uk, bbc.co.uk, co.uk), then by the top-level domain, where a country code (.bg)
stands for its country unless the registry says the code is used generically (.tv, .io).
"""

from __future__ import annotations

import csv
import re
from functools import cache

from etl.enrich.countries import country_codes
from etl.record import Article
from etl.reference import load_list
from etl.urls import url_domain

_DOMAIN = re.compile(r"^(?:[a-z0-9-]+\.)+[a-z]{2,}$")


@cache
def registry() -> dict[str, str]:
    """Registry key (domain, `.tld` or casefolded outlet name) -> ISO code ('' = none)."""
    rows = csv.reader(load_list("source_registry.csv"))
    header = next(rows)
    if header != ["key", "country"]:
        raise ValueError(f"source_registry.csv: expected header 'key,country', got {header}")
    return {key.strip().casefold(): country.strip().upper() for key, country in rows}


def _domain_of(article: Article) -> str | None:
    domain = url_domain(article.url)
    if domain:
        return domain
    name = (article.source or "").casefold().removeprefix("www.")
    return name if _DOMAIN.match(name) else None


def country_of_domain(domain: str) -> str | None:
    table = registry()
    labels = domain.split(".")
    for i in range(len(labels) - 1):
        parent = ".".join(labels[i:])
        if parent in table:
            return table[parent] or None
    tld = "." + labels[-1]
    if tld in table:
        return table[tld] or None
    code = labels[-1].upper()
    return code if code in country_codes() else None


def source_country(article: Article) -> str | None:
    by_name = registry().get((article.source or "").casefold())
    if by_name is not None:
        return by_name or None
    domain = _domain_of(article)
    return country_of_domain(domain) if domain else None


def tag_source_country(article: Article) -> None:
    """Runs for every article, with or without text."""
    article.source_country = article.source_country or source_country(article)
