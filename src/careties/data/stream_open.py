"""Open a file for reading in batches: careties' own layout, or Client Level Data by person.

Its own module so that ``stream`` (batches of any layout) and ``stream_cld`` (which
builds on ``stream``) are both imported here and neither imports the other back.
"""

from __future__ import annotations

from pathlib import Path

from careties.data.contracts import CONTRACTS
from careties.data.errors import ErrorLog
from careties.data.reader import _layout
from careties.data.sources import _ZIP_MAGIC, XLSX_SUFFIXES, read_csv_text
from careties.data.stream import STREAMED, FileStream
from careties.data.stream_cld import CldStream


def open_stream(kind: str, path: str | Path, **options) -> FileStream | None:
    """A ``FileStream`` if this file can be read in batches, else ``None`` (read it whole).

    Streamed: CSV files of a ``STREAMED`` kind whose header is a streamed layout.
    """
    path = Path(path)
    if kind not in STREAMED or path.suffix.lower() in XLSX_SUFFIXES:
        return None
    try:
        with path.open("rb") as handle:
            start = handle.read(64 * 1024)
    except OSError:
        return None
    if not start or start.startswith(_ZIP_MAGIC):
        return None
    text = start.decode("utf-8-sig", errors="replace")
    lines = text.splitlines()
    if len(lines) < 2:
        return None
    probe = read_csv_text("\n".join(lines[:2]) + "\n", ErrorLog(file=path.name))
    if probe is None or probe.height == 0:
        return None
    layout = _layout(CONTRACTS[kind], probe)
    if layout.name == "Client Level Data":
        # Its checks span rows: split by person, each part checked whole.
        return CldStream(kind, path, **options)
    if layout.name not in STREAMED[kind]:
        return None
    return FileStream(kind, path, **options)
