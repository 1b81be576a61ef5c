"""A council's savings unit costs: read with their sources, saved in one audited transaction.

The savings section (``careties.web.presenters.planning.savings``) and its
exports take their inputs from :func:`savings_inputs_for`, so a figure saved
here is what every page and download shows from then on; saving moves the
council's data version on, so cached sections are rebuilt.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from dataclasses import dataclass

from django.db import transaction

from careties.planning.savings import SavingsInputs
from careties.planning.unit_costs import BY_NAME, UNIT_COSTS, UnitCost, savings_inputs
from careties.web.scale.versions import bump
from careties.web.store.services import record_audit

from .models import SavingsUnitCost


@dataclass(frozen=True)
class CouncilCost:
    """One input as the council has it: its value, source and date, or careties' default."""

    cost: UnitCost
    value: float | None
    source: str
    url: str
    as_of: dt.date
    #: True until the council saves a figure of its own.
    is_default: bool
    updated_by: str = ""

    @property
    def shown(self) -> str:
        """The value with its unit ("£1,000 a week"); the scenario's rule when empty."""
        if self.value is None and self.cost.name == "community_weeks":
            return "as long as the stay"
        return self.cost.format(self.value)


@dataclass(frozen=True)
class Entry:
    """What a council lead typed for one input (value as the scenario takes it)."""

    value: float | None
    source: str
    url: str
    as_of: dt.date


def council_unit_costs(la_code: str) -> list[CouncilCost]:
    """Every input in :data:`UNIT_COSTS` order: the council's saved figure, else the default."""
    saved = {
        row.name: row
        for row in SavingsUnitCost.objects.filter(la_code=la_code).select_related("updated_by")
    }
    found = []
    for cost in UNIT_COSTS:
        row = saved.get(cost.name)
        if row is None:
            found.append(
                CouncilCost(cost, cost.default, cost.source, cost.url, cost.as_of, is_default=True)
            )
        else:
            found.append(
                CouncilCost(
                    cost,
                    row.value,
                    row.source,
                    row.source_url,
                    row.as_of,
                    is_default=False,
                    updated_by=getattr(row.updated_by, "username", ""),
                )
            )
    return found


def savings_inputs_for(la_code: str, **fixed: float | int) -> SavingsInputs:
    """The savings scenario's inputs for ``la_code``: its saved unit costs, defaults elsewhere."""
    values = {c.cost.name: c.value for c in council_unit_costs(la_code) if not c.is_default}
    return savings_inputs(values, **fixed)


def _same(entry: Entry, current: CouncilCost) -> bool:
    return (entry.value, entry.source, entry.url, entry.as_of) == (
        current.value,
        current.source,
        current.url,
        current.as_of,
    )


def save_unit_costs(*, la_code: str, entries: Mapping[str, Entry], user) -> list[str]:
    """Save what changed, in one transaction, with one audit entry; return the changes in words.

    An input left exactly at its default (value, source and date) is not
    stored, so the page keeps saying it is careties' default. The form has
    checked the values (``careties.planning.unit_costs.check_unit_cost``).
    """
    current = {c.cost.name: c for c in council_unit_costs(la_code)}
    changes: list[str] = []
    with transaction.atomic():
        for name, entry in entries.items():
            was = current[name]
            if _same(entry, was):
                continue
            SavingsUnitCost.objects.update_or_create(
                la_code=la_code,
                name=name,
                defaults={
                    "value": entry.value,
                    "source": entry.source,
                    "source_url": entry.url,
                    "as_of": entry.as_of,
                    "updated_by": user,
                },
            )
            cost = BY_NAME[name]
            changes.append(
                f"{cost.label}: {was.shown} -> "
                f"{CouncilCost(cost, entry.value, '', '', entry.as_of, False).shown} "
                f"(source: {entry.source[:120]}; {entry.as_of:%d %b %Y})"
            )
        if changes:
            bump([la_code])  # the cached savings section and its exports are rebuilt
            record_audit(
                action="change",
                what="savings unit costs",
                user=user,
                la_code=la_code,
                detail="; ".join(changes),
            )
    return changes
