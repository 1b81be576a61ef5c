"""Fixtures of the store tests: CSV text imported through the validating importer, as a file."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pytest

from careties.web.store.services import import_file

#: Lincolnshire: a council the tests load without its region (the lookup gives it).
LINCOLNSHIRE = "E10000019"


@pytest.fixture
def csv_file(tmp_path: Path) -> Callable[[str, str], Path]:
    """Write CSV text to a file called ``name``: the importers read files, as users give them."""

    def write(name: str, text: str) -> Path:
        path = tmp_path / name
        path.write_text(text)
        return path

    return write


@pytest.fixture
def imported(csv_file) -> Callable:
    """Import CSV text as ``kind`` (from a file called ``name``, else ``<kind>.csv``)."""

    def load(kind: str, text: str, name: str | None = None):
        return import_file(kind=kind, path=csv_file(name or f"{kind}.csv", text))

    return load


@pytest.fixture
def lincolnshire(imported) -> str:
    """Lincolnshire loaded from a councils file with its required columns only."""
    imported("local_authorities", f"la_code,name\n{LINCOLNSHIRE},Lincolnshire\n")
    return LINCOLNSHIRE
