"""Write the targeting list and the referrals tables as CSV or Excel workbooks.

Domain functions never touch files; this module is the one place that does, so
that the CLI and the web views export the same columns in the same order. An
analyst opening the workbook sees each table on its own sheet and a ``notes``
sheet saying what was left out and how the score was weighted.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from pathlib import Path
from typing import Literal

import polars as pl

from careties.planning.targeting import TargetingList

ExportFormat = Literal["csv", "xlsx"]

#: Excel sheet names: at most 31 characters, none of []:*?/\
_BAD_SHEET_CHARACTERS = str.maketrans(dict.fromkeys("[]:*?/\\", "_"))


class ExportError(ValueError):
    """The export could not be written as asked (format, path)."""


def _sheet_name(name: str) -> str:
    return name.translate(_BAD_SHEET_CHARACTERS)[:31] or "sheet"


def write_csv(frame: pl.DataFrame, path: Path | str) -> Path:
    """One table as UTF-8 CSV with a header row; dates ISO 8601, nulls empty."""
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    frame.write_csv(path)
    return path


def write_workbook(
    sheets: Mapping[str, pl.DataFrame], path: Path | str, notes: Sequence[str] = ()
) -> Path:
    """Several tables as one ``.xlsx`` workbook, one sheet each, plus a ``notes`` sheet."""
    import xlsxwriter

    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    with xlsxwriter.Workbook(str(path)) as workbook:
        for name, frame in sheets.items():
            frame.write_excel(
                workbook=workbook,
                worksheet=_sheet_name(name),
                autofit=True,
                float_precision=3,
            )
        if notes:
            pl.DataFrame({"note": list(notes)}).write_excel(
                workbook=workbook, worksheet="notes", autofit=True
            )
    return path


def export_targeting(
    targeting: TargetingList, path: Path | str, format: ExportFormat | None = None
) -> Path:
    """The targeting list as CSV or XLSX (from ``format``, else the file's suffix).

    The workbook has the full list, the target set, and the notes and weights.
    """
    path = Path(path)
    chosen = format or path.suffix.lstrip(".").lower()
    if chosen == "csv":
        return write_csv(targeting.frame, path)
    if chosen == "xlsx":
        weights = [f"weight of {name}: {weight:.2f}" for name, weight in targeting.weights.items()]
        return write_workbook(
            {"targeting_list": targeting.frame, "target_set": targeting.target_set},
            path,
            notes=[*weights, f"share targeted: {targeting.share:.0%}", *targeting.notes],
        )
    raise ExportError(f"cannot export as {chosen!r}: choose csv or xlsx")
