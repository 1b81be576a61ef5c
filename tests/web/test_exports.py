"""Exports: spreadsheet-safe cells, numbers as numbers, every download audited."""

from __future__ import annotations

import csv
import io

import openpyxl
import pytest
from tests.web.paths import url

from careties.web import exports
from careties.web.accounts.models import Role
from careties.web.store.models import AuditEntry

from . import dashboard_data


@pytest.mark.parametrize("text", ["=1+1", "+1", "-1", "@SUM(A1)", "\tx", "\rx"])
def test_formula_starts_are_neutralised(text):
    assert exports.neutralise(text) == "'" + text


def test_plain_text_and_numbers_are_left_alone():
    assert exports.neutralise("Practice A") == "Practice A"
    assert exports.neutralise(-3) == -3


def test_csv_neutralises_cells_and_keeps_numbers():
    content = exports.csv_bytes(["name", "count"], [["=HYPERLINK(1)", 5], ["ok", None]])
    text = content.decode("utf-8-sig")
    assert text.splitlines() == ["name,count", "'=HYPERLINK(1),5", "ok,"]


def test_xlsx_writes_text_as_text_never_formulas():
    content = exports.xlsx_bytes([("Sheet: one?", ["name", "count"], [["=1+1", 5], ["*", 2.5]])])
    sheet = openpyxl.load_workbook(io.BytesIO(content)).active
    assert sheet["A2"].value == "'=1+1"
    assert sheet["A2"].data_type == "s"
    assert sheet["B2"].value == 5
    assert sheet["A3"].value == "*"


@pytest.fixture
def loaded(db):
    facts = dashboard_data.load("tiny")
    facts["users"] = dashboard_data.users(facts)
    return facts


@pytest.mark.parametrize("fmt", ["csv", "xlsx"])
def test_section_export_is_audited(client, loaded, fmt):
    user = loaded["users"][Role.COUNCIL_ANALYST]
    client.force_login(user)
    response = client.get(url("section_export", la_code=loaded["la_code"], key="funnel", fmt=fmt))
    assert response.status_code == 200
    assert response["Content-Disposition"].startswith("attachment;")
    entry = AuditEntry.objects.filter(action="export").latest("at")
    assert entry.user == user
    assert entry.la_code == loaded["la_code"]
    assert entry.what == f"funnel as {fmt.upper()}"


@pytest.mark.parametrize("fmt", ["pdf", "xlsx"])
def test_bcf_report_downloads_and_is_audited(client, loaded, fmt):
    client.force_login(loaded["users"][Role.COUNCIL_LEAD])
    response = client.get(url("bcf_report", la_code=loaded["la_code"], fmt=fmt))
    assert response.status_code == 200
    content = response.content
    if fmt == "pdf":
        assert content.startswith(b"%PDF")
    else:
        names = openpyxl.load_workbook(io.BytesIO(content)).sheetnames
        assert names[0] == "About" and any(n.startswith("ASCOF") for n in names)
        assert any("pledge" in n.lower() for n in names)
    assert AuditEntry.objects.filter(action="export", what=f"BCF report as {fmt.upper()}").exists()


def test_practice_users_export_suppressed_and_anonymised_figures(client, loaded):
    client.force_login(loaded["users"][Role.PRACTICE])
    response = client.get(url("section_export", la_code=loaded["la_code"], key="funnel", fmt="csv"))
    text = response.content.decode("utf-8-sig")
    assert loaded["other_practice"] not in text
    rows = list(csv.reader(io.StringIO(text)))[1:]
    assert rows
    for row in rows:
        count = row[2]
        assert count == "*" or int(count) % 5 == 0
