"""The BCF page, the plan's goals, relationship metrics, the quarterly return and its cells."""

from __future__ import annotations

import io

import openpyxl
import pytest
from tests.web import dashboard_data
from tests.web.paths import url

from careties.bcf.metrics import HEADLINE_KEYS
from careties.web.accounts.models import Role
from careties.web.bcf import services
from careties.web.bcf.demo import seed_demo_plan
from careties.web.bcf.models import Goal, RelationshipMetric
from careties.web.store.models import AuditEntry

pytestmark = pytest.mark.django_db


@pytest.fixture
def council(db):
    facts = dashboard_data.load()
    facts["users"] = dashboard_data.users(facts)
    return facts


def _login(client, council, role):
    client.force_login(council["users"][role])


def test_demo_plan_gives_every_metric_a_goal_in_every_quarter(council):
    seed_demo_plan(council["la_code"])
    quarters, lines = services.build_lines(council["la_code"])
    assert [line.key for line in lines[:3]] == list(HEADLINE_KEYS)
    assert sum(line.local for line in lines) == 3
    assert len(quarters) >= 4
    for line in lines:
        for quarter in quarters:
            actual, goal, on_track = line.cells[quarter]
            assert actual is not None and goal is not None, (line.key, quarter)
            assert on_track is not None


def test_council_lead_sees_metrics_against_goals(client, council):
    seed_demo_plan(council["la_code"])
    _login(client, council, Role.COUNCIL_LEAD)
    response = client.get(url("bcf:page", la=council["la_code"]))
    assert response.status_code == 200
    html = response.content.decode()
    for key in HEADLINE_KEYS:
        assert f'data-metric="{key}"' in html
    assert html.count('data-metric="rel-') == 3
    assert "data-mdc-variation" in html
    assert 'data-on-track="yes"' in html or 'data-on-track="no"' in html
    for table in ("by age band", "by sex", "by ethnicity", "deprivation"):
        assert table in html
    assert "data-sii=" in html


@pytest.mark.parametrize("role", [Role.REGIONAL, Role.PRACTICE, Role.SOCIAL_WORKER])
def test_roles_outside_the_council_cannot_open_it(client, council, role):
    _login(client, council, role)
    assert client.get(url("bcf:page", la=council["la_code"])).status_code in {403, 404}


def test_only_the_lead_sets_goals(client, council):
    la = council["la_code"]
    quarters, _ = services.build_lines(la)
    field = f"goal|emergency_admissions_65|{quarters[0]}"
    _login(client, council, Role.COUNCIL_ANALYST)
    assert client.post(url("bcf:goals", la=la), {field: "123.4"}).status_code == 403
    assert not Goal.objects.exists()
    _login(client, council, Role.COUNCIL_LEAD)
    assert client.post(url("bcf:goals", la=la), {field: "123.4"}).status_code == 302
    goal = Goal.objects.get()
    assert (goal.metric, goal.quarter, goal.goal) == ("emergency_admissions_65", quarters[0], 123.4)
    assert AuditEntry.objects.filter(action="change", what="BCF goals").exists()


def test_lead_writes_a_relationship_metric_plan(client, council):
    la = council["la_code"]
    _login(client, council, Role.COUNCIL_LEAD)
    bad = client.post(url("bcf:relationship_new", la=la), {"behaviour": "x", "roles": ""})
    assert bad.status_code == 400
    response = client.post(
        url("bcf:relationship_new", la=la),
        {
            "behaviour": "GPs call social workers before a crisis",
            "roles": "GPs and social workers",
            "level": "practice",
            "measure": "gp_social_care_tie_share",
        },
    )
    assert response.status_code == 302
    plan = RelationshipMetric.objects.get()
    assert (plan.level, plan.measure) == ("practice", "gp_social_care_tie_share")


def test_quarterly_return_xlsx_cells_and_commentary(client, council):
    la = council["la_code"]
    seed_demo_plan(la)
    quarters, lines = services.build_lines(la)
    quarter = quarters[-1]
    _login(client, council, Role.COUNCIL_LEAD)
    saved = client.post(
        url("bcf:commentary", quarter=quarter, la=la),
        {"comment|emergency_admissions_65": "Winter pressures; falls service expanded."},
    )
    assert saved.status_code == 302
    _login(client, council, Role.COUNCIL_ANALYST)
    response = client.get(url("bcf:return", quarter=quarter, fmt="xlsx", la=la))
    assert response.status_code == 200
    sheet = openpyxl.load_workbook(io.BytesIO(response.content))["Metrics"]
    rows = list(sheet.iter_rows(values_only=True))
    assert rows[0] == ("Type", "Metric", "Unit", "Goal", "Actual", "On track", "Commentary")
    assert [r[0] for r in rows[1:]] == ["Headline metric"] * 3 + ["Local metric"] * 3
    first = lines[0]
    actual, goal, on_track = first.cells[quarter]
    assert rows[1][1] == first.name
    assert rows[1][3] == pytest.approx(round(goal, 1))
    assert rows[1][4] == pytest.approx(round(actual, 1))
    assert rows[1][5] == ("On track" if on_track else "Not on track")
    assert rows[1][6] == "Winter pressures; falls service expanded."
    assert AuditEntry.objects.filter(
        action="export", what=f"BCF quarterly return {quarter}"
    ).exists()
    pdf = client.get(url("bcf:return", quarter=quarter, fmt="pdf", la=la))
    assert pdf.status_code == 200 and pdf.content.startswith(b"%PDF")


def test_analyst_cannot_write_commentary(client, council):
    la = council["la_code"]
    _login(client, council, Role.COUNCIL_ANALYST)
    response = client.post(
        url("bcf:commentary", quarter="2025-26 Q1", la=la), {"comment|discharge_delay": "x"}
    )
    assert response.status_code == 403


def test_programme_evaluation_adds_emergency_admissions_by_practice(client, council):
    import datetime as dt

    from careties.web.programme.models import Programme

    truth = dashboard_data.synthetic().truth["programme"]
    Programme.objects.create(
        la_code=council["la_code"],
        start_date=dt.date.fromisoformat(truth["start_date"]),
        targeted_practices=truth["targeted_practices"],
    )
    _login(client, council, Role.COUNCIL_LEAD)
    html = client.get(url("programme:evaluation", la=council["la_code"])).content.decode()
    assert "Emergency admissions 65+ (BCF metric 1)" in html


@pytest.mark.parametrize(
    ("role", "offered"),
    [(Role.COUNCIL_LEAD, True), (Role.COUNCIL_ANALYST, True), (Role.PRACTICE, False)],
)
def test_header_offers_bcf_to_the_council_roles_only(client, council, role, offered):
    import re

    _login(client, council, role)
    html = client.get(url("council", la_code=council["la_code"])).content.decode()
    links = re.findall(r'class="nhsuk-header__navigation-link" href="([^"]+)"[^>]*>\s*BCF', html)
    assert bool(links) == offered
    if offered:
        assert client.get(links[0].replace("&amp;", "&")).status_code == 200


def test_goal_and_return_pages_render_for_the_lead(client, council):
    la = council["la_code"]
    seed_demo_plan(la)
    quarters, _ = services.build_lines(la)
    _login(client, council, Role.COUNCIL_LEAD)
    goals = client.get(url("bcf:goals", la=la)).content.decode()
    from careties.bcf.metrics import plan_quarters

    planned = plan_quarters(quarters)
    assert len(planned) > len(quarters)  # the next financial year can be planned too
    assert goals.count('name="goal|') == 6 * len(planned)
    future = planned[-1]
    saved = client.post(url("bcf:goals", la=la), {f"goal|discharge_delay|{future}": "0.5"})
    assert saved.status_code == 302
    html = client.get(url("bcf:page", la=la)).content.decode()
    assert f'data-quarter="{future}"' in html
    page = client.get(url("bcf:commentary", quarter=quarters[0], la=la)).content.decode()
    assert page.count('name="comment|') == 6
    assert client.get(url("bcf:commentary", quarter="not-a-quarter", la=la)).status_code == 404


def test_a_council_without_bcf_data_gets_messages_not_errors(client, db):
    from tests.web.factories import councils, make_user

    from careties.web.store.services import import_frame

    import_frame(kind="local_authorities", frame=councils(), source="councils.csv")
    user = make_user("lead-empty", Role.COUNCIL_LEAD, la_codes=["E06000001"])
    client.force_login(user)
    html = client.get(url("bcf:page", la="E06000001")).content.decode()
    assert html.count("No data for this metric yet") == 3
    assert "No care home admissions are loaded yet" in html


def test_lead_weighs_core20_into_the_targeting_list(client, council):
    from careties.web.bcf.models import core20_weight

    la = council["la_code"]
    _login(client, council, Role.COUNCIL_ANALYST)
    assert client.post(url("bcf:core20", la=la), {"core20_weight": "0.5"}).status_code == 403
    _login(client, council, Role.COUNCIL_LEAD)
    before = client.get(url("targeting", la_code=la)).content.decode()
    assert client.post(url("bcf:core20", la=la), {"core20_weight": "2"}).status_code == 400
    assert client.post(url("bcf:core20", la=la), {"core20_weight": "0.5"}).status_code == 302
    assert core20_weight(la) == 0.5
    after = client.get(url("targeting", la_code=la)).content.decode()
    # The list's note spells the weights out: "... + 0.33 x core20".
    assert "x core20" not in before
    assert "x core20" in after
    assert AuditEntry.objects.filter(what="targeting Core20 weight").exists()


def test_commentary_cannot_become_a_formula_or_markup(client, council):
    la = council["la_code"]
    seed_demo_plan(la)
    quarter = services.build_lines(la)[0][-1]
    _login(client, council, Role.COUNCIL_LEAD)
    client.post(
        url("bcf:commentary", quarter=quarter, la=la),
        {"comment|discharge_delay": '=HYPERLINK("http://example.org")', "comment|rel-0": "x"},
    )
    response = client.get(url("bcf:return", quarter=quarter, fmt="xlsx", la=la))
    sheet = openpyxl.load_workbook(io.BytesIO(response.content))["Metrics"]
    cell = [row for row in sheet.iter_rows(values_only=True) if row[1] and "discharge" in row[1]][0]
    assert not str(cell[6]).startswith("=")
    pdf = client.get(url("bcf:return", quarter=quarter, fmt="pdf", la=la))
    assert pdf.status_code == 200
    page = client.get(url("bcf:commentary", quarter=quarter, la=la)).content.decode()
    assert "=HYPERLINK(&#34;http://example.org&#34;)" in page or "=HYPERLINK(&quot;" in page
