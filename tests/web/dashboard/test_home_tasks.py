"""The home page lists each role's next tasks; every page says what the data cover (issue 16)."""

from __future__ import annotations

import datetime as dt

import pytest
from django.urls import reverse
from tests.web import dashboard_data
from tests.web.factories import make_user
from tests.web.paths import url

from careties.web.accounts.models import Role

pytestmark = pytest.mark.django_db


@pytest.fixture
def loaded(db):
    return dashboard_data.load()


def test_a_lead_with_an_empty_council_is_asked_to_load_data(client):
    client.force_login(make_user("empty-lead", Role.COUNCIL_LEAD, la_codes=["E06000047"]))
    html = client.get(url("home")).content.decode()
    assert "Load your council&#39;s GP practices" in html
    assert "Load your Client Level Data (care events)" in html


def test_a_lead_sees_open_waves_due_plan_items_and_the_programme(client, loaded):
    from careties.web.programme.models import ActionItem
    from careties.web.surveys.models import Link, Wave

    la_code = loaded["la_code"]
    today = dt.date.today()
    wave = Wave.objects.create(
        la_code=la_code,
        instrument="gp",
        name="2026-W9",
        opens_on=today - dt.timedelta(days=3),
        closes_on=today + dt.timedelta(days=10),
    )
    Link.objects.create(token="t" * 20, wave=wave, submissions=6)
    ActionItem.objects.create(
        la_code=la_code,
        approach="training",
        title="Visit the top ten practices",
        owner="Team A",
        due_date=today - dt.timedelta(days=2),
    )
    client.force_login(dashboard_data.users(loaded)[Role.COUNCIL_LEAD])
    html = client.get(url("home")).content.decode()
    assert "Your next tasks" in html
    assert "Survey wave 2026-W9" in html and "6 answered so far" in html
    assert "Visit the top ten practices" in html and "Overdue since" in html
    assert "Choose the practices the programme targets" in html
    assert reverse("surveys:wave", args=[wave.pk]) in html


def test_a_social_worker_is_asked_to_log_activities(client, loaded):
    client.force_login(dashboard_data.users(loaded)[Role.SOCIAL_WORKER])
    html = client.get(url("home")).content.decode()
    assert "Log a visit, training or joint working session with a GP" in html
    assert "Load your" not in html


def test_every_council_page_says_what_the_data_cover_and_when_loaded(client, loaded):
    from careties.web.store.models import CareEvent

    first = CareEvent.objects.order_by("start_date").values_list("start_date", flat=True)[0]
    client.force_login(dashboard_data.users(loaded)[Role.COUNCIL_ANALYST])
    for page in (
        url("council", la_code=loaded["la_code"]),
        url("programme:plans", la=loaded["la_code"]),
        url("surveys:waves"),
    ):
        html = client.get(page).content.decode()
        assert f"Care events from {first:%-d %B %Y}" in html, page
        assert f"last loaded {dt.date.today():%-d %B %Y}" in html, page
