"""The one spreadsheet writer: CSV and XLSX for the web downloads and ``careties report``.

Why one: a text cell starting ``=``, ``+``, ``-``, ``@``, tab or carriage return
is run as a formula by Excel and LibreOffice (OWASP's CSV injection list), and
survey comments, service names and practice names are text careties does not
control. polars' ``write_excel`` writes such strings as live formulas, so the
command line used to hand analysts workbooks the web refused to. Every table
careties writes to a spreadsheet now goes through :func:`neutralise`: text gets
a leading ``'``, numbers stay numbers.

It sits outside the domain packages (which never touch files) and outside
``careties.web`` (the command line imports no Django): the web adds only the
audited HTTP response (``careties.web.exports.download``).
"""

from __future__ import annotations

import csv
import datetime as dt
import io
import re
from collections.abc import Mapping, Sequence
from pathlib import Path
from typing import Any, Literal

import polars as pl
import xlsxwriter

from careties.planning.targeting import TargetingList

__all__ = [
    "FORMULA_STARTS",
    "ExportError",
    "csv_bytes",
    "export_targeting",
    "frame_table",
    "neutralise",
    "write_csv",
    "write_workbook",
    "xlsx_bytes",
]

ExportFormat = Literal["csv", "xlsx"]

#: What a spreadsheet treats as the start of a formula (OWASP, CSV injection).
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")

Sheet = tuple[str, Sequence[str], Sequence[Sequence[Any]]]


class ExportError(ValueError):
    """The export could not be written as asked (format, path)."""


def neutralise(value: Any) -> Any:
    """A cell value that a spreadsheet shows as text, never runs."""
    if isinstance(value, str) and value.startswith(FORMULA_STARTS):
        return "'" + value
    return value


def _cell(value: Any) -> Any:
    """Numbers and booleans as they are; dates ISO 8601; lists joined; everything else text."""
    if value is None or isinstance(value, bool | int | float):
        return value
    if isinstance(value, dt.date | dt.datetime):
        return value.isoformat()
    if isinstance(value, list | tuple):
        return "; ".join(str(v) for v in value)
    return str(value)


def frame_table(frame: pl.DataFrame) -> tuple[list[str], list[list[Any]]]:
    """A frame as ``(header, rows)`` for :func:`csv_bytes` and :func:`xlsx_bytes`."""
    return list(frame.columns), [[_cell(v) for v in row] for row in frame.rows()]


def csv_bytes(header: Sequence[str], rows: Sequence[Sequence[Any]]) -> bytes:
    """UTF-8 with a byte-order mark, so Excel opens £ and accents correctly."""
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\r\n")
    writer.writerow([neutralise(h) for h in header])
    for row in rows:
        writer.writerow(["" if v is None else neutralise(_cell(v)) for v in row])
    return ("\ufeff" + buffer.getvalue()).encode("utf-8")


def _sheet_name(name: str, used: set[str]) -> str:
    """At most 31 characters, none of ``[]:*?/\\``, unique in the workbook."""
    base = re.sub(r"[\[\]:*?/\\]", " ", name).strip()[:31] or "Sheet"
    candidate, n = base, 2
    while candidate.lower() in used:
        suffix = f" ({n})"
        candidate = base[: 31 - len(suffix)] + suffix
        n += 1
    used.add(candidate.lower())
    return candidate


def xlsx_bytes(sheets: Sequence[Sheet]) -> bytes:
    """One worksheet per ``(name, header, rows)``; text is written as text, never as a formula."""
    buffer = io.BytesIO()
    workbook = xlsxwriter.Workbook(
        buffer,
        {"in_memory": True, "strings_to_formulas": False, "strings_to_urls": False},
    )
    bold = workbook.add_format({"bold": True})
    used: set[str] = set()
    for name, header, rows in sheets:
        sheet = workbook.add_worksheet(_sheet_name(name, used))
        for col, label in enumerate(header):
            sheet.write_string(0, col, str(neutralise(label)), bold)
            sheet.set_column(col, col, max(12, min(40, len(str(label)) + 2)))
        for r, row in enumerate(rows, start=1):
            for col, raw in enumerate(row):
                value = _cell(raw)
                if value is None:
                    continue
                if isinstance(value, bool):
                    sheet.write_boolean(r, col, value)
                elif isinstance(value, int | float):
                    sheet.write_number(r, col, value)
                else:
                    sheet.write_string(r, col, str(neutralise(value)))
    workbook.close()
    return buffer.getvalue()


def write_csv(frame: pl.DataFrame, path: Path | str) -> Path:
    """One table as a CSV file (see :func:`csv_bytes`)."""
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(csv_bytes(*frame_table(frame)))
    return path


def write_workbook(
    sheets: Mapping[str, pl.DataFrame], path: Path | str, notes: Sequence[str] = ()
) -> Path:
    """Several tables as one ``.xlsx`` file, one sheet each, plus a ``notes`` sheet."""
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    tables: list[Sheet] = [(name, *frame_table(frame)) for name, frame in sheets.items()]
    if notes:
        tables.append(("notes", ["note"], [[note] for note in notes]))
    path.write_bytes(xlsx_bytes(tables))
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
