"""The dashboard: each role opens what issue 7 says and nothing more, on every view,
JSON endpoint and export; pages fill from the synthetic council; suppression holds."""

from __future__ import annotations

import json

import pytest
from django.urls import reverse
from tests.web import dashboard_data, factories
from tests.web.paths import url

from careties.errors import NotEnoughData
from careties.web.accounts.models import Role
from careties.web.disclosure import Policy
from careties.web.presenters import PAGES, REGISTRY, Context, build
from careties.web.store.services import import_frame

A, L, N, R, P, S = (
    Role.SYSTEM_ADMIN,
    Role.COUNCIL_LEAD,
    Role.COUNCIL_ANALYST,
    Role.REGIONAL,
    Role.PRACTICE,
    Role.SOCIAL_WORKER,
)
EVERYONE = {A, L, N, R, P, S}

#: The specification: which roles open each area (of their own council).
AREA_ROLES = {
    "overview": EVERYONE,
    "practices": {A, L, N, S},
    "own_practice": {A, L, N, S, P},
    "other_practice": {A, L, N, S},
    "relationships": {A, L, N, S},
    "surveys": EVERYONE,
    "targeting": {A, L, N},
    "report": {A, L, N},
    "regional": {A, R},
}

SECTION_AREA = {
    "overview": "overview",
    "practice": "own_practice",
    "relationships": "relationships",
    "surveys": "surveys",
    "targeting": "targeting",
    "report": "report",
    "regional": "regional",
}


@pytest.fixture
def council(db):
    facts = dashboard_data.load("tiny")
    # A second council, loaded but outside everyone's scope but the admin's.
    import_frame(kind="local_authorities", frame=factories.councils(), source="neighbours")
    facts["users"] = dashboard_data.users(facts)
    return facts


def area_urls(facts: dict) -> dict[str, str]:
    la = facts["la_code"]
    return {
        "overview": reverse("council", args=[la]),
        "practices": reverse("practices", args=[la]),
        "own_practice": reverse("practice", args=[la, facts["practice"]]),
        "other_practice": reverse("practice", args=[la, facts["other_practice"]]),
        "relationships": reverse("relationships", args=[la]),
        "surveys": reverse("surveys", args=[la]),
        "targeting": reverse("targeting", args=[la]),
        "report": reverse("bcf_report", args=[la, "xlsx"]),
        "regional": reverse("regional"),
    }


SECTION_VIEWS = {"/": "section_partial", ".json": "section_json"}


def section_url(facts: dict, key: str, suffix: str) -> str:
    spec = REGISTRY[key]
    name = SECTION_VIEWS.get(suffix, "section_export")
    kwargs = {"key": key} if suffix in SECTION_VIEWS else {"key": key, "fmt": suffix[1:]}
    if spec.page == "regional":
        return reverse(f"regional_{name}", kwargs=kwargs)
    query = f"?practice={facts['practice']}" if spec.page == "practice" else ""
    return reverse(name, kwargs={"la_code": facts["la_code"], **kwargs}) + query


@pytest.mark.parametrize("role", sorted(EVERYONE))
def test_each_role_opens_exactly_its_areas(client, council, role):
    client.force_login(council["users"][role])
    for area, address in area_urls(council).items():
        expected = 200 if role in AREA_ROLES[area] else 403
        assert client.get(address).status_code == expected, (role, area)


@pytest.mark.parametrize("role", sorted(EVERYONE))
def test_each_role_on_every_section_endpoint_and_export(client, council, role):
    client.force_login(council["users"][role])
    for key, spec in REGISTRY.items():
        allowed = role in AREA_ROLES[SECTION_AREA[spec.page]]
        if key == "team_ties":  # a social worker's own team, nobody else's
            allowed = role == Role.SOCIAL_WORKER
        for suffix in ("/", ".json", ".csv", ".xlsx"):
            response = client.get(section_url(council, key, suffix))
            if not allowed:
                assert response.status_code == 403, (role, key, suffix)
            elif suffix in (".csv", ".xlsx"):
                # Sections whose analysis cannot run yet have nothing to export.
                assert response.status_code in (200, 404), (role, key, suffix)
            else:
                assert response.status_code == 200, (role, key, suffix)


def test_anonymous_users_are_sent_to_log_in_everywhere(client, council):
    urls = list(area_urls(council).values()) + [
        section_url(council, key, suffix) for key in REGISTRY for suffix in ("/", ".json", ".csv")
    ]
    for address in urls:
        response = client.get(address)
        assert response.status_code == 302 and url("login") in response["Location"], address


@pytest.mark.parametrize("role", [L, N, P, S, R])
def test_no_role_but_admin_opens_another_council(client, council, role):
    client.force_login(council["users"][role])
    neighbour = "E06000001"  # loaded by the fixture, outside every user's councils
    for address in (
        url("council", la_code=neighbour),
        url("section_json", la_code=neighbour, key="ascof"),
    ):
        assert client.get(address).status_code == 403


def test_admin_opens_any_loaded_council_and_unknown_councils_are_404(client, council):
    client.force_login(council["users"][A])
    assert client.get(url("council", la_code="E06000001")).status_code == 200
    assert client.get(url("council", la_code="E06000123")).status_code == 404
    unknown_practice = url("practice", la_code=council["la_code"], practice_code="Z99999")
    assert client.get(unknown_practice).status_code == 404


def test_practice_user_cannot_reach_another_practice_by_any_door(client, council):
    client.force_login(council["users"][P])
    la, other = council["la_code"], council["other_practice"]
    practice = {"practice": other}
    for address in (
        url("practice", la_code=la, practice_code=other),
        url("section_json", la_code=la, key="practice_rates", query=practice),
        url("section_export", la_code=la, key="practice_rates", fmt="csv", query=practice),
        url("section_partial", la_code=la, key="practice_funnel", query=practice),
    ):
        assert client.get(address).status_code == 403, address


def test_home_sends_practice_users_to_their_practice(client, council):
    client.force_login(council["users"][P])
    response = client.get(url("home"))
    assert response.status_code == 302
    assert response["Location"].endswith(f"/practices/{council['practice']}/")


@pytest.mark.parametrize(("page", "role"), [(p, A) for p in PAGES if p != "practice"])
def test_pages_fill_from_the_synthetic_council(client, council, page, role):
    client.force_login(council["users"][role])
    html = client.get(area_urls(council)[page]).content.decode()
    assert 'type="application/json" data-chart=' in html
    assert "nhsuk-table" in html and "Download CSV" in html


def test_practice_page_shows_the_practice_and_its_place_in_the_funnel(client, council):
    client.force_login(council["users"][P])
    html = client.get(area_urls(council)["own_practice"]).content.decode()
    assert "Admissions and alternatives over time" in html
    assert "funnel plot" in html
    assert council["other_practice"] not in html


def test_overview_shows_spc_icons_and_nav_per_role(client, council):
    client.force_login(council["users"][L])
    html = client.get(area_urls(council)["overview"]).content.decode()
    assert "data-mdc-variation=" in html
    assert 'href="/council/' in html and ">Targeting<" in html
    client.force_login(council["users"][P])
    html = client.get(area_urls(council)["overview"]).content.decode()
    assert ">Targeting<" not in html and ">My practice<" in html


def test_htmx_period_filter_returns_the_section_alone(client, council):
    client.force_login(council["users"][N])
    funnel = {"la_code": council["la_code"], "key": "funnel"}
    data = json.loads(client.get(url("section_json", **funnel)).content)
    assert data["available"]
    response = client.get(
        url("section_partial", **funnel), {"period": "1999-00"}, HTTP_HX_REQUEST="true"
    )
    html = response.content.decode()
    assert html.lstrip().startswith("<section") and "<html" not in html


def test_json_endpoint_suppresses_for_practice_users(client, council):
    client.force_login(council["users"][P])
    data = json.loads(
        client.get(url("section_json", la_code=council["la_code"], key="funnel")).content
    )
    admissions = data["columns"].index("Admissions 65+")
    for row in data["rows"]:
        assert row[admissions] == "*" or row[admissions] % 5 == 0
    assert council["other_practice"] not in json.dumps(data)


def test_every_below_council_count_is_disclosed_under_a_suppressing_policy(council):
    """Whatever section is added, its small counts cannot reach a suppressed user."""
    policy = Policy(suppress_small_numbers=True, anonymise_practices=True)
    for page, keys in PAGES.items():
        context = Context(
            user=None,
            la_code=None if page == "regional" else council["la_code"],
            la_codes=[council["la_code"]],
            policy=policy,
            practice_code=council["practice"],
        )
        for key in keys:
            try:
                draft = REGISTRY[key].presenter(context)
            except NotEnoughData:
                continue  # nothing to disclose; any other error is a bug and fails here
            built = build(key, context)
            if draft.disclosure.level != "below_council" or built.table is None:
                continue
            for i, column in enumerate(built.table.columns):
                if column.key not in draft.disclosure.counts:
                    continue
                for row in built.table.export_rows():
                    value = row[i]
                    if isinstance(value, str) and value not in ("*",):
                        # An anonymised practice's size is a band (web.size_bands); others' text.
                        if not value.isdigit():
                            assert " to " in value or "or more" in value or value == "any size"
                            continue
                        value = int(value)
                    assert value in ("*", None) or value == 0 or value % 5 == 0, (key, column)


def test_social_worker_sees_their_own_team_ties_and_no_one_else_does(client, council):
    facts, users = council, council["users"]
    client.force_login(users[Role.SOCIAL_WORKER])
    page = client.get(url("relationships", la_code=facts["la_code"])).content.decode()
    assert (
        "Your team&#39;s ties with practices" in page or "Your team's ties with practices" in page
    )
    assert f"Team {facts['team']}" in page
    team_ties = url("section_export", la_code=facts["la_code"], key="team_ties", fmt="csv")
    exported = client.get(team_ties)
    assert exported.status_code == 200
    client.force_login(users[Role.COUNCIL_LEAD])
    assert (
        "ties with practices"
        not in client.get(url("relationships", la_code=facts["la_code"])).content.decode()
    )
    assert client.get(team_ties).status_code == 403


def test_practice_page_shows_what_the_practice_has_sign_posted_to(client, council):
    import datetime as dt

    from careties.labels import label
    from careties.web.programme.models import SignPost

    services = dashboard_data.synthetic().frames["services"]
    service = services.filter(services["status"] == "active").row(0, named=True)
    SignPost.objects.create(
        la_code=council["la_code"],
        practice_code=council["practice"],
        gp_professional_id="GP00001",
        service_id=service["service_id"],
        signposted_on=dt.date(2026, 3, 1),
    )
    client.force_login(council["users"][Role.COUNCIL_LEAD])
    la, practice = council["la_code"], council["practice"]
    table = client.get(
        url("section_json", la_code=la, key="practice_signposting", query={"practice": practice})
    ).json()
    assert table["available"], table["message"]
    rows = {row[0]: row for row in table["rows"]}
    # The type of service in words (careties.labels), as the table and chart show it.
    assert rows[label(service["service_type"], "service_type")][2] == 1
    page = client.get(url("practice", la_code=la, practice_code=practice)).content.decode()
    assert "sign-posted people to 1 of the" in page
