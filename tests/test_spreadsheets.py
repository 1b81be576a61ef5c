"""The one spreadsheet writer (careties.spreadsheets): what the CLI writes is as safe as the web's.

Issue 20: ``careties report`` wrote workbooks with polars' ``write_excel``, which
writes ``=HYPERLINK(...)`` as a live formula; the web had its own safe writer.
"""

from __future__ import annotations

import datetime as dt

import openpyxl
import polars as pl
import pytest

from careties import spreadsheets
from careties.web import exports

HOSTILE = pl.DataFrame(
    {
        "name": ['=HYPERLINK("http://evil.example","click")', "+1", "Practice A"],
        "admissions": [3, None, 12],
        "ratio": [1.25, 0.5, None],
        "since": [dt.date(2024, 4, 1), None, dt.date(2025, 3, 31)],
    }
)


def test_the_web_downloads_use_the_same_writer():
    assert exports.csv_bytes is spreadsheets.csv_bytes
    assert exports.xlsx_bytes is spreadsheets.xlsx_bytes
    assert exports.neutralise is spreadsheets.neutralise


def test_workbook_files_hold_text_never_formulas(tmp_path):
    path = spreadsheets.write_workbook({"referrals": HOSTILE}, tmp_path / "r.xlsx", notes=["-x"])
    book = openpyxl.load_workbook(path)
    sheet = book["referrals"]
    assert [c.value for c in sheet[1]] == ["name", "admissions", "ratio", "since"]
    assert sheet["A2"].value == "'" + HOSTILE["name"][0] and sheet["A2"].data_type == "s"
    assert sheet["A3"].value == "'+1"
    assert sheet["B2"].value == 3 and sheet["B3"].value is None
    assert sheet["C2"].value == 1.25
    assert sheet["D2"].value == "2024-04-01"
    assert book["notes"]["A2"].value == "'-x"


def test_csv_files_neutralise_text_and_keep_numbers(tmp_path):
    path = spreadsheets.write_csv(HOSTILE, tmp_path / "out" / "r.csv")
    lines = path.read_bytes().decode("utf-8-sig").splitlines()
    assert lines[0] == "name,admissions,ratio,since"
    assert lines[1].startswith("\"'=HYPERLINK(") and lines[1].endswith(",3,1.25,2024-04-01")
    assert lines[2] == "'+1,,0.5,"


@pytest.mark.slow
def test_careties_report_writes_through_the_one_writer(tmp_path, monkeypatch):
    from careties.cli import main

    written: list[str] = []
    real = spreadsheets.xlsx_bytes

    def spy(sheets):
        written.extend(name for name, _, _ in sheets)
        return real(sheets)

    monkeypatch.setattr(spreadsheets, "xlsx_bytes", spy)
    target = tmp_path / "referrals.xlsx"
    args = ["report", "referrals", "--synthetic", "--format", "xlsx", "--output", str(target)]
    assert main(args) == 0
    assert written and "notes" in written
    assert openpyxl.load_workbook(target).sheetnames == written
