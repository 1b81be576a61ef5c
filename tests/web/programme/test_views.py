"""Every programme page: who may open it, what it saves, and how it says what is wrong."""

from __future__ import annotations

import datetime as dt
import json
import re
from pathlib import Path

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from tests.web.paths import url

from careties.planning.oruk_common import SERVICE_TYPE_TAXONOMY, term_uuid
from careties.web.accounts.models import Role
from careties.web.programme.models import (
    ActionItem,
    Activity,
    OrukOriginal,
    PledgeSignature,
    Programme,
    SignPost,
)
from careties.web.store.models import Contact, Service
from careties.web.store.services import import_frame

from .factories import councils, frame, make_user

pytestmark = pytest.mark.django_db

HOME, OTHER = "E06000001", "E06000002"
DOC = json.loads(
    (Path(__file__).parents[2] / "planning" / "data" / "oruk_services.json").read_text()
)


@pytest.fixture
def store():
    import_frame(kind="local_authorities", frame=councils(), source="councils.csv")
    import_frame(
        kind="practices",
        frame=frame(
            "practices",
            [
                {
                    "practice_code": "A81001",
                    "name": "Hart Surgery",
                    "postcode": "TS24 1AA",
                    "la_code": HOME,
                    "status": "A",
                },
                {
                    "practice_code": "A81002",
                    "name": "Bay Practice",
                    "postcode": "TS25 1AA",
                    "la_code": HOME,
                    "status": "A",
                },
                {
                    "practice_code": "A82001",
                    "name": "Tees Medical",
                    "postcode": "TS1 1AA",
                    "la_code": OTHER,
                    "status": "A",
                },
            ],
        ),
        source="practices.csv",
    )
    import_frame(
        kind="professionals",
        frame=frame(
            "professionals",
            [
                {
                    "professional_id": "GP0001",
                    "role": "gp",
                    "organisation": "A81001",
                    "la_code": HOME,
                },
                {
                    "professional_id": "GP0002",
                    "role": "gp",
                    "organisation": "A81002",
                    "la_code": HOME,
                },
                {
                    "professional_id": "SW0001",
                    "role": "social_worker",
                    "organisation": "ASC-NORTH",
                    "la_code": HOME,
                },
            ],
        ),
        source="professionals.csv",
    )
    import_frame(
        kind="services",
        frame=frame(
            "services",
            [
                {
                    "service_id": "svc-1",
                    "name": "Telecare",
                    "service_type": "telecare",
                    "description": "Alarms",
                    "area": "Hartlepool",
                    "la_code": HOME,
                    "quality_rating": 4,
                    "status": "active",
                },
            ],
        ),
        source="services.csv",
    )


@pytest.fixture
def users():
    return {
        "lead": make_user("lead", Role.COUNCIL_LEAD, la_codes=[HOME]),
        "analyst": make_user("analyst", Role.COUNCIL_ANALYST, la_codes=[HOME]),
        "other_lead": make_user("other", Role.COUNCIL_LEAD, la_codes=[OTHER]),
        "regional": make_user("regional", Role.REGIONAL, la_codes=[HOME, OTHER]),
        "practice": make_user(
            "practice",
            Role.PRACTICE,
            la_codes=[HOME],
            practice_code="A81001",
            professional_id="GP0001",
        ),
        "social_worker": make_user(
            "sw", Role.SOCIAL_WORKER, la_codes=[HOME], professional_id="SW0001"
        ),
    }


#: The programme's pages by URL name, and the roles that open each.
PAGES = {
    "programme:settings": {"lead", "analyst"},
    "programme:pledge": {"lead", "analyst", "regional"},
    "programme:pledge_sign": {"lead", "analyst"},
    "programme:adoption": {"lead", "analyst", "regional"},
    "programme:plans": {"lead", "analyst", "regional"},
    "programme:plan_new": {"lead", "analyst"},
    "programme:activities": {"lead", "analyst", "social_worker"},
    "programme:activity_new": {"lead", "analyst", "social_worker"},
    "programme:directory": {"lead", "analyst", "regional", "practice", "social_worker"},
    "programme:service": {"lead", "analyst", "regional", "practice", "social_worker"},
    "programme:service_new": {"lead", "analyst"},
    "programme:service_edit": {"lead", "analyst"},
    "programme:directory_import": {"lead", "analyst"},
    "programme:signposts": {"lead", "analyst", "practice"},
    "programme:evaluation": {"lead", "analyst", "regional"},
}
#: The one service a page about a service opens (``store`` loads it).
SERVICE_PAGES = {"programme:service", "programme:service_edit"}


@pytest.mark.parametrize("page", sorted(PAGES))
def test_each_role_may_open_only_its_pages(client, store, users, page):
    address = url(page, la=HOME, **({"service_id": "svc-1"} if page in SERVICE_PAGES else {}))
    for name, user in users.items():
        if name == "other_lead":  # sees its own council instead: see the next tests
            continue
        client.force_login(user)
        response = client.get(address)
        expected = 200 if name in PAGES[page] else 403
        assert response.status_code == expected, (name, page, response.status_code)


def test_pages_need_login(client, store):
    assert client.get(url("programme:pledge"))["Location"].startswith(url("login"))


def test_a_council_cannot_open_another_councils_pages(client, store, users):
    client.force_login(users["other_lead"])
    # ``?la=`` outside the user's scope falls back to their own council, never another's.
    response = client.get(url("programme:pledge", la=HOME))
    assert response.status_code == 200 and "Middlesbrough" in response.content.decode()


def test_overview_sends_each_role_to_its_part(client, store, users):
    for name, where in {
        "lead": None,
        "regional": url("programme:adoption"),
        "practice": url("programme:directory"),
        "social_worker": url("programme:activities"),
    }.items():
        client.force_login(users[name])
        response = client.get(url("programme:overview"))
        if where:
            assert response["Location"] == where
        else:
            assert response.status_code == 200


def test_sign_the_pledge_with_validation(client, store, users):
    client.force_login(users["lead"])
    response = client.post(
        url("programme:pledge_sign"),
        {
            "la": HOME,
            "organisation_type": "practice",
            "organisation_code": "Z1",
            "organisation_name": "",
            "signatory_role": "GP partner",
            "signed_on": "2999-01-01",
        },
    )
    html = response.content.decode()
    assert response.status_code == 400
    assert "There is a problem" in html and 'href="#id_organisation_code"' in html
    assert "one letter and five digits" in html and "Enter the organisation name" in html
    assert "today or in the past" in html
    assert PledgeSignature.objects.count() == 0
    ok = {
        "la": HOME,
        "organisation_type": "council",
        "organisation_code": HOME,
        "organisation_name": "Hartlepool Borough Council",
        "signatory_role": "Director of Adult Social Services",
        "signed_on": "2025-04-01",
    }
    assert client.post(url("programme:pledge_sign"), ok).status_code == 302
    signature = PledgeSignature.objects.get()
    assert signature.la_code == HOME
    # The same organisation twice.
    assert client.post(url("programme:pledge_sign"), ok).status_code == 400
    ok["signatory_role"] = "Chief executive"
    assert client.post(url("programme:pledge_edit", pk=signature.pk), ok).status_code == 302
    assert PledgeSignature.objects.get().signatory_role == "Chief executive"
    client.force_login(users["regional"])
    assert "Hartlepool" in client.get(url("programme:adoption")).content.decode()
    client.force_login(users["other_lead"])
    assert client.post(url("programme:pledge_edit", pk=signature.pk), ok).status_code == 403


def test_action_plan_items_and_progress(client, store, users):
    client.force_login(users["lead"])
    assert client.post(url("programme:plan_new"), {"la": HOME}).status_code == 400
    data = {
        "la": HOME,
        "approach": "training",
        "title": "Lunch-and-learn on reablement",
        "owner": "Practice liaison team",
        "target_practices": ["A81001"],
        "due_date": "2025-06-30",
        "status": "in_progress",
    }
    assert client.post(url("programme:plan_new"), data).status_code == 302
    item = ActionItem.objects.get()
    data["status"] = "done"
    assert client.post(url("programme:plan_edit", pk=item.pk), data).status_code == 302
    html = client.get(url("programme:plans", la=HOME)).content.decode()
    assert "Lunch-and-learn on reablement" in html and "100%" in html


def test_programme_settings(client, store, users):
    client.force_login(users["lead"])
    assert client.post(url("programme:settings"), {"la": HOME, "start_date": ""}).status_code == 400
    response = client.post(
        url("programme:settings"),
        {"la": HOME, "start_date": "2025-04-01", "targeted_practices": ["A81001"]},
    )
    assert response.status_code == 302
    assert Programme.objects.get(la_code=HOME).targeted_practices == ["A81001"]
    assert client.get(url("programme:evaluation", la=HOME)).status_code == 200


def test_activity_is_mirrored_into_the_contacts_table(client, store, users):
    client.force_login(users["social_worker"])
    bad = client.post(
        url("programme:activity_new"),
        {
            "la": HOME,
            "kind": "training_session",
            "activity_date": "2025-05-01",
            "gp_professional_id": "GP9999",
            "staff_professional_id": "SW0001",
            "minutes": "0",
        },
    )
    assert bad.status_code == 400 and "Select a GP from the list" in bad.content.decode()
    good = {
        "la": HOME,
        "kind": "joint_working",
        "activity_date": "2025-05-01",
        "gp_professional_id": "GP0001",
        "staff_professional_id": "SW0001",
        "minutes": "45",
        "notes": "",
    }
    assert client.post(url("programme:activity_new"), good).status_code == 302
    activity = Activity.objects.get()
    assert activity.practice_code == "A81001"
    contact = Contact.objects.get(source="programme-activities")
    assert (contact.from_professional, contact.to_professional, contact.channel) == (
        "SW0001",
        "GP0001",
        "joint_visit",
    )
    good["minutes"] = "60"
    assert client.post(url("programme:activity_edit", pk=activity.pk), good).status_code == 302
    assert Contact.objects.get(source="programme-activities").minutes == 60
    assert client.post(url("programme:activity_delete", pk=activity.pk), {}).status_code == 302
    assert not Contact.objects.filter(source="programme-activities").exists()


def test_gp_searches_and_signposts_with_a_pseudonymous_person(client, store, users):
    client.force_login(users["practice"])
    search = {"need": "telecare", "area": "hartlepool"}
    html = client.get(url("programme:directory", query=search)).content.decode()
    assert "Telecare" in html and "1 service(s) found" in html
    none = client.get(url("programme:directory", query={"need": "swimming"}))
    assert "0 service(s) found" in none.content.decode()
    service = url("programme:service", service_id="svc-1")
    response = client.post(
        service,
        {
            "la": HOME,
            "gp_professional_id": "GP0001",
            "signposted_on": dt.date.today().isoformat(),
            "person_reference": "MRN 12345",
        },
    )
    assert response.status_code == 302
    signpost = SignPost.objects.get()
    assert signpost.practice_code == "A81001" and len(signpost.person_key) == 32
    assert "12345" not in signpost.person_key
    assert "Sign-posting recorded" in client.get(response["Location"]).content.decode()
    bad = client.post(
        service,
        {"la": HOME, "gp_professional_id": "GP0002", "signposted_on": ""},
    )
    assert bad.status_code == 400 and "Select a GP from the list" in bad.content.decode()
    client.force_login(users["lead"])
    assert client.post(service, {"la": HOME}).status_code == 403


def test_council_adds_and_changes_a_service(client, store, users):
    client.force_login(users["lead"])
    assert client.post(url("programme:service_new"), {"la": HOME, "name": ""}).status_code == 400
    data = {
        "la": HOME,
        "name": "Men's Shed",
        "service_type": "social_support",
        "description": "Woodwork and company",
        "area": "Seaton Carew",
        "quality_rating": "",
        "status": "active",
    }
    assert client.post(url("programme:service_new"), data).status_code == 302
    service = Service.objects.get(name="Men's Shed")
    assert service.source == f"directory-{HOME}" and service.quality_rating is None
    data["quality_rating"] = "5"
    edit = url("programme:service_edit", service_id=service.service_id)
    assert client.post(edit, data).status_code == 302
    assert Service.objects.get(name="Men's Shed").quality_rating == 5
    assert Service.objects.filter(service_id="svc-1").exists()  # other services untouched


def test_oruk_import_is_all_or_nothing_and_exports_what_came_in(client, store, users):
    client.force_login(users["lead"])
    bad = json.loads(json.dumps(DOC))
    bad[1]["status"] = "open"
    del bad[2]["name"]
    response = client.post(
        url("programme:directory_import"),
        {"la": HOME, "file": SimpleUploadedFile("bad.json", json.dumps(bad).encode())},
    )
    html = response.content.decode()
    assert response.status_code == 400
    assert "$[1].status" in html and "$[2]: &#39;name&#39; is a required property" in html
    assert Service.objects.count() == 1 and OrukOriginal.objects.count() == 0
    not_json = client.post(
        url("programme:directory_import"),
        {"la": HOME, "file": SimpleUploadedFile("x.json", b"{oops")},
    )
    assert "not valid JSON" in not_json.content.decode()
    # A file naming another council is refused.
    response = client.post(
        url("programme:directory_import"),
        {"la": HOME, "file": SimpleUploadedFile("doc.json", json.dumps(DOC).encode())},
    )
    assert (
        response.status_code == 400 and "belongs to council E06000002" in response.content.decode()
    )
    own = DOC[:2]
    response = client.post(
        url("programme:directory_import"),
        {"la": HOME, "file": SimpleUploadedFile("hartlepool.json", json.dumps(own).encode())},
    )
    assert response.status_code == 302
    exported = json.loads(client.get(url("programme:directory_export", la=HOME)).content)
    by_id = {s["id"]: s for s in exported}
    assert by_id[own[0]["id"]] == own[0] and by_id[own[1]["id"]] == own[1]


def test_oruk_api_lists_and_shows_services(client, store, users):
    client.force_login(users["lead"])
    client.post(
        url("programme:directory_import"),
        {"la": HOME, "file": SimpleUploadedFile("h.json", json.dumps(DOC[:2]).encode())},
    )
    client.logout()
    # The API's paths are fixed by Open Referral UK for every directory: spelled as it does.
    page = client.get("/api/oruk/services?per_page=2&page=1").json()
    assert page["total_items"] == 3 and page["total_pages"] == 2 and page["size"] == 2
    assert page["first_page"] and not page["last_page"] and not page["empty"]
    assert client.get("/api/oruk/services?search=telecare").json()["total_items"] == 2
    exercise = DOC[1]["attributes"][0]["taxonomy_term_id"]
    assert client.get(f"/api/oruk/services?taxonomy_term_id={exercise}").json()["total_items"] == 1
    telecare = term_uuid(SERVICE_TYPE_TAXONOMY, "telecare")
    assert client.get(f"/api/oruk/services?taxonomy_term_id={telecare}").json()["total_items"] == 1
    one = client.get(f"/api/oruk/services/{DOC[0]['id']}").json()
    assert one == DOC[0]
    assert client.get("/api/oruk/services/nope").status_code == 404
    assert client.get("/api/oruk/services?page=0").status_code == 400
    assert client.post("/api/oruk/services").status_code == 405


@pytest.mark.slow
@pytest.mark.django_db(transaction=True)
def test_evaluation_page_shows_a_verdict_on_synthetic_data(client, users):
    # transaction=True: the store's import_frame changes SQLite's cache size, which
    # SQLite refuses inside one long test transaction once several files are loaded.
    from careties.data.synth import generate
    from careties.web.store.services import IMPORT_ORDER

    data = generate("council", seed=0, programme_effect=-0.2)
    for kind in IMPORT_ORDER:
        if kind in data.frames:
            import_frame(kind=kind, frame=data.frames[kind], source=f"synthetic-{kind}")
    la_code = data.frames["local_authorities"]["la_code"][0]
    programme = data.truth["programme"]
    Programme.objects.create(
        la_code=la_code,
        start_date=dt.date.fromisoformat(programme["start_date"]),
        targeted_practices=programme["targeted_practices"],
    )
    admin = make_user("admin", Role.SYSTEM_ADMIN)
    client.force_login(admin)
    html = client.get(url("programme:evaluation", la=la_code)).content.decode()
    main = html[html.find("<main") : html.find("</main>")]
    assert "Care home admissions" in html and "Read this with care" in html, re.sub(
        r"\s+", " ", re.sub(r"<[^>]+>", " ", main)
    )[:1500]
    assert "95% CI" in html
