"""Warm after import: rebuild a council's sections in the background (django-tasks).

An import moves the council's data version on, so its cached sections are
stale; without this, the first person to open a page after a load waits for
every section of it. The import enqueues one task per council it touched, after
it commits; a worker (``manage.py db_worker``, or the immediate backend in
tests) builds the council pages' sections as the council's own staff see them
(small numbers shown, practices named), the view most pages are opened with.
"""

from __future__ import annotations

import logging
from collections.abc import Iterable

from django.db import transaction
from django_tasks import task

log = logging.getLogger(__name__)

#: The council pages warmed (a practice page's sections are per practice: built on first view).
WARMED_PAGES = ("overview", "targeting", "relationships", "surveys")


@task()
def warm_council(la_code: str) -> int:
    """Build and cache every cacheable section of the council's pages; returns how many."""
    # Deferred: presenters, page_parts and the store's services import this module while
    # they load; its models need apps ready and its builders import them back (a cycle).
    from careties.web.disclosure import Policy, Rule
    from careties.web.presenters import PAGES, REGISTRY, Context, build

    from . import freshness

    # The council's aggregates for the regional view first (its survey counts and
    # its practices' linkage inputs), so no regional reader pays for them.
    for area in freshness.AREAS:
        try:
            freshness.refresh(area, la_code)
        except Exception:  # noqa: BLE001 - the council's own sections still warm
            log.exception("refreshing the %s aggregates of %s failed", area, la_code)
    policy = Policy(
        suppress_small_numbers=False, anonymise_practices=False, rule=Rule.from_settings()
    )
    context = Context(user=None, la_code=la_code, la_codes=[la_code], policy=policy)
    built = 0
    for page in WARMED_PAGES:
        for key in PAGES.get(page, ()):
            spec = REGISTRY.get(key)
            if spec is None or not spec.cacheable:
                continue
            try:
                build(key, context)
            except Exception:  # noqa: BLE001 - one section's failure must not stop the rest
                log.exception("warming section %s of %s failed", key, la_code)
                continue
            built += 1
    return built


@task()
def fit_regional_linkage(la_codes: list[str]) -> int:
    """Fit the relationship-admissions models across these councils and keep them.

    Too long for a request when the councils are many (see
    ``careties.web.dashboard.builders.regional.INLINE_COUNCILS``); the regional
    view shows the models once this has kept them. Returns the models' rows.
    """
    # Deferred: presenters, page_parts and the store's services import this module while
    # they load; its models need apps ready and its builders import them back (a cycle).
    from careties.web.dashboard.builders import regional
    from careties.web.presenters import Context

    context = Context(user=None, la_code=None, la_codes=list(la_codes), policy=None)
    return regional.linkage_models(context, inline=True).height


def enqueue_after_commit(councils: Iterable[str]) -> None:
    """Queue a warm-up per council once the import's transaction commits."""
    codes = sorted(set(councils))

    def enqueue() -> None:
        for la_code in codes:
            try:
                warm_council.enqueue(la_code)
            except Exception:  # noqa: BLE001 - a missing queue must not fail an import
                log.exception("could not queue the warm-up of %s", la_code)

    transaction.on_commit(enqueue)
