"""Reading input files from disk, with OS errors turned into messages for the user."""

from __future__ import annotations

from pathlib import Path

from etl.textio import InputError


def read_bytes(path: Path) -> bytes:
    try:
        return path.read_bytes()
    except IsADirectoryError:
        raise InputError("is a folder, not a file") from None
    except PermissionError:
        raise InputError("cannot read the file: permission denied") from None
    except OSError as error:
        raise InputError(f"cannot read the file: {error.strerror or error}") from None
