"""The demo's programme is alive (issue 16): pledge, plan and evaluation filled from the truth."""

from __future__ import annotations

import pytest
from django.urls import reverse
from tests.web import dashboard_data

from careties.web.accounts.models import Role
from careties.web.programme.demo import seed_demo_programme
from careties.web.programme.models import ActionItem, PledgeSignature, Programme

pytestmark = pytest.mark.django_db


def test_the_demo_programme_has_a_pledge_a_plan_and_an_evaluation(client):
    facts = dashboard_data.load()
    truth = dashboard_data.synthetic().truth
    la_code = facts["la_code"]
    seed_demo_programme(truth, la_code, "Northby")
    seed_demo_programme(truth, la_code, "Northby")  # idempotent
    programme = Programme.objects.get(la_code=la_code)
    assert programme.targeted_practices == sorted(truth["programme"]["targeted_practices"])
    assert PledgeSignature.objects.filter(la_code=la_code).count() == 1
    assert ActionItem.objects.filter(la_code=la_code).count() == 3
    client.force_login(dashboard_data.users(facts)[Role.COUNCIL_LEAD])
    overview = client.get(reverse("programme:overview") + f"?la={la_code}").content.decode()
    assert "working with 4 targeted practice(s)" in overview
    evaluation = client.get(reverse("programme:evaluation") + f"?la={la_code}")
    assert evaluation.status_code == 200
    assert "nhsuk-table" in evaluation.content.decode()
