"""Downloads of shown tables: the audited HTTP response around the one spreadsheet writer.

Only tables that went through :func:`careties.web.presenters.base.build` (and so
through disclosure) reach here. The files themselves are written by
:mod:`careties.spreadsheets` (formula-looking text neutralised, numbers kept as
numbers), the same writer ``careties report`` uses. Every download is written
to the audit log: who, what, when, which council.
"""

from __future__ import annotations

import re

from django.http import HttpResponse
from django.utils.http import content_disposition_header

from careties.spreadsheets import FORMULA_STARTS, csv_bytes, neutralise, xlsx_bytes
from careties.web.store.services import record_audit

__all__ = ["CONTENT_TYPES", "FORMULA_STARTS", "csv_bytes", "download", "neutralise", "xlsx_bytes"]

CONTENT_TYPES = {
    "csv": "text/csv; charset=utf-8",
    "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    "pdf": "application/pdf",
}


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
    record_audit(
        action="export", what=what, user=user, la_code=la_code or "", detail=detail or filename
    )
    response = HttpResponse(content, content_type=CONTENT_TYPES[fmt])
    safe = re.sub(r"[^A-Za-z0-9._-]", "-", filename)
    response["Content-Disposition"] = content_disposition_header(True, safe)
    response["Cache-Control"] = "no-store"
    return response
