"""CSV and XLSX downloads of shown tables, safe to open in a spreadsheet, and audited.

Only tables that went through :func:`careties.web.presenters.base.build` (and so
through disclosure) reach here. Text cells that a spreadsheet would run as a
formula (starting ``=``, ``+``, ``-``, ``@``, tab or carriage return: OWASP's
CSV injection list) get a leading ``'``; numbers are written as numbers.
Every download is written to the audit log: who, what, when, which council.
"""

from __future__ import annotations

import csv
import io
import re
from collections.abc import Sequence
from typing import Any

from django.http import HttpResponse

from careties.web.store.services import record_audit

FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")

CONTENT_TYPES = {
    "csv": "text/csv; charset=utf-8",
    "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    "pdf": "application/pdf",
}


def neutralise(value: Any) -> Any:
    """A cell value that a spreadsheet shows as text, never runs."""
    if isinstance(value, str) and value.startswith(FORMULA_STARTS):
        return "'" + value
    return value


def csv_bytes(header: Sequence[str], rows: Sequence[Sequence[Any]]) -> bytes:
    """UTF-8 with a byte-order mark, so Excel opens £ and accents correctly."""
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\r\n")
    writer.writerow([neutralise(h) for h in header])
    for row in rows:
        writer.writerow(["" if v is None else neutralise(v) for v in row])
    return ("\ufeff" + buffer.getvalue()).encode("utf-8")


def _sheet_name(name: str, used: set[str]) -> str:
    base = re.sub(r"[\[\]:*?/\\]", " ", name).strip()[:31] or "Sheet"
    candidate, n = base, 2
    while candidate.lower() in used:
        suffix = f" ({n})"
        candidate = base[: 31 - len(suffix)] + suffix
        n += 1
    used.add(candidate.lower())
    return candidate


def xlsx_bytes(sheets: Sequence[tuple[str, Sequence[str], Sequence[Sequence[Any]]]]) -> bytes:
    """One worksheet per (name, header, rows); text is written as text, never as a formula."""
    import xlsxwriter

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
            for col, value in enumerate(row):
                if value is None:
                    continue
                if isinstance(value, bool):
                    sheet.write_boolean(r, col, value)
                elif isinstance(value, int | float):
                    sheet.write_number(r, col, value)
                else:
                    sheet.write_string(r, col, str(neutralise(str(value))))
    workbook.close()
    return buffer.getvalue()


def download(
    content: bytes,
    *,
    fmt: str,
    filename: str,
    user,
    what: str,
    la_code: str | None,
    detail: str = "",
) -> HttpResponse:
    """The file as an attachment, after recording the export in the audit log."""
    record_audit("export", what, user=user, la_code=la_code or "", detail=detail or filename)
    response = HttpResponse(content, content_type=CONTENT_TYPES[fmt])
    safe = re.sub(r"[^A-Za-z0-9._-]", "-", filename)
    response["Content-Disposition"] = f'attachment; filename="{safe}"'
    response["Cache-Control"] = "no-store"
    return response
