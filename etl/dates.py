"""Publication dates: found in text in many languages, normalized to naive UTC, sanity-checked.

Month names come from CLDR (babel) for every language listed in `reference/dates.yaml`,
plus the extra spellings listed there, so a new language is a line of data, not code.
"""

from __future__ import annotations

import re
from datetime import UTC, datetime, timedelta, timezone
from email.utils import parsedate_to_datetime
from functools import cache

from babel import Locale

from etl.reference import load_yaml

EARLIEST = datetime(1990, 1, 1)
FUTURE_TOLERANCE = timedelta(days=2)


@cache
def month_names() -> dict[str, int]:
    """Every known spelling of a month (lower case, no trailing dot) → month number.

    Where two languages use one word for different months (Polish/Croatian `listopad`),
    the language listed first in dates.yaml wins."""
    config = load_yaml("dates.yaml")
    names: dict[str, int] = {}
    for language in config["languages"]:
        locale = Locale.parse(language)
        for context in ("format", "stand-alone"):
            for width in ("wide", "abbreviated"):
                for number, name in locale.months[context][width].items():
                    names.setdefault(name.casefold().rstrip("."), number)
    for number, spellings in config["extra_month_names"].items():
        for spelling in spellings:
            names.setdefault(spelling.casefold().rstrip("."), int(number))
    return names


_MONTH = r"(?P<month>[^\W\d_]{3,}\.?)"
_DAY = r"(?P<day>\d{1,2})"
_YEAR = r"(?P<year>\d{4})"
_TIME = (
    r"(?:(?:\s*,?\s*(?:в|at|um|à|a las|alle|u|о|saat|o|г\.?)?\s*)"
    r"(?P<hour>\d{1,2})[:.h](?P<minute>\d{2})(?::(?P<second>\d{2}))?(?:\s*ч\.?)?"
    r"(?:\s*(?P<tz>Z|UTC|GMT|[+-]\d{2}:?\d{2}))?)?"
)
_PATTERNS = [
    re.compile(
        rf"\b{_YEAR}-(?P<month_number>\d{{2}})-{_DAY}(?:[T ]"
        r"(?P<hour>\d{2}):(?P<minute>\d{2})(?::(?P<second>\d{2})(?:\.\d+)?)?"
        r"\s*(?P<tz>Z|UTC|[+-]\d{2}:?\d{2})?)?",
    ),
    re.compile(
        rf"\b{_DAY}\.?\s+(?:de\s+)?{_MONTH},?\s+(?:de\s+)?{_YEAR}(?:\s*г\.?|\s*р\.?)?{_TIME}"
    ),
    re.compile(rf"\b{_MONTH}\s+{_DAY}(?:st|nd|rd|th)?,?\s+{_YEAR}{_TIME}"),
    re.compile(rf"\b{_DAY}[./](?P<month_number>\d{{1,2}})[./]{_YEAR}(?:\s*г\.?)?{_TIME}"),
    re.compile(rf"\b{_YEAR}/(?P<month_number>\d{{1,2}})/{_DAY}{_TIME}"),
]


def _offset(text: str | None) -> timezone | None:
    if not text or text in ("Z", "UTC", "GMT"):
        return UTC if text else None
    sign = -1 if text[0] == "-" else 1
    digits = text[1:].replace(":", "")
    return timezone(sign * timedelta(hours=int(digits[:2]), minutes=int(digits[2:])))


def _from_match(match: re.Match) -> datetime | None:
    parts = match.groupdict()
    if parts.get("month_number"):
        month = int(parts["month_number"])
    else:
        month = month_names().get(parts["month"].casefold().rstrip("."))
        if month is None:
            return None
    try:
        moment = datetime(
            int(parts["year"]),
            month,
            int(parts["day"]),
            int(parts.get("hour") or 0),
            int(parts.get("minute") or 0),
            int(parts.get("second") or 0),
            tzinfo=_offset(parts.get("tz")),
        )
    except ValueError:
        return None
    return to_utc(moment)


def find_date(text: str) -> tuple[datetime | None, re.Match | None]:
    """The first date written in the text (with its time and zone when given), as naive UTC,
    and the match that found it. Invalid calendar dates (31.02.2026) are skipped."""
    found: list[tuple[int, datetime, re.Match]] = []
    for pattern in _PATTERNS:
        for match in pattern.finditer(text):
            moment = _from_match(match)
            if moment is not None:
                found.append((match.start(), moment, match))
                break
    if not found:
        return None, None
    _, moment, match = min(found, key=lambda item: item[0])
    return moment, match


def to_utc(moment: datetime) -> datetime:
    """Naive UTC; a naive input is taken to be UTC already."""
    if moment.tzinfo is not None:
        moment = moment.astimezone(UTC).replace(tzinfo=None)
    return moment


def parse_date_value(value) -> tuple[datetime | None, str | None]:
    """A record's date field (ISO 8601, RFC 2822, written dates, Unix seconds or milliseconds)
    → (naive UTC, None), or (None, reason) when it is missing, unreadable or implausible."""
    if value is None or (isinstance(value, str) and not value.strip()):
        return None, None
    if isinstance(value, bool):
        return None, f"date {value!r} is not a date"
    if isinstance(value, int | float) or (isinstance(value, str) and value.strip().isdigit()):
        return _from_epoch(float(value))
    if isinstance(value, datetime):
        return check_plausible(to_utc(value))
    text = str(value).strip()
    try:
        return check_plausible(to_utc(parsedate_to_datetime(text)))
    except (TypeError, ValueError, IndexError):
        pass
    moment, _ = find_date(text)
    if moment is None:
        return None, f"date {text[:40]!r} is not a valid date"
    return check_plausible(moment)


def _from_epoch(number: float) -> tuple[datetime | None, str | None]:
    seconds = number / 1000 if number > 1e11 else number
    try:
        moment = datetime.fromtimestamp(seconds, UTC).replace(tzinfo=None)
    except (OverflowError, OSError, ValueError):
        return None, f"date {number:.0f} is not a valid Unix time"
    return check_plausible(moment)


def check_plausible(
    moment: datetime, now: datetime | None = None
) -> tuple[datetime | None, str | None]:
    """Reject dates before 1990 or more than two days in the future."""
    now = now or datetime.now(UTC).replace(tzinfo=None)
    if moment < EARLIEST:
        return None, f"date {moment:%Y-%m-%d} is before {EARLIEST:%Y}"
    if moment > now + FUTURE_TOLERANCE:
        return None, f"date {moment:%Y-%m-%d} is in the future"
    return moment, None
