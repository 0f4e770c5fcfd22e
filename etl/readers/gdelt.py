"""GDELT Global Knowledge Graph 2.1 files (`*.gkg.csv`, optionally zipped): one article per row.

GKG rows describe an article without its text: the URL, the date, the outlet, and what
GDELT's own taggers found (locations, themes, people, tone). Countries come from the
locations, FIPS 10-4 codes converted to ISO alpha-2 (`reference/fips_to_iso.csv`);
`text_enriched` is False so the text taggers leave the article alone and the dashboard can
say why. The columns are tab-separated, without a header, in the order of the codebook.
"""

from __future__ import annotations

import html
import io
import re
import zipfile
import zlib
from collections import Counter
from collections.abc import Iterable, Iterator
from datetime import datetime
from functools import cache
from pathlib import Path

import pycountry

from etl.dates import check_plausible
from etl.readers.files import read_bytes
from etl.record import Article, IngestError
from etl.reference import load_list
from etl.textio import InputError
from etl.urls import url_domain

COLUMNS = (
    "GKGRECORDID",
    "DATE",
    "SourceCollectionIdentifier",
    "SourceCommonName",
    "DocumentIdentifier",
    "Counts",
    "V2Counts",
    "Themes",
    "V2Themes",
    "Locations",
    "V2Locations",
    "Persons",
    "V2Persons",
    "Organizations",
    "V2Organizations",
    "V2Tone",
    "Dates",
    "GCAM",
    "SharingImage",
    "RelatedImages",
    "SocialImageEmbeds",
    "SocialVideoEmbeds",
    "Quotations",
    "AllNames",
    "Amounts",
    "TranslationInfo",
    "Extras",
)
_COLUMN = {name: index for index, name in enumerate(COLUMNS)}
WEB_COLLECTION = "1"  # other collections identify a document by a citation, not a URL
_PAGE_TITLE = re.compile(r"<PAGE_TITLE>(.*?)</PAGE_TITLE>", re.DOTALL)
_SOURCE_LANGUAGE = re.compile(r"srclc:(\w+)")


@cache
def fips_to_iso() -> dict[str, str]:
    rows = (line.split(",") for line in load_list("fips_to_iso.csv")[1:])
    return {fips: iso for fips, iso, *_ in rows}


def country_mentions(v2_locations: str, v1_locations: str) -> dict[str, int]:
    """ISO country → mentions. V2 locations repeat a place once per mention; V1 lists each
    place once, so it only counts when V2 is empty."""
    blocks = [b for b in v2_locations.split(";") if b] or [b for b in v1_locations.split(";") if b]
    mapping = fips_to_iso()
    counts: Counter[str] = Counter()
    for block in blocks:
        fields = block.split("#")
        iso = mapping.get(fields[2]) if len(fields) > 2 else None
        if iso:
            counts[iso] += 1
    return dict(counts.most_common())


def _named_items(v2_field: str, v1_field: str) -> Counter[str]:
    """`NAME,offset;NAME,offset` (V2, one entry per mention) or `NAME;NAME` (V1) → counts."""
    v2 = [item.rsplit(",", 1)[0] for item in v2_field.split(";") if item]
    return Counter(v2 or [item for item in v1_field.split(";") if item])


def _language(translation_info: str) -> str | None:
    """GDELT leaves TranslationInfo empty for documents written in English."""
    found = _SOURCE_LANGUAGE.search(translation_info)
    if not found:
        return "en"
    language = pycountry.languages.get(alpha_3=found.group(1))
    return getattr(language, "alpha_2", None)


def _tone(field: str) -> float | None:
    try:
        return float(field.split(",", 1)[0])
    except ValueError:
        return None


def row_to_article(
    fields: list[str], origin: str, location: str, default_source: str | None
) -> Article | IngestError:
    """One GKG row as an Article (no text, tags from GDELT), or why it is not one."""
    value = {name: fields[index].strip() for name, index in _COLUMN.items()}
    document = value["DocumentIdentifier"]
    if not document:
        return IngestError(origin, location, "GKG row has no DocumentIdentifier (URL)")
    try:
        moment = datetime.strptime(value["DATE"], "%Y%m%d%H%M%S")
    except ValueError:
        published, date_problem = None, f"GKG date {value['DATE'][:20]!r} is not YYYYMMDDHHMMSS"
    else:
        published, date_problem = check_plausible(moment)
    is_web = value["SourceCollectionIdentifier"] == WEB_COLLECTION
    title = _PAGE_TITLE.search(value["Extras"])
    themes = _named_items(value["V2Themes"], value["Themes"])
    extra = {
        "gdelt_record_id": value["GKGRECORDID"],
        "gdelt_themes": dict(themes.most_common()),
        "gdelt_persons": list(_named_items(value["V2Persons"], value["Persons"])),
        "gdelt_organizations": list(_named_items(value["V2Organizations"], value["Organizations"])),
        "gdelt_tone": _tone(value["V2Tone"]),
    }
    if not is_web:
        extra["gdelt_citation"] = document
    article = Article(
        origin=f"{origin}:{location.removeprefix('line ')}",
        title=html.unescape(title.group(1)) if title else "",
        url=document if is_web else None,
        source=value["SourceCommonName"] or default_source,
        published_at=published,
        date_problem=date_problem,
        language_hint=_language(value["TranslationInfo"]),
        countries=country_mentions(value["V2Locations"], value["Locations"]),
        text_enriched=False,
        extra=extra,
    )
    if not article.source:
        article.source = url_domain(article.url)
    return article


def read_rows(lines: Iterable[bytes], origin: str, source: str | None) -> Iterator:
    """Articles and errors from the lines of one GKG table."""
    for number, raw in enumerate(lines, start=1):
        line = raw.decode("utf-8", errors="replace").rstrip("\r\n")
        if not line.strip():
            continue
        fields = line.split("\t")
        location = f"line {number}"
        if number == 1 and fields[0].strip().upper() == "GKGRECORDID":
            continue  # a header row added by whoever exported the file
        if len(fields) != len(COLUMNS):
            if number == 1:
                yield IngestError(
                    origin,
                    location,
                    f"not a GKG 2.1 file: the first row has {len(fields)} tab-separated "
                    f"columns, GKG 2.1 has {len(COLUMNS)} (GKG 1.0 and event files are not "
                    "supported)",
                )
                return
            yield IngestError(
                origin,
                location,
                f"GKG 2.1 rows have {len(COLUMNS)} tab-separated columns, this one has "
                f"{len(fields)}; row skipped",
            )
            continue
        yield row_to_article(fields, origin, location, source)


def _intact_lines(handle: Iterable[bytes], damage: list[str]) -> Iterator[bytes]:
    """The lines of an archive member up to the first damaged byte; the damage is noted."""
    count = 0
    try:
        for count, line in enumerate(handle, start=1):  # noqa: B007 (count is reported)
            yield line
    except (zipfile.BadZipFile, EOFError, OSError, zlib.error) as error:
        damage.append(f"damaged ZIP data after line {count} ({error}); the rows before it loaded")


def _zip_members(data: bytes, origin: str, source: str | None) -> Iterator:
    try:
        archive = zipfile.ZipFile(io.BytesIO(data))
    except zipfile.BadZipFile:
        yield IngestError(origin, "", "not a readable ZIP archive (truncated or damaged?)")
        return
    members = [info for info in archive.infolist() if not info.is_dir()]
    if not members:
        yield IngestError(origin, "", "the ZIP archive holds no file")
    for info in members:
        member_origin = origin if len(members) == 1 else f"{origin}!{info.filename}"
        damage: list[str] = []
        with archive.open(info) as handle:
            yield from read_rows(_intact_lines(handle, damage), member_origin, source)
        for message in damage:
            yield IngestError(member_origin, "", message)


def read(path: Path, source: str | None = None) -> Iterator[Article | IngestError]:
    origin = str(path)
    try:
        data = read_bytes(path)
    except InputError as error:
        yield IngestError(origin, error.location, error.message)
        return
    if not data.strip():
        yield IngestError(origin, "", "empty file (no GKG rows)")
        return
    if data.startswith(b"PK\x03\x04"):
        yield from _zip_members(data, origin, source)
    else:
        yield from read_rows(data.splitlines(keepends=True), origin, source)
