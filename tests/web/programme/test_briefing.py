"""What to tell each practice: gaps from the GP survey matched with nearby services, and logging them."""

from __future__ import annotations

import datetime as dt
import html

import polars as pl
import pytest
from tests.web.paths import url

from careties.data.frames import CANONICAL
from careties.planning import briefing
from careties.planning.directory import frame_to_oruk
from careties.planning.oruk_common import oruk_id
from careties.relations.surveys.knowledge import knowledge_matrix
from careties.web.programme.models import (
    Activity,
    DiscussedItem,
    PostcodeCentroid,
    Programme,
    SignPost,
)
from careties.web.programme.services import import_directory
from careties.web.store.models import Contact
from careties.web.store.services import import_frame

from . import test_views
from .factories import frame
from .test_views import HOME

store, users = test_views.store, test_views.users


def _briefing() -> str:
    """The briefing page of the practice these tests visit, A81001."""
    return url("programme:practice_briefing", practice_code="A81001", la=HOME)


def _answers(practice: str, wave: str, knowledge: dict[str, list[str]]) -> list[dict]:
    rows = []
    n = len(next(iter(knowledge.values())))
    for i in range(n):
        for service, levels in knowledge.items():
            rows.append(
                {
                    "response_id": f"{practice}-{wave}-{i}",
                    "wave": wave,
                    "instrument": "gp",
                    "la_code": HOME,
                    "organisation": practice,
                    "respondent_id": None,
                    "question_id": f"knowledge_{service}",
                    "answer": levels[i],
                }
            )
    return rows


NOTHING, HEARD, WELL, USED = "know_nothing", "heard_of", "know_well", "have_referred"
RESPONSES = pl.DataFrame(
    _answers(
        "A81001",
        "2025-W1",
        {
            "telecare": [NOTHING, NOTHING, NOTHING, HEARD, WELL],
            "exercise_classes": [NOTHING, HEARD, WELL, WELL, USED],
            "reablement": [WELL, WELL, USED, USED, USED],
            "falls_prevention": [NOTHING, NOTHING, NOTHING, NOTHING, NOTHING],
        },
    )
    + _answers(
        "A81001",
        "2025-W2",
        {
            "telecare": [NOTHING, WELL, WELL, USED, WELL],
            "exercise_classes": [NOTHING, HEARD, HEARD, WELL, USED],
        },
    )
    + _answers("A81002", "2025-W1", {"telecare": [NOTHING, WELL]}),
    schema=CANONICAL["survey_responses"],
)
SERVICES = frame(
    "services",
    [
        {
            "service_id": "tc-near",
            "name": "Near Telecare",
            "service_type": "telecare",
            "description": "",
            "la_code": HOME,
            "quality_rating": 3,
            "status": "active",
        },
        {
            "service_id": "tc-far",
            "name": "Far Telecare",
            "service_type": "telecare",
            "description": "",
            "la_code": HOME,
            "quality_rating": 5,
            "status": "active",
        },
        {
            "service_id": "tc-gone",
            "name": "Gone Telecare",
            "service_type": "telecare",
            "description": "",
            "la_code": HOME,
            "quality_rating": 5,
            "status": "defunct",
        },
        {
            "service_id": "ex-1",
            "name": "Chair Exercise",
            "service_type": "exercise_classes",
            "description": "",
            "la_code": HOME,
            "quality_rating": 4,
            "status": "active",
        },
        {
            "service_id": "re-1",
            "name": "Reablement Team",
            "service_type": "reablement",
            "description": "",
            "la_code": HOME,
            "quality_rating": 4,
            "status": "active",
        },
    ],
)
LOCATIONS = {"tc-near": [(54.651, -1.23)], "tc-far": [(54.75, -1.23)], "ex-1": [(54.66, -1.23)]}


def _matrices(responses=RESPONSES):
    return (
        knowledge_matrix(responses, by=("wave", "organisation")),
        knowledge_matrix(responses, by=("wave",)),
    )


def test_gaps_come_from_the_practices_latest_wave_largest_first():
    matrix, council = _matrices()
    gaps, basis, wave = briefing.knowledge_gaps(matrix, council, "A81001")
    assert (basis, wave) == ("practice", "2025-W2")
    assert gaps["service"].to_list() == ["exercise_classes", "telecare"]
    assert gaps["share_without"].to_list() == pytest.approx([0.6, 0.2])


def test_a_practice_with_too_few_answers_gets_the_councils_gaps_not_its_own():
    matrix, council = _matrices()
    gaps, basis, wave = briefing.knowledge_gaps(matrix, council, "A81002")
    # A81002 has 2 GP answers (below 5): the council's 2025-W1 answers (7 for telecare) stand in
    assert (basis, wave) == ("council", "2025-W1")
    assert gaps.filter(pl.col("service") == "telecare")["share_without"][0] == pytest.approx(5 / 7)


def test_short_list_matches_gaps_with_the_nearest_active_services():
    matrix, council = _matrices()
    gaps, _, _ = briefing.knowledge_gaps(matrix, council, "A81001")
    items = briefing.what_to_tell(gaps, SERVICES, (54.65, -1.23), LOCATIONS, limit=5)
    assert [i["service_type"] for i in items] == ["exercise_classes", "telecare"]
    telecare = items[1]["services"]
    assert [s["name"] for s in telecare] == ["Near Telecare", "Far Telecare"]  # not the defunct one
    assert telecare[0]["miles"] == 0.1 and telecare[1]["miles"] == 6.9
    # unplaced practice: best rated first
    unplaced = briefing.what_to_tell(gaps, SERVICES, None, LOCATIONS)
    assert [s["name"] for s in unplaced[1]["services"]] == ["Far Telecare", "Near Telecare"]
    assert len(briefing.what_to_tell(gaps, SERVICES, None, LOCATIONS, limit=1)) == 1


def test_gap_trend_shows_waves_and_hides_small_cells():
    matrix, _ = _matrices()
    trend = briefing.gap_trend(matrix, "A81001")
    telecare = trend.filter(pl.col("service") == "telecare")
    assert telecare["wave"].to_list() == ["2025-W1", "2025-W2"]
    assert telecare["share_without"].to_list() == pytest.approx([0.8, 0.2])  # the gap closing
    assert briefing.gap_trend(matrix, "A81002")["share_without"].to_list() == [None]


def test_signposting_before_and_since_the_first_discussion():
    discussed = pl.DataFrame(
        {
            "service_type": ["telecare", "telecare"],
            "discussed_on": [dt.date(2025, 3, 1), dt.date(2025, 6, 1)],
        }
    )
    signposts = pl.DataFrame(
        {
            "service_id": ["tc-near", "tc-far", "tc-near", "ex-1"],
            "signposted_on": [
                dt.date(2025, 1, 5),
                dt.date(2025, 3, 1),
                dt.date(2025, 4, 2),
                dt.date(2025, 4, 2),
            ],
        }
    )
    out = briefing.discussed_then_signposted(discussed, signposts, SERVICES).row(0, named=True)
    assert out == {
        "service_type": "telecare",
        "first_discussed_on": dt.date(2025, 3, 1),
        "times_discussed": 2,
        "signposts_before": 1,
        "signposts_since": 2,
    }


@pytest.fixture
def surveyed(db, store):
    import_frame(kind="survey_responses", frame=RESPONSES, source="gp-survey.csv")
    # through Open Referral UK, with the services' locations
    documents = frame_to_oruk(SERVICES)
    for document, service_id in zip(documents, SERVICES["service_id"], strict=True):
        for lat, lon in LOCATIONS.get(service_id, []):
            document["service_at_locations"] = [
                {
                    "id": oruk_id(service_id, "sal"),
                    "location": {
                        "id": oruk_id(service_id, "location"),
                        "location_type": "physical",
                        "latitude": lat,
                        "longitude": lon,
                    },
                }
            ]
    import_directory(document=documents, filename="services.json", la_code=HOME, user=None)
    Programme.objects.create(
        la_code=HOME, start_date=dt.date(2025, 1, 1), targeted_practices=["A81002"]
    )
    # TS24 1AA is Hart Surgery's postcode (test_views' store)
    PostcodeCentroid.objects.create(postcode="TS241AA", latitude=54.65, longitude=-1.23, source="t")


def test_social_worker_sees_the_list_logs_two_items_and_sees_them_on_the_practice_page(
    client, surveyed, users
):
    client.force_login(users["social_worker"])
    listing = html.unescape(
        client.get(url("programme:practice_briefings", la=HOME)).content.decode()
    )
    assert listing.index("Bay Practice") < listing.index("Hart Surgery")  # targeted first
    page = client.get(_briefing())
    text = html.unescape(page.content.decode())
    assert page.status_code == 200 and "From this practice's GPs in survey wave 2025-W2" in text
    assert "Near Telecare</a>, 0.1 miles from the practice" in text
    response = client.post(
        _briefing(),
        {
            "la": HOME,
            "gp_professional_id": "GP0001",
            "activity_date-day": "2",
            "activity_date-month": "3",
            "activity_date-year": "2025",
            "minutes": "30",
            "discussed": ["telecare", "exercise_classes"],
        },
    )
    assert response.status_code == 302
    activity = Activity.objects.get()
    assert activity.practice_code == "A81001" and activity.kind == "contact_visit"
    assert sorted(DiscussedItem.objects.values_list("service_type", flat=True)) == [
        "exercise_classes",
        "telecare",
    ]
    assert Contact.objects.filter(contact_reference=activity.contact_reference).exists()
    SignPost.objects.create(
        la_code=HOME,
        practice_code="A81001",
        gp_professional_id="GP0001",
        service_id="tc-near",
        signposted_on=dt.date(2025, 4, 1),
    )
    after = html.unescape(client.get(_briefing()).content.decode())
    assert "discussed exercise classes, telecare" in after
    assert "2 March 2025" in after and "Gaps over survey waves" in after
    # one sign-post since: a small count, shown as * (careties.web.disclosure)
    discussed = after[after.index('id="discussed"') : after.index("Recent contacts")]
    assert discussed.count(">*</td>") == 1  # since: 1 (telecare); before: 0 is shown as 0


def test_logging_needs_an_item_and_the_right_role(client, surveyed, users):
    client.force_login(users["social_worker"])
    response = client.post(
        _briefing(),
        {
            "la": HOME,
            "gp_professional_id": "GP0001",
            "minutes": "30",
            "activity_date-day": "2",
            "activity_date-month": "3",
            "activity_date-year": "2025",
        },
    )
    assert response.status_code == 400 and "Select at least one item" in response.content.decode()
    assert not Activity.objects.exists()
    client.force_login(users["practice"])
    assert client.get(_briefing()).status_code == 403
    client.force_login(users["other_lead"])
    assert client.get(_briefing()).status_code in (403, 404)
