"""The ORUK API and export, checked as a client would: against the profile's published schemas.

Schemas: OpenReferralUK/uk-profile 3.0, stored in careties.planning.oruk_schema
(SOURCE.md names the commit). Every endpoint's answer is validated with
jsonschema against the response schema the OpenAPI gives its path, formats
(uuid, uri, email, date-time) included; the export against compiled/service.json.
"""

from __future__ import annotations

import copy
import html
import json
import uuid
from pathlib import Path

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from tests.web.paths import url

from careties.planning import oruk_schema
from careties.planning.directory import frame_to_oruk, oruk_originals, oruk_to_frame
from careties.planning.oruk_common import NAMESPACE, service_uuid
from careties.web.store.models import Service

from . import test_views
from .test_views import DOC, HOME

store, users = test_views.store, test_views.users  # the programme tests' fixtures

pytestmark = pytest.mark.django_db

EXAMPLES = Path(__file__).parents[2] / "planning" / "data" / "oruk_examples"
#: The API's root. Open Referral UK fixes the paths under it, so they are spelled as it does.
API = "/api/oruk"
LISTS = ("/services", "/taxonomies", "/taxonomy_terms", "/service_at_locations")
DETAIL = {
    "/services": "/services/{id}",
    "/taxonomies": "/taxonomies/{id}",
    "/taxonomy_terms": "/taxonomy_terms/{id}",
    "/service_at_locations": "/service_at_locations/{id}",
}
OWN_ID = "5b3a8f7e-2c1d-4e6f-9a8b-7c6d5e4f3a21"
POSTCODES = (
    "pcd,pcd2,pcds,dointr,doterm,oslaua,lat,long\n"
    "TS248AY,TS24 8AY,TS24 8AY,198001,,E06000001,54.685600,-1.210800\n"
    "TS25 1AA,TS25 1AA,TS25 1AA,198001,,E06000001,54.650000,-1.230000\n"
    "TS1 1AA,TS1 1AA,TS1 1AA,198001,,E06000002,54.575000,-1.235000\n"
    "TS99 9ZZ,TS99 9ZZ,TS99 9ZZ,198001,202001,E06000001,54.600000,-1.200000\n"
)


def _example(name: str):
    return json.loads((EXAMPLES / name).read_text())


@pytest.fixture
def published(client, store, users):
    """The store with a careties-made service, a realistic import and the standard's example."""
    client.force_login(users["lead"])
    example = _example("service_full.json")
    own = copy.deepcopy(DOC[:2])
    own[0]["id"] = OWN_ID  # DOC[0] was written from the example and shares its id
    for sal, place in zip(own, ((54.6856, -1.2108), (54.6612, -1.2251)), strict=True):
        sal["service_at_locations"][0]["location"].update(latitude=place[0], longitude=place[1])
    for name, document in (("h.json", own), ("example.json", [example])):
        response = client.post(
            url("programme:directory_import"),
            {"la": HOME, "file": SimpleUploadedFile(name, json.dumps(document).encode())},
        )
        assert response.status_code == 302, response.content[:2000]
    client.logout()
    return client


def _get(client, path: str):
    response = client.get(API + path)
    assert response["Access-Control-Allow-Origin"] == "*", path
    return response


def test_every_endpoint_and_item_validates_against_the_published_schemas(published):
    violations: list[str] = []
    checked = 0
    root = _get(published, "/").json()
    violations += oruk_schema.response_problems(root, "/")
    for path in LISTS:
        page = _get(published, f"{path}?per_page=200").json()
        violations += oruk_schema.response_problems(page, path)
        assert page["total_items"] > 0, path
        for item in page["contents"]:
            detail = _get(published, f"{path}/{item['id']}")
            assert detail.status_code == 200, (path, item["id"])
            violations += oruk_schema.response_problems(detail.json(), DETAIL[path])
            checked += 1
    # /service_at_locations/{id}: the OpenAPI names compiled/service.json; the entity's
    # own schema is compiled/service_at_location.json. Both must pass.
    for item in _get(published, "/service_at_locations?per_page=200").json()["contents"]:
        detail = _get(published, f"/service_at_locations/{item['id']}").json()
        violations += oruk_schema.problems(detail, "service_at_location")
    assert violations == []
    assert checked >= 4 + 3 + 4  # services, taxonomies, terms at the least
    assert oruk_schema.unchecked_formats() == []


def test_every_id_is_a_uuid_and_stable(published):
    listed = _get(published, "/services?per_page=200").json()["contents"]
    ids = [s["id"] for s in listed]
    assert all(str(uuid.UUID(i)) == i for i in ids)
    own = service_uuid("svc-1")
    assert own == str(uuid.uuid5(NAMESPACE, "service/svc-1")) and own in ids
    # the council's reference beside the UUID, and the same ids on a second export
    svc = _get(published, f"/services/{own}").json()
    refs = [a for a in svc["attributes"] if a["link_type"] == "council_reference"]
    assert refs[0]["taxonomy_term"]["term"] == "svc-1"
    assert _get(published, "/services/svc-1").json() == svc
    assert [s["id"] for s in _get(published, "/services?per_page=200").json()["contents"]] == ids


def test_export_validates_and_reimports_with_the_same_ids(published, users):
    published.force_login(users["lead"])
    exported = json.loads(published.get(url("programme:directory_export", la=HOME)).content)
    problems = [
        p for i, s in enumerate(exported) for p in oruk_schema.problems(s, "service", f"$[{i}]")
    ]
    assert problems == [] and len(exported) == 4
    response = published.post(
        url("programme:directory_import"),
        {"la": HOME, "file": SimpleUploadedFile("again.json", json.dumps(exported).encode())},
    )
    assert response.status_code == 302
    again = json.loads(published.get(url("programme:directory_export", la=HOME)).content)
    assert sorted(s["id"] for s in again) == sorted(s["id"] for s in exported)
    assert again == exported


@pytest.mark.parametrize(
    "name", ["service_full.json", "service_list.json", "service_at_location_full.json"]
)
def test_the_standards_examples_validate_and_services_round_trip(name):
    document = _example(name)
    path = {
        "service_full.json": "/services/{id}",
        "service_list.json": "/services",
        "service_at_location_full.json": "/service_at_locations/{id}",
    }[name]
    if name == "service_at_location_full.json":
        # the OpenAPI's schema for this path is compiled/service.json, which the
        # standard's own example breaks (no name, status); careties answers both.
        assert oruk_schema.problems(document, "service_at_location") == []
        return
    assert oruk_schema.response_problems(document, path) == []
    services = document.get("contents", [document])
    frame = oruk_to_frame(services, default_la_code=HOME)
    assert frame_to_oruk(frame, oruk_originals(services)) == services


def test_taxonomy_examples_validate():
    assert oruk_schema.response_problems(_example("taxonomy.json"), "/taxonomies/{id}") == []
    assert oruk_schema.response_problems(_example("taxonomy_list.json"), "/taxonomies") == []
    assert (
        oruk_schema.response_problems(_example("taxonomy_term.json"), "/taxonomy_terms/{id}") == []
    )
    assert (
        oruk_schema.response_problems(_example("taxonomy_term_list.json"), "/taxonomy_terms") == []
    )


def test_schema_validation_catches_what_the_issue_found():
    bad = {"id": "E06000099-SVC-015", "name": "x", "status": "open"}
    problems = oruk_schema.problems(bad, "service")
    assert "$.id: 'E06000099-SVC-015' is not a 'uuid'" in problems
    assert any(p.startswith("$.status: 'open' is not one of") for p in problems)


def test_root_points_at_the_openapi_json(published):
    root = _get(published, "/").json()
    assert root["version"] == "3.0" and root["openapi_url"].endswith("/api/oruk/openapi.json")
    spec = published.get(root["openapi_url"]).json()
    assert spec["openapi"].startswith("3.") and "/service_at_locations" in spec["paths"]


def _total(client, query: str, path: str = "/services") -> int:
    response = _get(client, f"{path}?{query}")
    assert response.status_code == 200, response.content
    return response.json()["total_items"]


def test_every_filter_is_honoured(published):
    everything = _total(published, "per_page=200")
    assert everything == 4
    telecare = service_uuid("svc-1")
    term = next(
        a["taxonomy_term_id"]
        for a in _get(published, f"/services/{telecare}").json()["attributes"]
        if a["link_type"] == "service_type"
    )
    taxonomy = _get(published, f"/taxonomy_terms/{term}").json()["taxonomy_id"]
    assert _total(published, f"taxonomy_term_id={term}") == 1
    assert _total(published, f"taxonomy_term_id={DOC[0]['attributes'][0]['taxonomy_term_id']}") == 1
    assert _total(published, f"taxonomy_id={taxonomy}") == 1
    assert _total(published, "taxonomy_id=careties:quality_rating") == 2
    # ages: DOC[0] is 18+, the standard's example 12 to 100
    assert _total(published, "minimum_age=18") == 1
    assert _total(published, "minimum_age=12") == 2
    assert _total(published, "maximum_age=100") == 1
    # schedules: DOC[0] is open Monday to Friday 09:00 to 17:00
    assert _total(published, "day=MO") == 1 and _total(published, "day=Monday") == 1
    assert _total(published, "day=MO&start_time=09:00&end_time=17:00") == 1
    assert _total(published, "day=MO&start_time=10:00") == 0
    assert _total(published, "day=TH&start_time=10:00") == 1  # the example, Thu/Fri 10 to 18
    assert _total(published, "day=TH&end_time=17:30") == 1  # DOC's, 09 to 17
    assert _total(published, "search=telecare") == 2


@pytest.mark.parametrize(
    "query,words",
    [
        ("minimum_age=old", "minimum_age must be a number"),
        ("day=Funday", "day must be MO"),
        ("start_time=9am", "start_time must be a time"),
        ("page=0", "page must be a whole number"),
        ("proximity=1000", "proximity needs a postcode"),
        ("modified_after=2024-01-01", "modified_after is not a filter of /services"),
        ("postcode=TS24 8AY", "postcode is not a filter of /services"),
    ],
)
def test_a_filter_careties_cannot_honour_is_refused_with_a_reason(published, query, words):
    response = _get(published, f"/services?{query}")
    assert response.status_code == 400 and words in response.json()["message"]


def test_search_by_postcode_and_proximity_nearest_first(published, users):
    # without a postcode file: resolved from the store's own locations (TS24 8AY is DOC[0]'s)
    near = _get(published, "/service_at_locations?postcode=ts248ay&proximity=500").json()
    assert near["total_items"] >= 1 and near["contents"][0]["distance"] == 0
    published.force_login(users["lead"])
    response = published.post(
        url("programme:postcodes_load"),
        {"la": HOME, "file": SimpleUploadedFile("onspd.csv", POSTCODES.encode())},
    )
    assert response.status_code == 302, response.content[:1500]
    published.logout()
    found = _get(published, "/service_at_locations?postcode=TS25 1AA&per_page=200").json()
    distances = [i["distance"] for i in found["contents"] if "distance" in i]
    assert distances == sorted(distances) and len(distances) >= 2
    within = _get(
        published, f"/service_at_locations?postcode=TS25 1AA&proximity={distances[0] + 1}"
    )
    assert within.json()["total_items"] == distances.count(distances[0])
    # TS1 1AA is in E06000002: the services whose area is E06000001 are left out
    elsewhere = _get(published, "/service_at_locations?postcode=TS1 1AA&per_page=200").json()
    names = {i["service"]["name"] for i in elsewhere["contents"]}
    # kept: those whose areas name no ONS council (the standard's example, DOC[1])
    assert names == {"Community Counselling", "Strength and Balance Classes"}
    unknown = _get(published, "/service_at_locations?postcode=TS99 9ZZ&proximity=100")
    assert unknown.status_code == 400 and "postcode" in unknown.json()["message"]


def test_cors_on_errors_and_preflight(published):
    assert _get(published, "/services/nope").status_code == 404
    assert _get(published, "/no_such_path").status_code == 404
    options = published.options(API + "/services")
    assert options.status_code == 204 and options["Access-Control-Allow-Origin"] == "*"
    assert published.post(API + "/services")["Access-Control-Allow-Origin"] == "*"


def test_an_import_that_breaks_the_schema_is_refused_whole(client, store, users):
    client.force_login(users["lead"])
    bad = copy.deepcopy(DOC)
    bad[0]["id"] = "not-a-uuid"
    response = client.post(
        url("programme:directory_import"),
        {"la": HOME, "file": SimpleUploadedFile("bad.json", json.dumps(bad).encode())},
    )
    assert response.status_code == 400
    assert "$[0].id: 'not-a-uuid' is not a 'uuid'" in html.unescape(response.content.decode())
    assert Service.objects.count() == 1


def test_directory_page_searches_by_postcode_and_distance(published, users):
    published.force_login(users["practice"])
    page = published.get(
        url("programme:directory", la=HOME, query={"postcode": "ts24 8ay", "within_miles": "2"})
    )
    text = html.unescape(page.content.decode())
    assert page.status_code == 200
    assert "2 service(s) found in Hartlepool, nearest to TS24 8AY first, within 2 miles" in text
    # TS24 8AY to the classes' location (54.6612, -1.2251): 2.88 km, 1.8 miles
    assert text.index("0.0 miles away") < text.index("1.8 miles away")
    assert text.index("Hartlepool Telecare") < text.index("Strength and Balance")
    nearer = published.get(
        url("programme:directory", la=HOME, query={"postcode": "TS24 8AY", "within_miles": "1"})
    )
    assert "Strength and Balance" not in nearer.content.decode()
    assert "within 1 mile<" in nearer.content.decode()
    unknown = published.get(url("programme:directory", la=HOME, query={"postcode": "ZZ1 1ZZ"}))
    assert "is not in the council&#39;s postcode file" in unknown.content.decode()
    bad = published.get(url("programme:directory", la=HOME, query={"within_miles": "2"}))
    assert "Enter the postcode to measure the distance from" in bad.content.decode()


def test_a_service_made_in_careties_is_placed_from_the_postcode_file(published, users):
    published.force_login(users["lead"])
    missing = published.post(
        url("programme:service_location", service_id="svc-1", la=HOME),
        {"la": HOME, "name": "Bay Hub", "postcode": "TS25 1AA"},
    )
    assert missing.status_code == 400 and "not in the council" in html.unescape(
        missing.content.decode()
    )
    published.post(
        url("programme:postcodes_load"),
        {"la": HOME, "file": SimpleUploadedFile("onspd.csv", POSTCODES.encode())},
    )
    placed = published.post(
        url("programme:service_location", service_id="svc-1", la=HOME),
        {"la": HOME, "name": "Bay Hub", "postcode": "ts25 1aa"},
    )
    assert placed.status_code == 302
    published.logout()
    own = _get(published, f"/services/{service_uuid('svc-1')}").json()
    assert oruk_schema.problems(own, "service") == []
    location = own["service_at_locations"][0]["location"]
    assert (location["name"], location["latitude"], location["longitude"]) == (
        "Bay Hub",
        54.65,
        -1.23,
    )
    near = _get(published, "/service_at_locations?postcode=TS25 1AA&proximity=10").json()
    assert [i["service"]["name"] for i in near["contents"]] == ["Telecare"]
    sal = _get(published, f"/service_at_locations/{near['contents'][0]['id']}").json()
    assert oruk_schema.response_problems(sal, "/service_at_locations/{id}") == []
    published.force_login(users["practice"])
    refused = published.get(url("programme:service_location", service_id="svc-1", la=HOME))
    assert refused.status_code == 403
