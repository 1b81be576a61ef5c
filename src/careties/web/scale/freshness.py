"""Per-council aggregates that are never stale: each carries the data version it was made from.

An area's aggregates of a council (its survey counts, its practices' linkage
inputs) are stamped with the council's data version
(:func:`careties.web.scale.versions.council_versions`). Before the regional view
reads them, the councils whose version has moved on since (an import, a survey
answered in the browser) are recomputed, one council at a time from that
council's rows only; the others are read as stored. Imports and the warm-up
after an import recompute them ahead of the first reader.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable

from django.db import transaction

#: Area name -> the function that recomputes and stores one council's aggregates,
#: returning the facts the pooled figures need (what the council has loaded).
AREAS = ("surveys", "linkage")


def _refresher(area: str) -> Callable[[str], dict]:
    # Imported here: the linkage inputs need the dashboard builders, which need
    # Django's apps ready (this module is imported by the scale app's import hook).
    if area == "surveys":
        # Deferred: presenters, page_parts and the store's services import this module while
        # they load; its models need apps ready and its builders import them back (a cycle).
        from .survey_counts import refresh

        return refresh
    if area == "linkage":
        from .linkage_inputs import refresh

        return refresh
    raise KeyError(f"No stored aggregates are called {area!r}; use one of {AREAS}.")


def fresh(area: str, la_codes: Iterable[str]) -> dict[str, dict]:
    """Make these councils' aggregates of ``area`` current; returns each council's facts."""
    # Deferred: presenters, page_parts and the store's services import this module while
    # they load; its models need apps ready and its builders import them back (a cycle).
    from .models import AggregateStamp
    from .versions import CHUNK, council_versions

    codes = sorted(set(la_codes))
    current = council_versions(codes)
    stamps: dict[str, tuple[str, dict]] = {}
    for start in range(0, len(codes), CHUNK):
        stamps.update(
            (code, (version, facts))
            for code, version, facts in AggregateStamp.objects.filter(
                area=area, la_code__in=codes[start : start + CHUNK]
            ).values_list("la_code", "version", "facts")
        )
    facts: dict[str, dict] = {}
    for code in codes:
        version, known = stamps.get(code, ("", {}))
        facts[code] = known if version == current[code] else refresh(area, code)
    return facts


def refresh(area: str, la_code: str, *, force: bool = False) -> dict:
    """Recompute one council's aggregates of ``area`` unless they are current; its facts.

    The stamp row is locked while the rows are replaced (``select_for_update``
    on PostgreSQL; SQLite writes one at a time anyway), so two workers opening
    the regional view at once do not both write the council's rows.
    """
    # Deferred: presenters, page_parts and the store's services import this module while
    # they load; its models need apps ready and its builders import them back (a cycle).
    from .models import AggregateStamp
    from .versions import council_versions

    with transaction.atomic():
        AggregateStamp.objects.get_or_create(la_code=la_code, area=area)
        stamp = AggregateStamp.objects.select_for_update().get(la_code=la_code, area=area)
        version = council_versions([la_code])[la_code]
        if stamp.version == version and not force:
            return stamp.facts
        stamp.facts = _refresher(area)(la_code)
        stamp.version = version
        stamp.save(update_fields=["facts", "version"])
    return stamp.facts
