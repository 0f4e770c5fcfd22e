"""RSS 2.0, RSS 1.0 and Atom feeds: one article per item, UTC dates, legacy encodings, bad XML."""

from datetime import datetime
from pathlib import Path

import pytest

from etl.readers.feeds import read
from etl.record import Article, IngestError

FEEDS = Path(__file__).parent / "fixtures" / "inputs" / "feeds"


def _read(name: str, source: str | None = None) -> tuple[list[Article], list[IngestError]]:
    items = list(read(FEEDS / name, source))
    return (
        [item for item in items if isinstance(item, Article)],
        [item for item in items if isinstance(item, IngestError)],
    )


# file, item number, title, published_at (UTC), url, source, language hint, text in the body
ITEMS = [
    (
        "rss2_bg_windows1251.xml", 1, "Смолян получава нова детска болница",
        datetime(2026, 3, 20, 8, 15),
        "https://rodopinews.example/region/detska-bolnitsa-smolyan",
        "Новини от Родопите", "bg", "Проектът е на стойност 24 милиона лева",
    ),
    (
        "rss2_bg_windows1251.xml", 2, "Пътят за Пампорово е затворен заради снеговалеж",
        datetime(2026, 3, 20, 7, 30),
        "https://rodopinews.example/region/pat-pamporovo-zatvoren",
        "Новини от Родопите", "bg", "Снегорини работят на място",
    ),
    (
        "atom_en.atom", 1, "Talks on Arctic fishing quotas & shipping lanes resume",
        datetime(2026, 2, 15, 3, 45),
        "https://lakesidechronicle.example/world/arctic-talks-resume",
        "Lakeside Chronicle – World", "en", "traffic through northern waters has doubled",
    ),
    (
        "atom_en.atom", 2, "Volcano on remote island shows signs of unrest",
        datetime(2026, 2, 13, 6, 0),
        "https://lakesidechronicle.example/world/volcano-unrest",
        "Lakeside Chronicle – World", "en", "raised the alert level to yellow",
    ),
    (
        "rss1_de.rdf", 1, "Lawinengefahr in Tirol auf höchster Stufe",
        datetime(2026, 1, 18, 5, 20),
        "https://alpenbote.example/lawinengefahr",
        "Alpenbote", "de", "Straßen über die Pässe sind gesperrt",
    ),
    (
        "aggregator.rss", 1, "Energy prices fall for third month",
        datetime(2026, 3, 9, 14, 0),
        "https://valleypost.example/economy/energy-prices-fall",
        "Valley Post", None, "wholesale gas prices eased",
    ),
    (
        "aggregator.rss", 2, "Los precios de la energía bajan por tercer mes",
        datetime(2026, 3, 9, 15, 30),
        "https://elmirador.example/economia/precios-energia",
        "El Mirador", None, "tercer mes consecutivo",
    ),
]


@pytest.mark.parametrize(
    ("name", "number", "title", "published", "url", "source", "hint", "text"), ITEMS
)
def test_feed_item(name, number, title, published, url, source, hint, text):
    articles, _ = _read(name)
    article = next(a for a in articles if a.origin == f"{FEEDS / name}#{number}")
    assert article.title == title
    assert article.published_at == published
    assert article.url == url
    assert article.source == source
    assert article.language_hint == hint
    assert text in article.body
    assert "<" not in article.body and "&amp;" not in article.body


def test_full_content_is_preferred_over_the_teaser_and_markup_becomes_paragraphs():
    articles, _ = _read("rss2_bg_windows1251.xml")
    body = articles[0].body
    assert body.startswith("Община Смолян подписа договор")
    assert "\n\nПроектът е на стойност" in body
    assert articles[0].extra["categories"] == ["Здраве"]
    assert articles[0].extra["author"] == "Елена Иванова"


def test_page_furniture_inside_item_html_is_dropped():
    articles, _ = _read("atom_en.atom")
    assert "Share this article" not in articles[0].body


def test_unreadable_item_date_is_kept_as_a_problem_and_the_item_loads():
    articles, _ = _read("rss2_bg_windows1251.xml")
    festival = next(a for a in articles if a.title.startswith("Фестивал"))
    assert festival.published_at is None
    assert "някой ден" in festival.date_problem


def test_empty_item_is_an_error_for_that_item_only():
    articles, errors = _read("rss2_bg_windows1251.xml")
    assert len(articles) == 3
    assert [(e.location, e.severity) for e in errors] == [("item 4", "error")]
    assert "no title, text or link" in errors[0].message


def test_feed_title_is_the_source_and_command_line_source_only_a_fallback():
    articles, _ = _read("rss1_de.rdf", "Fallback Name")
    assert articles[0].source == "Alpenbote"


def test_malformed_xml_reports_the_line_and_keeps_every_recoverable_item():
    articles, errors = _read("malformed.xml")
    assert [a.title for a in articles] == [
        "Ferry service restored after storm",
        "Fish & chips shop wins national award",
        "Harbour wall repairs to start in April",
    ]
    (error,) = errors
    assert error.location == "line 13"
    assert "malformed feed XML" in error.message


def test_truncated_feed_keeps_the_items_before_the_cut():
    articles, errors = _read("truncated.atom")
    assert [a.title for a in articles] == ["Talks on Arctic fishing quotas & shipping lanes resume"]
    assert any("malformed feed XML" in e.message for e in errors)


@pytest.mark.parametrize(
    ("content", "reason"),
    [
        (None, "not an RSS or Atom feed"),
        (b"", "empty file"),
        (b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR", "not an RSS or Atom feed"),
    ],
)
def test_file_that_is_not_a_feed_is_one_clear_error(tmp_path, content, reason):
    path = FEEDS / "not_a_feed.xml"
    if content is not None:
        path = tmp_path / "broken.xml"
        path.write_bytes(content)
    (error,) = list(read(path))
    assert isinstance(error, IngestError)
    assert reason in error.message


def test_feed_without_items_is_a_warning(tmp_path):
    path = tmp_path / "empty.rss"
    path.write_text(
        '<?xml version="1.0"?><rss version="2.0"><channel><title>Quiet</title></channel></rss>',
        encoding="utf-8",
    )
    (warning,) = list(read(path))
    assert warning.severity == "warning"
    assert "no items" in warning.message
