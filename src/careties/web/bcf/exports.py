"""The quarterly return as files: XLSX shaped like the BCF template's metrics tab, and PDF."""

from __future__ import annotations

import io

from careties.web import exports

from .services import RETURN_HEADER


def return_xlsx(council: str, quarter: str, rows: list[list]) -> bytes:
    """One sheet, "Metrics": the header row, then headline metrics, then local metrics."""
    return exports.xlsx_bytes([("Metrics", RETURN_HEADER, rows)])


def return_pdf(council: str, quarter: str, rows: list[list]) -> bytes:
    # Here, not at the top: reportlab is only needed when a PDF is asked for (as in
    # dashboard/report.py).
    from reportlab.lib import colors
    from reportlab.lib.pagesizes import A4, landscape
    from reportlab.lib.styles import getSampleStyleSheet
    from reportlab.lib.units import mm
    from reportlab.platypus import SimpleDocTemplate, Spacer, Table, TableStyle

    from careties.web.pdf import Paragraph  # escapes: names and cells are text, not markup

    styles = getSampleStyleSheet()
    buffer = io.BytesIO()
    doc = SimpleDocTemplate(
        buffer,
        pagesize=landscape(A4),
        leftMargin=15 * mm,
        rightMargin=15 * mm,
        title=f"BCF quarterly return {quarter} - {council}",
    )
    cell = styles["BodyText"]
    body = [[Paragraph(str(h), cell) for h in RETURN_HEADER]]
    for row in rows:
        body.append([Paragraph("" if v is None else str(v), cell) for v in row])
    table = Table(
        body,
        repeatRows=1,
        colWidths=[28 * mm, 60 * mm, 30 * mm, 20 * mm, 20 * mm, 25 * mm, 82 * mm],
    )
    table.setStyle(
        TableStyle(
            [
                ("BACKGROUND", (0, 0), (-1, 0), colors.HexColor("#005EB8")),
                ("TEXTCOLOR", (0, 0), (-1, 0), colors.white),
                ("GRID", (0, 0), (-1, -1), 0.25, colors.grey),
                ("VALIGN", (0, 0), (-1, -1), "TOP"),
            ]
        )
    )
    story = [
        Paragraph(f"Better Care Fund quarterly return: {quarter}", styles["Title"]),
        Paragraph(council, styles["Heading2"]),
        Spacer(1, 4 * mm),
        table,
    ]
    doc.build(story)
    return buffer.getvalue()
