"""GDELT GKG 2.1 rows: URL, date, outlet, ISO countries from FIPS locations, no text tagging."""

import io
import zipfile
from datetime import datetime
from pathlib import Path

import pytest

from etl.readers.gdelt import country_mentions, fips_to_iso, read
from etl.record import Article, IngestError

GKG = Path(__file__).parent / "fixtures" / "inputs" / "gdelt"
TABLE = GKG / "20260320150000.gkg.csv"


def _read(path: Path) -> tuple[list[Article], list[IngestError]]:
    items = list(read(path))
    return (
        [item for item in items if isinstance(item, Article)],
        [item for item in items if isinstance(item, IngestError)],
    )


# line, url, published_at, source, title, language hint, countries with mentions
ROWS = [
    (
        1,
        "https://worldwire.example/news/europe/bulgaria-snap-election-2026",
        datetime(2026, 3, 20, 14, 30),
        "worldwire.example",
        "Bulgaria heads to snap election as coalition talks & budget fail",
        "en",
        {"BG": 3, "UA": 1},
    ),
    (
        2,
        "https://morskivestnik.example/sviat/gartsia-turtsia-migratsia",
        datetime(2026, 3, 20, 14, 45),
        "morskivestnik.example",
        "Гърция и Турция засилват граничния контрол",
        "bg",
        {"GR": 2, "TR": 2},
    ),
    (
        3,
        "https://prairieledger.example/state/drought-relief-bill",
        datetime(2026, 3, 21, 2, 0),
        "prairieledger.example",
        "",
        "en",
        {"US": 2},  # a US state and a US city, from V1 locations (V2 is empty)
    ),
    (
        4,
        "https://techdigest.example/ai/chip-shortage-eases",
        datetime(2026, 3, 21, 2, 15),
        "techdigest.example",  # no SourceCommonName: the URL's domain
        "Chip shortage eases as new plants open",
        "en",
        {},
    ),
]


@pytest.mark.parametrize("path", [TABLE, GKG / "20260320150000.gkg.csv.zip"])
@pytest.mark.parametrize(("line", "url", "published", "source", "title", "hint", "countries"), ROWS)
def test_gkg_row(path, line, url, published, source, title, hint, countries):
    articles, _ = _read(path)
    article = next(a for a in articles if a.origin == f"{path}:{line}")
    assert article.url == url
    assert article.published_at == published
    assert article.source == source
    assert article.title == title
    assert article.language_hint == hint
    assert article.countries == countries
    assert article.body == ""
    assert article.text_enriched is False


def test_themes_people_and_tone_are_kept_as_extra_data():
    articles, _ = _read(TABLE)
    extra = articles[0].extra
    assert extra["gdelt_record_id"] == "20260320143000-0"
    assert extra["gdelt_themes"] == {"ELECTION": 2, "GENERAL_GOVERNMENT": 1, "LEADER": 1}
    assert extra["gdelt_persons"] == ["Rumen Radev", "Volodymyr Zelensky"]
    assert extra["gdelt_organizations"] == ["European Union"]
    assert extra["gdelt_tone"] == -2.5


def test_citation_only_document_has_no_url_but_keeps_the_citation():
    articles, _ = _read(TABLE)
    journal = next(a for a in articles if a.source == "Journal of Coastal Studies")
    assert journal.url is None
    assert journal.extra["gdelt_citation"].startswith("Journal of Coastal Studies, vol. 12")
    assert journal.countries == {"NL": 1}


def test_bad_date_keeps_the_row_and_says_why():
    articles, _ = _read(TABLE)
    island = next(a for a in articles if a.source == "islanddaily.example")
    assert island.published_at is None
    assert "20261399990000" in island.date_problem
    assert island.countries == {"VN": 1}, "disputed islands count for no country"


def test_short_row_is_an_error_for_its_line_and_the_rows_around_it_load():
    articles, errors = _read(TABLE)
    assert len(articles) == 6
    (error,) = errors
    assert error.location == "line 5"
    assert "27 tab-separated columns" in error.message


@pytest.mark.parametrize(
    ("fips", "iso"),
    [("BU", "BG"), ("GM", "DE"), ("UK", "GB"), ("RS", "RU"), ("UP", "UA"), ("SZ", "CH"),
     ("SW", "SE"), ("EZ", "CZ"), ("CH", "CN"), ("IS", "IL"), ("KV", "XK"), ("MJ", "ME"),
     ("RI", "RS"), ("TU", "TR"), ("NI", "NG"), ("NG", "NE")],
)
def test_fips_codes_that_differ_from_iso(fips, iso):
    assert fips_to_iso()[fips] == iso


def test_v1_locations_count_only_when_v2_is_empty():
    v1 = "1#France#FR#FR#46#2#FR"
    v2 = "1#France#FR#FR##46#2#FR#10;4#Paris, France#FR#FR00##48.8#2.3#-1456928#90"
    assert country_mentions(v2, v1) == {"FR": 2}
    assert country_mentions("", v1) == {"FR": 1}
    assert country_mentions("", "") == {}


@pytest.mark.parametrize(
    ("name", "reason"),
    [
        ("damaged.gkg.csv.zip", "not a readable ZIP archive"),
        ("gkg_v1_format.gkg.csv", "not a GKG 2.1 file"),
    ],
)
def test_unreadable_file_is_one_clear_error(name, reason):
    (error,) = list(read(GKG / name))
    assert isinstance(error, IngestError)
    assert reason in error.message


def test_damage_inside_an_archive_keeps_the_rows_before_it(tmp_path):
    rows = TABLE.read_bytes().splitlines(keepends=True)[:4] * 200
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("big.gkg.csv", b"".join(rows))
    data = bytearray(buffer.getvalue())
    middle = len(data) // 2
    data[middle : middle + 40] = b"\x00" * 40
    path = tmp_path / "corrupt.gkg.csv.zip"
    path.write_bytes(bytes(data))
    articles, errors = _read(path)
    assert articles, "rows before the damaged bytes load"
    assert len(articles) < len(rows)
    assert any("damaged ZIP data" in e.message for e in errors)


def test_header_row_added_by_an_export_is_skipped(tmp_path):
    path = tmp_path / "with_header.gkg.csv"
    header = "GKGRECORDID\tV21DATE" + "\tX" * 25 + "\n"
    path.write_text(header + TABLE.read_text(encoding="utf-8"), encoding="utf-8")
    articles, errors = _read(path)
    assert len(articles) == 6 and len(errors) == 1
