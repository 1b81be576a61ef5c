"""After an import commits, the council's sections are rebuilt before anyone asks."""

from __future__ import annotations

import pytest
from django.core.cache import cache
from django.test import override_settings
from tests.web import dashboard_data
from tests.web.factories import frame

from careties.web.disclosure import Policy, Rule
from careties.web.presenters import base
from careties.web.store.services import import_frame

pytestmark = pytest.mark.django_db

LOCMEM = {
    "default": {
        "BACKEND": "django.core.cache.backends.locmem.LocMemCache",
        "LOCATION": "h17-warm-test",
    }
}
IMMEDIATE = {"default": {"BACKEND": "django_tasks.backends.immediate.ImmediateBackend"}}


@override_settings(CACHES=LOCMEM, TASKS=IMMEDIATE)
def test_an_import_warms_the_councils_sections(monkeypatch, django_capture_on_commit_callbacks):
    cache.clear()
    facts = dashboard_data.load()
    la_code = facts["la_code"]
    calls: list[str] = []
    spec = base.REGISTRY["spc"]

    def counting(context):
        calls.append(context.la_code)
        return spec.presenter(context)

    monkeypatch.setitem(
        base.REGISTRY,
        "spc",
        base.SectionSpec(spec.key, spec.title, spec.page, counting, spec.periodic),
    )
    population = frame("population", [{"la_code": la_code, "year": 2030, "population_65_plus": 1}])
    with django_capture_on_commit_callbacks(execute=True):
        import_frame(kind="population", frame=population, source="warm-population.csv")
    assert calls == [la_code], "the import queued the council's warm-up, which built the section"

    lead = Policy(
        suppress_small_numbers=False, anonymise_practices=False, rule=Rule.from_settings()
    )
    context = base.Context(user=None, la_code=la_code, la_codes=[la_code], policy=lead)
    shown = base.build("spc", context)
    assert calls == [la_code], "the first view after the import found it built"
    assert shown.available
