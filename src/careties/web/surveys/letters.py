"""Printable letters: one page per person asked, with their personal link and a QR code.

careties sends no email, so a council prints these (or attaches them to its own mail).
Each page names the survey, the practice or team and the person's pseudonymous
reference (which the council can match to a name outside careties), and carries the
link as text and as a QR code (segno, drawn as vector paths by reportlab, so it prints
sharply at any size).
"""

from __future__ import annotations

import io
from collections.abc import Callable, Sequence

import segno

from careties.labels import label

from .models import Invitation, Wave
from .services import instrument_for, long_date


def qr_matrix(url: str) -> list[list[bool]]:
    """The QR code of ``url`` as rows of dark (True) and light modules, quiet zone included."""
    code = segno.make(url, error="m", micro=False)
    return [[bool(module) for module in row] for row in code.matrix_iter(scale=1, border=4)]


def letters_pdf(
    wave: Wave,
    invitations: Sequence[Invitation],
    url_for: Callable[[Invitation], str],
    council_name: str,
) -> bytes:
    """A PDF with one letter per invitation, in the order given."""
    # Here, not at the top: reportlab is only needed when letters are printed (a PDF).
    from reportlab.lib.pagesizes import A4
    from reportlab.lib.styles import getSampleStyleSheet
    from reportlab.lib.units import mm
    from reportlab.platypus import Flowable, PageBreak, SimpleDocTemplate, Spacer

    from careties.web.pdf import Paragraph  # escapes: names and references are text

    class QRCode(Flowable):
        def __init__(self, matrix: list[list[bool]], size: float) -> None:
            super().__init__()
            self.matrix, self.size = matrix, size
            self.width = self.height = size

        def draw(self) -> None:
            n = len(self.matrix)
            cell = self.size / n
            self.canv.setFillColorRGB(0, 0, 0)
            for y, row in enumerate(self.matrix):
                for x, dark in enumerate(row):
                    if dark:
                        self.canv.rect(x * cell, self.size - (y + 1) * cell, cell, cell, 0, 1)

    instrument = instrument_for(wave)
    styles = getSampleStyleSheet()
    body, heading = styles["BodyText"], styles["Heading1"]
    buffer = io.BytesIO()
    document = SimpleDocTemplate(
        buffer,
        pagesize=A4,
        title=f"Survey letters, wave {wave.name}",
        author=council_name,
        leftMargin=20 * mm,
        rightMargin=20 * mm,
        topMargin=20 * mm,
        bottomMargin=20 * mm,
    )
    story = []
    for number, invitation in enumerate(invitations):
        url = url_for(invitation)
        where = invitation.organisation or "your organisation"
        story += [
            Paragraph(council_name, styles["Normal"]),
            Spacer(1, 6 * mm),
            Paragraph(
                f"For: {invitation.respondent_ref} ({label(invitation.role, 'role')}, {where})",
                body,
            ),
            Spacer(1, 4 * mm),
            Paragraph(instrument.title, heading),
            Paragraph(
                f"We are asking everyone who supports older people in our area how well they "
                f"work together. The survey takes about 15 minutes and is open until "
                f"{long_date(wave.closes_on)}. Your answers are only ever reported for groups "
                "of five or more people.",
                body,
            ),
            Spacer(1, 4 * mm),
            Paragraph(
                "This link is yours alone and works once. Scan the code with your phone's "
                "camera, or type the address into a web browser:",
                body,
            ),
            Spacer(1, 4 * mm),
            QRCode(qr_matrix(url), 55 * mm),
            Spacer(1, 4 * mm),
            Paragraph(url, body.clone("url", fontName="Courier")),
            Spacer(1, 6 * mm),
            Paragraph(
                "You can save your answers part way and come back with a resume code. "
                "Please do not pass this letter on: ask the council for another if a "
                "colleague needs one.",
                body,
            ),
        ]
        if number < len(invitations) - 1:
            story.append(PageBreak())
    document.build(story)
    return buffer.getvalue()
