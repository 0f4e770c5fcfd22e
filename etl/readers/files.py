"""Reading input files from disk, with OS errors turned into messages for the user."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

from etl.record import IngestError
from etl.textio import Decoded, InputError, decode


def read_bytes(path: Path) -> bytes:
    try:
        return path.read_bytes()
    except IsADirectoryError:
        raise InputError("is a folder, not a file") from None
    except PermissionError:
        raise InputError("cannot read the file: permission denied") from None
    except OSError as error:
        raise InputError(f"cannot read the file: {error.strerror or error}") from None


def read_text(
    path: Path, decoder: Callable[[bytes], Decoded] = decode
) -> tuple[Decoded | None, list[IngestError]]:
    """An input file's decoded text (None when it cannot be read as text) and the problems met:
    an error when nothing could be read, a warning when bytes had to be replaced."""
    origin = str(path)
    try:
        decoded = decoder(read_bytes(path))
    except InputError as error:
        return None, [IngestError(origin, error.location, error.message)]
    if decoded.problem:
        warning = IngestError(origin, decoded.problem_location, decoded.problem, "warning")
        return decoded, [warning]
    return decoded, []
