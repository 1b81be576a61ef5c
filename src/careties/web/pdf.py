"""Text into PDFs as text, never as markup, and no resource the PDF library may fetch.

ReportLab's ``Paragraph`` reads a mini-markup: ``<img src="/etc/hostname">``
in a council's name made it open that file, and ``Smith & Jones <x`` failed
the whole report. Every PDF writer takes ``Paragraph`` from here: it escapes
what it is given, so names, notes and cells print exactly as typed. ReportLab's
URL opener is also told to trust no host and no scheme, so nothing it is given
can reach a file or the network; charts go in as bytes.
"""

from __future__ import annotations

from typing import Any
from xml.sax.saxutils import escape

from reportlab import rl_config
from reportlab.platypus import Paragraph as _Paragraph

rl_config.trustedHosts = None
rl_config.trustedSchemes = []


def text(value: Any) -> str:
    """``value`` as ReportLab markup that shows it literally (control characters dropped)."""
    shown = "" if value is None else str(value)
    shown = "".join(ch for ch in shown if ch in "\t\n" or ch >= " ")
    return escape(shown)


class Paragraph(_Paragraph):
    """A ReportLab paragraph of plain text: markup in it is shown, not obeyed."""

    def __init__(self, value: Any, style, *args, **kwargs) -> None:
        super().__init__(text(value), style, *args, **kwargs)
