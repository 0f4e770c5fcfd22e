"""Encoding detection and date parsing, table-driven."""

from __future__ import annotations

from datetime import datetime

import pytest

from etl.dates import check_plausible, find_date, parse_date_value
from etl.textio import InputError, decode

BG = "Парламентът прие бюджета. Министрите обсъдиха войната в Украйна и цените на тока."
RU = "Правительство России обсудило переговоры с Украиной о прекращении огня."
DE = "Die Bundesregierung hat über die Energiepreise und die Rentenreform beraten."
EL = "Η κυβέρνηση συζήτησε τις τιμές της ενέργειας και τη μεταρρύθμιση των συντάξεων."


@pytest.mark.parametrize(
    ("text", "encoding", "expected_encoding"),
    [
        (BG, "utf-8", "utf-8"),
        (BG, "utf-8-sig", "utf-8-sig"),
        (BG, "utf-16", "utf-16"),
        (BG, "utf-16-le", "utf-16-le"),
        (DE, "utf-16-be", "utf-16-be"),
        (BG, "cp1251", "cp1251"),
        (RU, "koi8_r", "koi8_r"),
        (EL, "iso8859_7", None),
        (DE, "cp1252", None),
    ],
)
def test_decoding(text, encoding, expected_encoding):
    decoded = decode(text.encode(encoding))
    assert decoded.text == text
    assert decoded.problem is None
    if expected_encoding:
        assert decoded.encoding == expected_encoding


def test_a_few_bad_bytes_in_utf8_are_replaced_and_located():
    data = (BG + "\n" + BG + "\n").encode() + b"\xc3\x28 broken\n" + BG.encode()
    decoded = decode(data)
    assert decoded.encoding == "utf-8"
    assert decoded.problem_location == "line 3"
    assert decoded.text.count(BG) == 3


@pytest.mark.parametrize(
    ("data", "reason"),
    [
        (b"", "empty file"),
        (b" \n\t\r\n", "empty file"),
        (b"\x89PNG\r\n\x1a\n" + bytes(200), "PNG image"),
        (b"\xff\xd8\xff\xe0" + bytes(range(256)), "JPEG image"),
        (bytes(range(256)) * 4, "binary data"),
    ],
)
def test_not_text(data, reason):
    with pytest.raises(InputError, match=reason):
        decode(data)


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("20 Март, 2026", datetime(2026, 3, 20)),
        ("Публикувано: 20.03.2026 14:35", datetime(2026, 3, 20, 14, 35)),
        ("20 марта 2026, 14:35", datetime(2026, 3, 20, 14, 35)),
        ("20 березня 2026 о 10:15", datetime(2026, 3, 20, 10, 15)),
        ("March 20th, 2026", datetime(2026, 3, 20)),
        ("20 de marzo de 2026", datetime(2026, 3, 20)),
        ("20. März 2026 um 14:35 Uhr", datetime(2026, 3, 20, 14, 35)),
        ("le 20 mars 2026 à 08h05", datetime(2026, 3, 20, 8, 5)),
        ("20 marzo 2026", datetime(2026, 3, 20)),
        ("20 martie 2026", datetime(2026, 3, 20)),
        ("20 Μαρτίου 2026", datetime(2026, 3, 20)),
        ("20 marca 2026", datetime(2026, 3, 20)),
        ("20 Mart 2026 Cuma", datetime(2026, 3, 20)),
        ("20. март 2026.", datetime(2026, 3, 20)),
        ("20. mart 2026.", datetime(2026, 3, 20)),
        ("2026-03-20T23:30:00-02:00", datetime(2026, 3, 21, 1, 30)),
        ("31.02.2026", None),
        ("Issue 2026 of the magazine", None),
    ],
)
def test_find_date(text, expected):
    assert find_date(text)[0] == expected


NOW = datetime(2026, 11, 27, 12, 0)


@pytest.mark.parametrize(
    ("value", "expected", "problem"),
    [
        ("2026-03-20T14:35:00+02:00", datetime(2026, 3, 20, 12, 35), None),
        ("Fri, 20 Mar 2026 14:35:00 GMT", datetime(2026, 3, 20, 14, 35), None),
        (1774017000, datetime(2026, 3, 20, 14, 30), None),
        (1774017000000, datetime(2026, 3, 20, 14, 30), None),
        ("1774017000", datetime(2026, 3, 20, 14, 30), None),
        ("0000-00-00", None, "not a valid date"),
        ("31.02.2026", None, "not a valid date"),
        ("1989-12-31", None, "before 1990"),
        ("2099-01-01", None, "in the future"),
        (True, None, "not a date"),
        ("", None, None),
        (None, None, None),
    ],
)
def test_parse_date_value(value, expected, problem):
    moment, reason = parse_date_value(value)
    assert moment == expected
    if problem is None:
        assert reason is None
    else:
        assert problem in reason


def test_plausibility_window_allows_two_days_ahead():
    assert check_plausible(datetime(2026, 11, 29, 11, 0), now=NOW)[0] is not None
    assert check_plausible(datetime(2026, 11, 29, 13, 0), now=NOW)[0] is None
