"""The fixture corpus the dashboard tests count on: the ETL tags it as expected_tags.yaml says.

Every expected number in tests/test_analytics_*.py and tests/test_pages_*.py is derived by
hand from that file and the articles' dates, so this test names the article whose tags
changed before those numbers go wrong.
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest
import yaml

from analytics.database import Database
from etl.urls import normalize_url

FIXTURES = Path(__file__).parent / "fixtures" / "dashboard"
EXPECTED = yaml.safe_load((FIXTURES / "expected_tags.yaml").read_text("utf-8"))
LANGUAGES = {
    record["url"]: record["lang"]
    for line in (FIXTURES / "articles.jsonl").read_text("utf-8").splitlines()
    if line.endswith("}")
    for record in [json.loads(line)]
}


def _countries(db: Database, article_id: str) -> dict:
    rows = db.rows(
        "SELECT country, mentions, terms FROM article_countries WHERE article_id = $id",
        {"id": article_id},
    )
    return {country: [mentions, list(terms)] for country, mentions, terms in rows}


def _topics(db: Database, article_id: str) -> list:
    rows = db.rows(
        "SELECT topic, terms FROM article_topics WHERE article_id = $id ORDER BY score DESC",
        {"id": article_id},
    )
    return [[topic, list(terms)] for topic, terms in rows]


@pytest.mark.parametrize("url", list(EXPECTED["articles"]))
def test_the_etl_tags_each_fixture_article_as_expected(dashboard_db: Database, url: str) -> None:
    expected = EXPECTED["articles"][url]
    found = dashboard_db.rows(
        "SELECT article_id, dup_group, agency, cited_agencies, source_country, language "
        "FROM articles "
        "WHERE url = $url",
        {"url": normalize_url(url)},
    )
    assert found, f"{url} was not loaded"
    article_id, group, agency, cited, source_country, language = found[0]
    assert language == LANGUAGES[url]
    original = expected.get("copy_of")
    expected_group = dashboard_db.value(
        "SELECT article_id FROM articles WHERE url = $url",
        {"url": normalize_url(original or url)},
    )
    assert (agency, list(cited or []), source_country, group) == (
        expected.get("agency"),
        expected.get("cited_agencies", []),
        expected["source_country"],
        expected_group,
    )
    assert _countries(dashboard_db, article_id) == expected.get("countries", {})
    assert _topics(dashboard_db, article_id) == [
        [topic, terms] for topic, terms in expected.get("topics", {}).items()
    ]


def test_the_broken_last_line_is_recorded_as_an_ingest_error(dashboard_db: Database) -> None:
    errors = dashboard_db.rows("SELECT location, severity, message FROM ingest_errors")
    assert [(location, severity) for location, severity, _ in errors] == [("line 23", "error")]
    assert "truncated JSON" in errors[0][2]
