"""Built sections are reused across requests until the data change, per policy."""

from __future__ import annotations

import pytest
from django.core.cache import cache
from django.test import override_settings
from tests.web import dashboard_data
from tests.web.factories import frame

from careties.web.disclosure import Policy
from careties.web.presenters import base
from careties.web.store.services import import_frame

pytestmark = pytest.mark.django_db

LOCMEM = {
    "default": {
        "BACKEND": "django.core.cache.backends.locmem.LocMemCache",
        "LOCATION": "section-cache-test",
    }
}


def _context(facts: dict, policy: Policy) -> base.Context:
    return base.Context(
        user=None, la_code=facts["la_code"], la_codes=[facts["la_code"]], policy=policy
    )


@override_settings(CACHES=LOCMEM)
def test_a_section_is_computed_once_until_new_data_arrive(monkeypatch):
    cache.clear()
    facts = dashboard_data.load()
    calls = []
    spec = base.REGISTRY["ascof"]
    original = spec.presenter

    def counting(context):
        calls.append(1)
        return original(context)

    monkeypatch.setitem(
        base.REGISTRY,
        "ascof",
        base.SectionSpec(spec.key, spec.title, spec.page, counting, spec.periodic),
    )
    first = base.build("ascof", _context(facts, Policy.unrestricted()))
    again = base.build("ascof", _context(facts, Policy.unrestricted()))
    assert len(calls) == 1
    assert again.table.rows == first.table.rows
    import_frame(
        kind="population",
        frame=frame(
            "population", [{"la_code": facts["la_code"], "year": 2030, "population_65_plus": 1}]
        ),
        source="new-population.csv",
    )
    base.build("ascof", _context(facts, Policy.unrestricted()))
    assert len(calls) == 2, "an import must invalidate the cached section"


@override_settings(CACHES=LOCMEM)
def test_suppressed_and_full_views_never_share_a_cache_entry():
    cache.clear()
    facts = dashboard_data.load()
    full = base.build("funnel", _context(facts, Policy.unrestricted()))
    suppressing = Policy(suppress_small_numbers=True, anonymise_practices=True)
    shown = base.build("funnel", _context(facts, suppressing))
    assert full.table.rows != shown.table.rows
    assert (
        base.build("funnel", _context(facts, Policy.unrestricted())).table.rows == full.table.rows
    )


def _rendered(facts: dict, policy: Policy) -> str:
    from careties.web.dashboard.fragments import section_html

    built = base.build("funnel", _context(facts, policy))
    built.extras["links"] = {key: f"/funnel.{key}" for key in ("partial", "csv", "xlsx", "json")}
    return str(section_html(built))


@override_settings(CACHES=LOCMEM)
def test_rendered_html_follows_the_section_it_renders():
    cache.clear()
    facts = dashboard_data.load()
    full = _rendered(facts, Policy.unrestricted())
    shown = _rendered(facts, Policy(suppress_small_numbers=True, anonymise_practices=True))
    assert full != shown
    assert facts["practice"] in full and facts["practice"] not in shown
    assert _rendered(facts, Policy.unrestricted()) == full
