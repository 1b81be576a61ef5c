"""Names and notes reach the PDFs as text: markup is shown, never obeyed, nothing is fetched."""

from __future__ import annotations

import pytest
import reportlab.lib.utils

from careties.web.bcf.exports import return_pdf
from careties.web.dashboard.report import bcf_pdf
from careties.web.presenters.base import Column, Section, Table


def _png(path) -> None:
    from PIL import Image

    Image.new("RGB", (4, 4), "red").save(path)


@pytest.fixture
def opened(monkeypatch):
    seen = []
    original = reportlab.lib.utils.open_for_read

    def spy(name, mode="b"):
        seen.append(str(name))
        return original(name, mode)

    monkeypatch.setattr(reportlab.lib.utils, "open_for_read", spy)
    return seen


def _hostile(tmp_path) -> list[str]:
    image = tmp_path / "secret.png"
    _png(image)
    return [
        "Smith & Jones <x",
        f'<img src="{image}" width="40" height="40"/>',
        '<a href="https://example.invalid/">x</a><font face="/etc/passwd">y</font>',
        "unclosed <b>bold & </i> wrong",
    ]


def test_the_bcf_report_prints_hostile_names_as_text_and_opens_nothing(tmp_path, opened):
    for name in _hostile(tmp_path):
        table = Table("t", name, [Column("a", name)], [[name]], [[False]])
        section = Section("t", name, "report", available=True, table=table, note=name)
        pdf = bcf_pdf({"name": name, "la_code": "E06000001"}, [section])
        assert pdf.startswith(b"%PDF")
        assert b"/Subtype /Image" not in pdf
    assert not any("secret.png" in p or "passwd" in p for p in opened)


def test_the_bcf_return_prints_hostile_cells_as_text(tmp_path, opened):
    for name in _hostile(tmp_path):
        pdf = return_pdf(name, "2025-26 Q1", [[name, name, None, 1, 2, "x", name]])
        assert pdf.startswith(b"%PDF") and b"/Subtype /Image" not in pdf
    assert not any("secret.png" in p for p in opened)


def test_reportlab_trusts_no_host_or_scheme():
    from reportlab import rl_config

    import careties.web.pdf  # noqa: F401

    assert not rl_config.trustedHosts and not rl_config.trustedSchemes
    with pytest.raises(OSError):
        reportlab.lib.utils.rlUrlRead("https://example.invalid/x.png")


def test_survey_letters_print_hostile_references_as_text(tmp_path, opened):
    import datetime as dt
    from types import SimpleNamespace

    from careties.web.surveys.letters import letters_pdf

    wave = SimpleNamespace(name="2025-W1", instrument="gp", closes_on=dt.date(2026, 1, 31))
    for name in _hostile(tmp_path):
        invitation = SimpleNamespace(respondent_ref=name, role="gp", organisation=name)
        pdf = letters_pdf(wave, [invitation], lambda i: "https://x.invalid/s/t/", name)
        assert pdf.startswith(b"%PDF") and b"/Subtype /Image" not in pdf
    assert not any("secret.png" in p for p in opened)
