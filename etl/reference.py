"""Reads the reference data files in `etl/reference/` (YAML or plain lists), once per process."""

from __future__ import annotations

from functools import cache
from pathlib import Path

import yaml

_LOADER = getattr(yaml, "CSafeLoader", yaml.SafeLoader)  # the C loader when built
REFERENCE_DIR = Path(__file__).parent / "reference"


@cache
def load_yaml(name: str):
    """The parsed content of `etl/reference/NAME`."""
    with open(REFERENCE_DIR / name, encoding="utf-8") as handle:
        return yaml.load(handle, Loader=_LOADER)


@cache
def load_list(name: str) -> tuple[str, ...]:
    """Non-empty, non-comment lines of `etl/reference/NAME`."""
    lines = (REFERENCE_DIR / name).read_text(encoding="utf-8").splitlines()
    return tuple(line.strip() for line in lines if line.strip() and not line.startswith("#"))
