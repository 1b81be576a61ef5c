"""Savings unit costs in the browser: who may change them, what is refused, what is audited,
and that the savings section and its exports use the saved figures from then on."""

from __future__ import annotations

import datetime as dt
import re

import pytest
from tests.web.paths import url

from careties.planning.savings import SavingsInputs, savings_scenario
from careties.planning.unit_costs import UNIT_COSTS
from careties.web.accounts.models import Role
from careties.web.programme.models import SavingsUnitCost
from careties.web.store.models import AuditEntry
from careties.web.store.services import import_frame

from .factories import councils, frame, make_user

pytestmark = pytest.mark.django_db

HOME, OTHER = "E06000001", "E06000002"
#: URL names of the savings-costs page and its form.
PAGE = "programme:unit_costs"
EDIT = "programme:unit_costs_edit"


@pytest.fixture
def store():
    import_frame(kind="local_authorities", frame=councils(), source="councils.csv")
    gps = [
        {"professional_id": f"GP{i:04d}", "role": "gp", "organisation": "A81001", "la_code": HOME}
        for i in range(8)
    ]
    import_frame(
        kind="professionals", frame=frame("professionals", gps), source="professionals.csv"
    )


def login(client, role, la_codes=(HOME,), **scope):
    user = make_user(f"{role}-{'-'.join(la_codes)}", role, la_codes=list(la_codes), **scope)
    client.force_login(user)
    return user


def posted(**changes) -> dict[str, str]:
    """The form as careties' defaults fill it, with ``changes`` (field name -> text)."""
    data = {"la": HOME}
    for cost in UNIT_COSTS:
        shown = cost.shown(cost.default)
        data[cost.name] = "" if shown is None else f"{shown:g}"
        data[f"{cost.name}_source"] = cost.source
        data[f"{cost.name}_url"] = cost.url
        data[f"{cost.name}_as_of-day"] = str(cost.as_of.day)
        data[f"{cost.name}_as_of-month"] = str(cost.as_of.month)
        data[f"{cost.name}_as_of-year"] = str(cost.as_of.year)
    data.update(changes)
    return data


OWN = {
    "residential_weekly_cost_gbp": "£1,250",
    "residential_weekly_cost_gbp_source": "Hartlepool ASC-FR 2023-24, residential 65+",
    "residential_weekly_cost_gbp_url": "https://example.org/asc-fr-2023-24",
    "residential_weekly_cost_gbp_as_of-day": "1",
    "residential_weekly_cost_gbp_as_of-month": "10",
    "residential_weekly_cost_gbp_as_of-year": "2024",
}


@pytest.mark.parametrize(
    ("role", "reads", "edits"),
    [
        (Role.SYSTEM_ADMIN, 200, 200),
        (Role.COUNCIL_LEAD, 200, 200),
        (Role.COUNCIL_ANALYST, 200, 403),
        (Role.REGIONAL, 200, 403),
        (Role.PRACTICE, 200, 403),
        (Role.SOCIAL_WORKER, 200, 403),
    ],
)
def test_every_role_of_the_council_reads_the_costs_and_only_its_lead_changes_them(
    client, store, role, reads, edits
):
    scope = {"practice_code": "A81001"} if role == Role.PRACTICE else {}
    login(client, role, **scope)
    page = client.get(url(PAGE, la=HOME))
    assert page.status_code == reads
    html = page.content.decode()
    assert "Forder and Fernández (2011)" in html  # the stay's published source
    assert ("Change the unit costs" in html) == (edits == 200)
    assert client.get(url(EDIT, la=HOME)).status_code == edits
    response = client.post(url(EDIT), posted(**OWN))
    assert response.status_code == (302 if edits == 200 else 403)
    assert SavingsUnitCost.objects.filter(la_code=HOME).exists() == (edits == 200)


def test_a_lead_cannot_read_or_change_another_councils_costs(client, store):
    """Programme pages fall back to the user's own council when ``?la=`` is outside their scope."""
    login(client, Role.COUNCIL_LEAD)
    html = client.get(url(PAGE, la=OTHER)).content.decode()
    assert f"({HOME})" in html and OTHER not in html
    client.post(url(EDIT), {**posted(**OWN), "la": OTHER})
    assert not SavingsUnitCost.objects.filter(la_code=OTHER).exists()


@pytest.mark.parametrize(
    ("field", "typed", "message"),
    [
        (
            "residential_weekly_cost_gbp",
            "10500",
            "Weekly cost of a residential care home must be between £200 a week and £5,000 a week",
        ),
        ("residential_weekly_cost_gbp", "-5", "must be between £200 a week"),
        (
            "residential_weekly_cost_gbp",
            "a lot",
            "Weekly cost of a residential care home must be a number",
        ),
        ("residential_weekly_cost_gbp", "", "Enter the weekly cost of a residential care home"),
        (
            "nursing_share",
            "135",
            "Share of admissions to nursing homes must be between 0% and 100%",
        ),
        ("length_of_stay_weeks", "2", "Average length of a care home stay must be between 4 weeks"),
        (
            "length_of_stay_weeks_source",
            "",
            "Enter where the average length of a care home stay comes from",
        ),
        ("length_of_stay_weeks_url", "not a web address", "Enter a web address"),
        ("length_of_stay_weeks_as_of-month", "13", "Enter a real date"),
        (
            "length_of_stay_weeks_as_of-year",
            str(dt.date.today().year + 1),
            "must be today or in the past",
        ),
    ],
)
def test_impossible_figures_are_refused_with_a_message_saying_what_is_allowed(
    client, store, field, typed, message
):
    login(client, Role.COUNCIL_LEAD)
    response = client.post(url(EDIT), posted(**{field: typed}))
    assert response.status_code == 400
    html = response.content.decode()
    assert "There is a problem" in html
    assert message in html.replace("&#x27;", "'")
    assert not SavingsUnitCost.objects.exists()
    assert not AuditEntry.objects.filter(what="savings unit costs").exists()


def test_saving_writes_one_audit_entry_naming_the_change_and_its_source(client, store):
    lead = login(client, Role.COUNCIL_LEAD)
    client.post(url(EDIT), posted(**OWN))
    entry = AuditEntry.objects.get(what="savings unit costs")
    assert (entry.action, entry.la_code, entry.user) == ("change", HOME, lead)
    assert "£1,000 a week -> £1,250 a week" in entry.detail
    assert "Hartlepool ASC-FR 2023-24" in entry.detail
    # Only what changed is stored: the other inputs stay careties' defaults.
    saved = SavingsUnitCost.objects.get(la_code=HOME)
    assert (saved.name, saved.value, saved.as_of) == (
        "residential_weekly_cost_gbp",
        1250.0,
        dt.date(2024, 10, 1),
    )
    page = client.get(url(PAGE, la=HOME)).content.decode()
    assert "The council's figure" in page and "£1,250 a week" in page
    # Saving the same form again changes nothing and audits nothing.
    client.post(url(EDIT), posted(**OWN))
    assert AuditEntry.objects.filter(what="savings unit costs").count() == 1


def test_the_savings_section_and_its_export_use_the_saved_costs(client, store):
    login(client, Role.COUNCIL_LEAD)
    savings = url("section_export", la_code=HOME, key="savings", fmt="csv")
    before = client.get(savings).content.decode()
    client.post(
        url(EDIT),
        posted(
            residential_weekly_cost_gbp="1500",
            nursing_share="0",
            length_of_stay_weeks="52",
            community_weekly_cost_gbp="500",
        ),
    )
    after = client.get(savings).content.decode()
    assert after != before
    # The same arithmetic by hand: (1,500 - 500) a week over a 52-week stay.
    expected = savings_scenario(
        SavingsInputs(
            gps_per_council=8,
            residential_weekly_cost_gbp=1500,
            nursing_share=0,
            length_of_stay_weeks=52,
            community_weekly_cost_gbp=500,
        )
    )
    assert expected.net_saving_per_person_gbp == 52_000
    per_stay = next(line for line in after.splitlines() if "a whole stay" in line)
    assert "52000" in per_stay.replace(",", "").replace(".0", "")
    per_year = next(line for line in after.splitlines() if "each year of care" in line)
    assert "52000" in per_year.replace(",", "").replace(".0", "")
    page = client.get(url("council", la_code=HOME)).content.decode()
    assert "£1,500 a week" in page  # the note lists the unit costs used


def test_every_money_figure_says_per_stay_or_per_year(client, store):
    login(client, Role.COUNCIL_LEAD)
    html = client.get(url("council", la_code=HOME)).content.decode()
    section = html[html.index('id="section-savings"') :]
    section = section[: section.index("</section>")]
    units = re.findall(r"<td[^>]*>(£[^<]*)</td>", section)
    assert set(units) >= {"£ per person per stay", "£ per person per year", "£ a year"}
    assert "£10,067 per person per year" in section
    assert "is the saving per person per year" in section
