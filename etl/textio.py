"""Bytes to text: BOMs, UTF-16, UTF-8 with stray bad bytes, legacy code pages, binary files."""

from __future__ import annotations

import codecs
from dataclasses import dataclass

from charset_normalizer import from_bytes

from etl.reference import load_yaml


class InputError(Exception):
    """Input that cannot be read at all; the message says why, for the user."""

    def __init__(self, message: str, location: str = ""):
        super().__init__(message)
        self.message = message
        self.location = location


@dataclass(frozen=True)
class Decoded:
    text: str
    encoding: str
    problem: str | None = None  # e.g. bytes that had to be replaced
    problem_location: str = ""


_BOMS = (
    (codecs.BOM_UTF32_LE, "utf-32"),
    (codecs.BOM_UTF32_BE, "utf-32"),
    (codecs.BOM_UTF8, "utf-8-sig"),
    (codecs.BOM_UTF16_LE, "utf-16"),
    (codecs.BOM_UTF16_BE, "utf-16"),
)


def _line_of(data: bytes, offset: int) -> str:
    line = data.count(b"\n", 0, offset) + 1
    return f"line {line}"


def _utf16_without_bom(data: bytes) -> str | None:
    """UTF-16 puts a NUL byte in every space, digit, line break and Latin letter, always in
    the high byte of the pair (odd offsets in little-endian, even in big-endian) and never in
    the low one; accept that reading only when it decodes to printable text. Single-byte text
    has no NUL bytes at all, binary data has them at any offset."""
    sample = data[: min(len(data), 4000) // 2 * 2]
    if len(sample) < 8:
        return None
    for encoding, high_bytes, low_bytes in (
        ("utf-16-le", sample[1::2], sample[0::2]),
        ("utf-16-be", sample[0::2], sample[1::2]),
    ):
        if not high_bytes.count(0) or low_bytes.count(0) > len(low_bytes) // 100:
            continue
        text = sample.decode(encoding, errors="replace")
        readable = sum((char.isprintable() and char != "\ufffd") or char.isspace() for char in text)
        if readable > 0.95 * len(text):
            return encoding
    return None


def _binary_kind(data: bytes) -> str | None:
    for magic, kind in load_yaml("encodings.yaml")["binary_signatures"].items():
        if data.startswith(magic.encode("latin-1")):
            return kind
    sample = data[:8000]
    controls = sum(1 for byte in sample if byte < 9 or 13 < byte < 32)
    if b"\x00" in sample or controls > len(sample) * 0.05:
        return "binary data"
    return None


def _mostly_utf8(text: str) -> bool:
    """Whether text decoded with replacement is UTF-8 with only a few bad sequences."""
    bad = text.count("\ufffd")
    multibyte = sum(1 for char in text if ord(char) > 127) - bad
    return multibyte >= 4 * bad and bad <= max(3, len(text) // 1000)


def decode(data: bytes) -> Decoded:
    """Decode an input file's bytes, or raise InputError when they are not text."""
    if not data.strip():
        raise InputError("empty file (no text)")
    for bom, encoding in _BOMS:
        if data.startswith(bom):
            try:
                return Decoded(data.decode(encoding), encoding)
            except UnicodeDecodeError as error:
                raise InputError(f"invalid {encoding} text ({error.reason})") from None
    utf16 = _utf16_without_bom(data)
    if utf16:
        return Decoded(data.decode(utf16, errors="replace"), utf16)
    kind = _binary_kind(data)
    if kind:
        raise InputError(f"not a text file: looks like {kind}")
    try:
        return Decoded(data.decode("utf-8"), "utf-8")
    except UnicodeDecodeError as error:
        first_bad = error.start
    replaced = data.decode("utf-8", errors="replace")
    if _mostly_utf8(replaced):
        problem = "invalid UTF-8 bytes replaced with U+FFFD"
        return Decoded(replaced, "utf-8", problem, _line_of(data, first_bad))
    return _decode_legacy(data)


def _decode_legacy(data: bytes) -> Decoded:
    candidates = load_yaml("encodings.yaml")["legacy_code_pages"]
    best = from_bytes(data[:200_000], cp_isolation=candidates).best()
    encoding = best.encoding if best else "cp1252"
    return Decoded(data.decode(encoding, errors="replace"), encoding)
