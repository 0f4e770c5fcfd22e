"""The seed page, read by the real text-page reader and enriched: the acceptance in issue 3."""

from pathlib import Path

import pytest

from etl.enrich import enrich
from etl.readers.text_page import read

SEED = Path(__file__).resolve().parents[2] / "shared" / "seed" / "000_f441dd9075d9dc22.txt"


@pytest.fixture(scope="module")
def seed_article():
    if not SEED.is_file():
        pytest.skip(f"seed page not found at {SEED}")
    (article,) = list(read(SEED))
    return enrich(article)


def test_seed_language(seed_article):
    assert seed_article.language == "bg"


def test_seed_countries_from_the_body_only(seed_article):
    assert {"UA", "KR", "JP", "AU", "NZ", "IR", "KP", "CN", "RU"} <= set(seed_article.countries)
    assert not {"BY", "IL"} & set(seed_article.countries)  # named only in teasers
    assert seed_article.country_terms["KP"] == ["Северна Корея"]
    assert "руската" in seed_article.country_terms["RU"]


def test_seed_topics(seed_article):
    assert {"16000000", "11000000"} <= set(seed_article.topics)
    assert next(iter(seed_article.topics)) == "16000000"


def test_seed_agencies(seed_article):
    assert seed_article.agency == "БГНЕС"
    assert seed_article.cited_agencies == ["Укринформ"]
