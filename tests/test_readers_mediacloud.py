"""Media Cloud story exports (legacy and search-tool CSV) map onto the article record."""

from datetime import datetime
from pathlib import Path

import pytest

from etl.readers.mediacloud import read
from etl.record import Article, IngestError

EXPORTS = Path(__file__).parent / "fixtures" / "inputs" / "mediacloud"


def _read(name: str) -> tuple[list[Article], list[IngestError]]:
    items = list(read(EXPORTS / name))
    return (
        [item for item in items if isinstance(item, Article)],
        [item for item in items if isinstance(item, IngestError)],
    )


# file, line, title, published_at, url, source, language hint, agency, story id
ROWS = [
    (
        "legacy_stories.csv", 2, "Senate passes relief bill, sends it to the House",
        datetime(2021, 3, 4, 17, 25, 43),
        "https://capitolreport.example/politics/relief-bill-senate",
        "Capitol Report", "en", "AP", "1843392011",
    ),
    (
        "legacy_stories.csv", 3, "Прокуратурата повдигна обвинение на бивш министър",
        datetime(2021, 3, 4, 18, 2, 11),
        "https://sofiatoday.example/bg/obvinenie-ministar",
        "sofiatoday.example", "bg", None, "1843392187",
    ),
    (
        "legacy_stories.csv", 6, "Canadian port strike ends after mediation",
        datetime(2021, 3, 5, 7, 45),
        "https://northernwire.example/port-strike-ends",
        "Northern Wire", "en", None, "1843392401",
    ),
    (
        "search_export.csv", 2, "Stadtrat beschließt neues Radwegenetz",
        datetime(2024, 6, 12),
        "https://tagesbote-nord.example/lokales/radwegenetz-beschlossen",
        "Tagesbote Nord", "de", None, "7d9b2c1e4a5f60718293a4b5c6d7e8f9",
    ),
    (
        "search_export.csv", 3, "El puerto amplía su terminal de cruceros",
        datetime(2024, 6, 11),
        "https://diariocosta.example/puerto-terminal-cruceros",
        "diariocosta.example", "es", None, "a1b2c3d4e5f60718293a4b5c6d7e8f90",
    ),
]


@pytest.mark.parametrize(
    ("name", "line", "title", "published", "url", "source", "hint", "agency", "story_id"), ROWS
)
def test_story_row(name, line, title, published, url, source, hint, agency, story_id):
    articles, _ = _read(name)
    article = next(a for a in articles if a.origin == f"{EXPORTS / name}:{line}")
    assert article.title == title
    assert article.published_at == published
    assert article.url == url
    assert article.source == source
    assert article.language_hint == hint
    assert article.agency == agency
    assert article.extra["mediacloud_story_id"] == story_id
    assert "stories_id" not in article.extra and "id" not in article.extra


def test_other_media_cloud_fields_are_kept():
    articles, _ = _read("legacy_stories.csv")
    assert articles[0].extra["themes"] == "politics and government; finances"
    assert articles[0].extra["media_id"] == "18364"


def test_bad_date_and_short_row_lose_nothing_around_them():
    articles, errors = _read("legacy_stories.csv")
    assert len(articles) == 4
    heatwave = next(a for a in articles if a.title == "Heatwave hits southern Europe")
    assert heatwave.published_at is None and "not a date" in heatwave.date_problem
    (error,) = errors
    assert error.location == "line 5"
    assert "header has 10" in error.message


def test_export_without_any_title_or_text_column_is_reported(tmp_path):
    path = tmp_path / "ids_only.csv"
    path.write_text("stories_id,media_id\n1,2\n", encoding="utf-8")
    (error,) = list(read(path))
    assert isinstance(error, IngestError)
    assert "no title or text" in error.message
