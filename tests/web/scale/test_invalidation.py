"""An import rebuilds the sections of the councils it touched, and no other council's."""

from __future__ import annotations

import datetime as dt

import pytest
from django.core.cache import cache
from django.test import override_settings
from tests.web import dashboard_data
from tests.web.factories import frame

from careties.web import selectors
from careties.web.disclosure import Policy
from careties.web.presenters import base
from careties.web.store.services import import_frame

pytestmark = pytest.mark.django_db

LOCMEM = {
    "default": {
        "BACKEND": "django.core.cache.backends.locmem.LocMemCache",
        "LOCATION": "h17-invalidation-test",
    }
}
ELSEWHERE = "E06000096"  # another region
NEIGHBOUR = "E06000097"  # the same region as the synthetic council


def _counting(monkeypatch, key: str) -> list[int]:
    calls: list[int] = []
    spec = base.REGISTRY[key]

    def counting(context):
        calls.append(1)
        return spec.presenter(context)

    monkeypatch.setitem(
        base.REGISTRY,
        key,
        base.SectionSpec(
            spec.key, spec.title, spec.page, counting, spec.periodic, spec.cacheable, spec.region
        ),
    )
    return calls


def _build(key: str, la_code: str) -> base.Section:
    context = base.Context(
        user=None, la_code=la_code, la_codes=[la_code], policy=Policy.unrestricted()
    )
    return base.build(key, context)


def _councils(la_code: str) -> None:
    region = selectors.load_frame("local_authorities", la_code)["region"][0]
    import_frame(
        kind="local_authorities",
        frame=frame(
            "local_authorities",
            [
                {"la_code": ELSEWHERE, "name": "Elsewhere", "region": f"Not {region}"},
                {"la_code": NEIGHBOUR, "name": "Neighbour", "region": region},
            ],
        ),
        source="more-councils.csv",
    )


def _events(la_code: str, source: str) -> None:
    rows = [
        {
            "event_reference": f"{la_code}-{i}",
            "person_key": f"{i:032x}",
            "age": 80,
            "la_code": la_code,
            "event_type": "service",
            "start_date": dt.date(2024, 5, 1) + dt.timedelta(days=i),
            "service_type": "long_term_residential",
            "route_of_access": "community",
        }
        for i in range(12)
    ]
    import_frame(kind="events", frame=frame("events", rows), source=source)


@override_settings(CACHES=LOCMEM)
def test_another_councils_import_leaves_this_councils_sections_cached(monkeypatch):
    cache.clear()
    facts = dashboard_data.load()
    la_code = facts["la_code"]
    _councils(la_code)
    spc = _counting(monkeypatch, "spc")
    ascof = _counting(monkeypatch, "ascof")
    _build("spc", la_code), _build("ascof", la_code)
    assert (len(spc), len(ascof)) == (1, 1)

    _events(ELSEWHERE, "elsewhere.csv")  # another region: nothing of this council changes
    _build("spc", la_code), _build("ascof", la_code)
    assert (len(spc), len(ascof)) == (1, 1)

    _events(NEIGHBOUR, "neighbour.csv")  # same region: only the section comparing with it
    _build("spc", la_code)
    _build("ascof", la_code)
    assert (len(spc), len(ascof)) == (1, 2)

    population = frame("population", [{"la_code": la_code, "year": 2030, "population_65_plus": 1}])
    import_frame(kind="population", frame=population, source="new-population.csv")  # this council
    _build("spc", la_code), _build("ascof", la_code)
    assert (len(spc), len(ascof)) == (2, 3)


@override_settings(CACHES=LOCMEM)
def test_contacts_invalidate_the_councils_at_both_ends(monkeypatch):
    cache.clear()
    facts = dashboard_data.load()
    la_code = facts["la_code"]
    _councils(la_code)
    import_frame(
        kind="professionals",
        frame=frame(
            "professionals",
            [
                {
                    "professional_id": "SWE",
                    "role": "social_worker",
                    "organisation": "E",
                    "la_code": ELSEWHERE,
                }
            ],
        ),
        source="elsewhere-staff.csv",
    )
    spc = _counting(monkeypatch, "spc")
    _build("spc", la_code)
    mine = selectors.load_frame("professionals", la_code)["professional_id"][0]
    contact = {
        "contact_reference": "BORDER1",
        "contact_date": dt.date(2024, 6, 1),
        "from_professional": "SWE",
        "to_professional": mine,
        "channel": "phone",
        "purpose": "referral",
        "minutes": 5,
    }
    import_frame(
        kind="contacts", frame=frame("contacts", [contact]), source="elsewhere-contacts.csv"
    )
    _build("spc", la_code)
    assert len(spc) == 2, "a contact reaching this council changes its pages"
