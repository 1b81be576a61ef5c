"""Anonymous surveys: codes of the wave's council only, throttled, purged, capped per link."""

from __future__ import annotations

import datetime as dt

import pytest
from django.utils import timezone
from tests.web.factories import frame
from tests.web.paths import url

from careties.relations.surveys import load_instrument
from careties.web import survey_guard
from careties.web.store.services import import_frame
from careties.web.surveys import importing, services
from careties.web.surveys.forms import LinkForm
from careties.web.surveys.models import ColumnMapping, Draft

from .helpers import complete_answers, make_link, make_wave

pytestmark = pytest.mark.django_db
HOME, OTHER = "E06000001", "E06000002"


@pytest.fixture
def practices():
    rows = [
        {"practice_code": "A81001", "name": "Ours", "postcode": "", "la_code": HOME, "status": "A"},
        {
            "practice_code": "B82001",
            "name": "Theirs",
            "postcode": "",
            "la_code": OTHER,
            "status": "A",
        },
    ]
    import_frame(kind="practices", frame=frame("practices", rows), source="practices.csv")
    staff = [
        {"professional_id": f"GP{i}", "role": "gp", "organisation": "A81001", "la_code": HOME}
        for i in range(2)
    ]
    import_frame(
        kind="professionals", frame=frame("professionals", staff), source="professionals.csv"
    )


@pytest.fixture(autouse=True)
def fresh_throttle():
    survey_guard._fallback.clear()
    yield
    survey_guard._fallback.clear()


def test_links_for_another_councils_practice_are_refused(practices):
    wave = make_wave("gp", la_code=HOME)
    form = LinkForm(
        {"organisations": "A81001\nB82001", "single_use": "0", "copies": "1"}, wave=wave
    )
    assert not form.is_valid()
    assert "B82001: not in E06000001" in str(form.errors["organisations"])
    ours = LinkForm({"organisations": "A81001", "single_use": "0", "copies": "1"}, wave=wave)
    ours.is_valid()
    assert "organisations" not in ours.errors


def test_a_survey_csv_naming_another_councils_practice_stores_nothing(practices):
    gp = load_instrument("gp")
    required = [q for q in gp.questions if q.required]
    mapping = ColumnMapping.objects.create(
        la_code=HOME,
        name="GP",
        instrument="gp",
        columns={"Practice": ColumnMapping.ORGANISATION_COLUMN} | {q.id: q.id for q in required},
    )
    wave = make_wave("gp", la_code=HOME)
    header = ["Practice", *[q.id for q in required]]
    rows = [[code, *[q.options[0][0] for q in required]] for code in ("A81001", "B82001")]
    data = "\n".join(",".join(r) for r in [header, *rows]).encode()
    with pytest.raises(importing.ImportRefused) as refused:
        importing.import_csv(wave=wave, mapping=mapping, data=data, filename="gp.csv", user=None)
    assert [(e.row, e.reason) for e in refused.value.errors] == [
        (2, "B82001 is not a practice or team of E06000001")
    ]


def test_a_shared_link_takes_no_more_answers_than_its_people(practices):
    link = make_link(make_wave("gp", la_code=HOME), organisation="A81001", single_use=False)
    assert survey_guard.shared_link_cap(link) == 2  # two GPs of A81001 are loaded
    for _ in range(2):
        services.submit(link=link, answers=complete_answers("gp"))
    with pytest.raises(services.LinkRefused) as refused:
        services.submit(link=link, answers=complete_answers("gp"))
    assert refused.value.reason == "full"
    link.refresh_from_db()
    assert link.submissions == 2


def test_saves_and_submissions_are_rate_limited_per_link_and_client(client, settings, practices):
    settings.CARETIES_SURVEY_LIMITS = {"per_client": (5, 600), "per_link": (8, 3600)}
    link = make_link(make_wave("gp", la_code=HOME), organisation="A81001")
    section = url("surveys:section", token=link.token, number=1)
    codes = [client.post(section, {"action": "save"}).status_code for _ in range(7)]
    assert codes[:5] != [429] * 5 and codes[5:] == [429, 429]
    other = [
        client.post(section, {"action": "save"}, REMOTE_ADDR="10.0.0.9").status_code
        for _ in range(2)
    ]
    assert 429 not in other[:1]  # another client is not locked out by the first
    start = url("surveys:start", token=link.token)
    assert client.get(start).status_code == 200  # reading is not limited
    many = [
        client.post(section, {"action": "save"}, REMOTE_ADDR=f"10.0.1.{i}").status_code
        for i in range(3)
    ]
    assert many[-1] == 429  # the link as a whole is limited too


def test_abandoned_drafts_are_purged_by_the_server_itself(client, practices):
    link = make_link(make_wave("gp", la_code=HOME), organisation="A81001")
    old = Draft.objects.create(resume_code="OLDDRAFT1", link=link, answers={})
    Draft.objects.filter(pk=old.pk).update(updated_at=timezone.now() - dt.timedelta(days=61))
    fresh = Draft.objects.create(resume_code="NEWDRAFT1", link=link, answers={})
    # Any survey request runs the hourly purge when due.
    client.get(url("surveys:start", token=link.token))
    assert not Draft.objects.filter(pk=old.pk).exists()
    assert Draft.objects.filter(pk=fresh.pk).exists()
    again = Draft.objects.create(resume_code="OLDDRAFT2", link=link, answers={})
    Draft.objects.filter(pk=again.pk).update(updated_at=timezone.now() - dt.timedelta(days=61))
    client.get(url("surveys:start", token=link.token))
    assert Draft.objects.filter(pk=again.pk).exists()  # not again within the hour
