"""HTML article pages: main text and metadata, page furniture left out, bad files reported."""

from datetime import datetime
from pathlib import Path

import pytest

from etl.readers.html import read
from etl.record import Article, IngestError

PAGES = Path(__file__).parent / "fixtures" / "inputs" / "html"

# file, title, published_at (UTC), url, source, language hint,
# a sentence from the article, words that appear only in page furniture
CASES = [
    (
        "bg_cp1251_article.html",
        "Парламентът прие бюджета за 2026 година на първо четене",
        datetime(2026, 3, 12, 16, 40),
        "https://dnevenvestnik.example/politika/2026/03/parlamentat-prie-byudzheta-12345",
        "Дневен вестник",
        "bg",
        "Второто четене на бюджета се очаква в края на месеца",
        ["бисквитки", "Сподели", "Коментари", "пенсионерите", "вот на недоверие", "Турция",
         "Всички права запазени", "Икономика"],
    ),
    (
        "en_div_layout.html",
        "Port workers end strike after pay deal",
        datetime(2026, 2, 11, 13, 30),
        "https://harborgazette.example/business/port-workers-end-strike",
        "Harbor Gazette",
        "en",
        "raises hourly wages by 6.5 percent",
        ["cookies", "newsletter", "Share on", "common sense", "Storm warning", "Central bank",
         "Subscribe", "Terms"],
    ),
    (
        "de_main_time.html",
        "Hochwasser: Pegel der Elbe steigt weiter",
        datetime(2026, 1, 5),  # htmldate reads only the day from a <time> element
        "https://rundschau-fluss.example/region/hochwasser-elbe-pegel",
        "Rundschau am Fluss",
        "de",
        "mehr als zwanzigtausend Sandsäcke gefüllt",
        ["Cookies", "Pokalspiel", "Schulreform", "Theater", "Helfer, ihr seid", "Impressum",
         "Startseite"],
    ),
    (
        "fr_text_date.html",
        "Grève des contrôleurs aériens : des centaines de vols annulés",
        datetime(2026, 3, 14),
        None,
        None,
        "fr",
        "Des négociations doivent reprendre lundi au ministère.",
        ["Rugby", "festival de jazz", "Mentions légales", "WhatsApp", "Accueil"],
    ),
    (
        "ru_koi8_minimal.html",
        "В Новосибирске открыли новый мост через Обь",
        datetime(2026, 2, 20, 11, 15),
        None,
        None,
        "ru",
        "Первыми по мосту проехали автобусы городских маршрутов.",
        ["Главная", "Метро продлят", "перепечатке"],
    ),
]


@pytest.mark.parametrize(
    ("name", "title", "published", "url", "source", "hint", "sentence", "furniture"), CASES
)
def test_article_page(name, title, published, url, source, hint, sentence, furniture):
    (article,) = list(read(PAGES / name))
    assert isinstance(article, Article)
    assert article.title == title
    assert article.published_at == published
    assert article.url == url
    assert article.source == source
    assert article.language_hint == hint
    assert sentence in article.body
    assert not article.body.startswith(title), "the headline is the title, not the body"
    for text in furniture:
        assert text not in article.body
    assert article.origin == str(PAGES / name)


def test_source_given_on_the_command_line_names_a_page_without_site_name():
    (article,) = list(read(PAGES / "fr_text_date.html", "L'Écho du Sud"))
    assert article.source == "L'Écho du Sud"


def test_page_data_wins_over_the_fallback_source():
    (article,) = list(read(PAGES / "en_div_layout.html", "Other Outlet"))
    assert article.source == "Harbor Gazette"


def test_truncated_page_keeps_the_text_that_arrived():
    (article,) = list(read(PAGES / "es_truncated.html"))
    assert article.title == "El Gobierno aprueba el plan de vivienda asequible"
    assert "cincuenta mil viviendas" in article.body
    assert article.body.endswith("invade sus competen")


def test_utf8_page_declaring_a_legacy_charset_is_read_as_utf8(tmp_path):
    source = (PAGES / "en_div_layout.html").read_text(encoding="utf-8")
    resaved = source.replace('<meta charset="utf-8">', '<meta charset="windows-1251">')
    resaved = resaved.replace("Dock workers", "Докерите (dock workers)")
    page = tmp_path / "resaved.html"
    page.write_text(resaved, encoding="utf-8")
    (article,) = list(read(page))
    assert "Докерите (dock workers)" in article.body


@pytest.mark.parametrize(
    ("name", "content", "reason"),
    [
        ("nav_only.html", None, "no article text"),
        ("image_saved_as.html", None, "PNG image"),
        ("empty.html", b"", "empty file"),
        ("blank.htm", b"<html><body>   </body></html>", "no article text"),
    ],
)
def test_unreadable_page_is_one_clear_error(tmp_path, name, content, reason):
    path = PAGES / name
    if content is not None:
        path = tmp_path / name
        path.write_bytes(content)
    (error,) = list(read(path))
    assert isinstance(error, IngestError)
    assert error.origin == str(path)
    assert reason in error.message


def test_folder_given_as_a_page_is_an_error_not_a_crash(tmp_path):
    (error,) = list(read(tmp_path))
    assert isinstance(error, IngestError)
    assert "folder" in error.message
