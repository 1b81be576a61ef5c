"""Dashboard downloads share one naming rule: ``careties-<parts>-<YYYYMMDD>.<fmt>``."""

from __future__ import annotations

import datetime as dt
import re

import pytest
from django.urls import reverse
from tests.web import dashboard_data

from careties.web.accounts.models import Role
from careties.web.store.models import AuditEntry


@pytest.fixture
def loaded(db):
    facts = dashboard_data.load("tiny")
    facts["users"] = dashboard_data.users(facts)
    return facts


def _filename(response) -> str:
    assert response.status_code == 200
    found = re.search(r'filename="([^"]+)"', response["Content-Disposition"])
    assert found, response["Content-Disposition"]
    return found.group(1)


def _today() -> str:
    return f"{dt.date.today():%Y%m%d}"


def test_a_section_export_is_named_after_council_section_and_day(client, loaded):
    la_code = loaded["la_code"]
    client.force_login(loaded["users"][Role.COUNCIL_ANALYST])
    response = client.get(reverse("section_export", args=[la_code, "funnel", "csv"]))
    assert _filename(response) == f"careties-{la_code}-funnel-{_today()}.csv"


def test_a_practice_section_export_names_the_practice_and_audits_it(client, loaded):
    la_code, practice = loaded["la_code"], loaded["practice"]
    client.force_login(loaded["users"][Role.COUNCIL_ANALYST])
    url = reverse("section_export", args=[la_code, "practice_rates", "xlsx"])
    response = client.get(f"{url}?practice={practice}")
    assert _filename(response) == f"careties-{la_code}-practice_rates-{practice}-{_today()}.xlsx"
    entry = AuditEntry.objects.filter(action="export").latest("at")
    assert entry.what == "practice_rates as XLSX"
    assert entry.detail.endswith(f"; practice {practice}")


def test_the_bcf_report_is_named_after_council_and_day(client, loaded):
    la_code = loaded["la_code"]
    client.force_login(loaded["users"][Role.COUNCIL_LEAD])
    response = client.get(reverse("bcf_report", args=[la_code, "xlsx"]))
    assert _filename(response) == f"careties-{la_code}-bcf-report-{_today()}.xlsx"
    entry = AuditEntry.objects.filter(action="export").latest("at")
    assert entry.detail == f"careties-{la_code}-bcf-report-{_today()}.xlsx"
