"""Forms as NHS services write them (issue 16): dates as day, month, year; no "---------"."""

from __future__ import annotations

import datetime as dt

import pytest
from django.urls import reverse
from tests.web.factories import make_user

from careties.web.accounts.models import Role
from careties.web.programme.forms_plans import ActionItemForm
from careties.web.programme.presenters import error_list, form_fields
from careties.web.programme.widgets import DayMonthYearInput

pytestmark = pytest.mark.django_db

LA = "E06000001"


def test_the_three_boxes_make_one_date_and_a_wrong_one_is_refused():
    widget = DayMonthYearInput()
    data = {"due-day": "31", "due-month": "3", "due-year": "2026"}
    assert widget.value_from_datadict(data, {}, "due") == "2026-03-31"
    assert widget.value_from_datadict({"due": "2026-01-02"}, {}, "due") == "2026-01-02"
    form = ActionItemForm(
        {"due_date-day": "31", "due_date-month": "2", "due_date-year": "2026"}, la_code=LA
    )
    assert not form.is_valid()
    assert form.errors["due_date"] == ["Enter a real date"]
    shown = {f["name"]: f for f in form_fields(form)}["due_date"]
    assert shown["kind"] == "date"
    assert shown["parts"] == {"day": "31", "month": "2", "year": "2026"}
    assert {"text": "Enter a real date", "href": "#id_due_date-day"} in error_list(form)


def test_no_dashes_option_and_no_choice_made_for_the_user():
    form = ActionItemForm(la_code=LA)
    for field in form_fields(form):
        for item in field.get("items", []):
            assert "---------" not in item["text"]
            if field["kind"] == "radios" and field["name"] == "approach":
                assert not item["checked"]
                assert item["value"]


def test_the_plan_form_renders_day_month_year_boxes(client):
    client.force_login(make_user("lead", Role.COUNCIL_LEAD, la_codes=[LA]))
    html = client.get(reverse("programme:plan_new") + f"?la={LA}").content.decode()
    assert 'name="due_date-day"' in html and 'name="due_date-year"' in html
    assert 'type="date"' not in html
    assert "---------" not in html


def test_a_plan_item_posted_as_three_boxes_is_saved(client):
    from careties.web.programme.models import ActionItem
    from careties.web.store.models import LocalAuthority, Practice

    LocalAuthority.objects.create(la_code=LA, name="Hartlepool", source="t")
    Practice.objects.create(practice_code="A81001", name="The Practice", la_code=LA, source="t")
    client.force_login(make_user("lead2", Role.COUNCIL_LEAD, la_codes=[LA]))
    response = client.post(
        reverse("programme:plan_new") + f"?la={LA}",
        {
            "la": LA,
            "approach": "training",
            "title": "Train the practice",
            "owner": "Team A",
            "target_practices": ["A81001"],
            "due_date-day": "30",
            "due_date-month": "6",
            "due_date-year": "2027",
            "status": "not_started",
        },
    )
    assert response.status_code == 302, response.content.decode()[:2000]
    assert ActionItem.objects.get().due_date == dt.date(2027, 6, 30)
