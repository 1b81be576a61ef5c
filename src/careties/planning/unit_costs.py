"""The savings scenario's unit costs: what each is, its default, its source and its sensible range.

A council lead replaces the defaults with the council's own figures (its
Adult Social Care Finance Return has its weekly costs) and says where each
comes from; this module holds what is true of every council: the meaning and
unit of each input of :class:`careties.planning.savings.SavingsInputs` that a
council sets, the default with its source, and the range outside which a
figure is a typing error rather than a local price (a weekly care home cost of
£12 or of £120,000).

Where no published national figure could be checked, the default says so
(``published=False``) and points to where the council's own figure is found.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from dataclasses import dataclass

from careties.planning.savings import SavingsInputError, SavingsInputs

ASC_FR = (
    "Adult Social Care Activity and Finance Report, England (NHS England, from the "
    "councils' ASC-FR returns)"
)
ASC_FR_URL = (
    "https://www.gov.uk/government/statistics/"
    "adult-social-care-activity-and-finance-report-england-2022-23"
)
ASC_FR_DATE = dt.date(2023, 12, 7)
#: The scenario's own defaults: one set of numbers, here and in the command line.
_DEFAULT = SavingsInputs()


@dataclass(frozen=True)
class UnitCost:
    """One input a council sets, with the default careties uses until it does."""

    #: The field of :class:`SavingsInputs` it sets.
    name: str
    label: str
    #: Said after the number: "£ a week", "weeks", "%", "people a year".
    unit: str
    low: float
    high: float
    source: str
    url: str
    as_of: dt.date
    #: False when the default is careties' illustrative figure, not a published one.
    published: bool
    #: Shown and typed as a percentage, kept as a share (0 to 1).
    percent: bool = False
    hint: str = ""

    @property
    def default(self) -> float | None:
        """The scenario's own default (:class:`SavingsInputs`), so there is one set of numbers.

        ``None``: optional, left to the scenario's own rule (``community_weeks``: the stay).
        """
        return getattr(_DEFAULT, self.name)

    @property
    def phrase(self) -> str:
        """The label inside a sentence: its first letter lower case ("the average length ...")."""
        return self.label[:1].lower() + self.label[1:]

    def shown(self, value: float | None) -> float | None:
        """The value as a person types and reads it (a share as a percentage)."""
        if value is None:
            return None
        return value * 100.0 if self.percent else value

    def format(self, value: float | None) -> str:
        """The value with its unit, as a page says it: "£1,000 a week", "35%", "104 weeks"."""
        if value is None:
            return "not set"
        shown = self.shown(value)
        if self.unit == "£ a week":
            return f"£{shown:,.0f} a week"
        if self.percent:
            return f"{shown:g}%"
        return f"{shown:,.4g} {self.unit}"

    def kept(self, typed: float | None) -> float | None:
        """The typed value as the scenario takes it (a percentage as a share)."""
        if typed is None:
            return None
        return typed / 100.0 if self.percent else typed


def _from_asc_fr(
    name: str, label: str, unit: str, low: float, high: float, what: str, hint: str, **more
) -> UnitCost:
    """An input whose default is illustrative and whose real value is in the council's ASC-FR."""
    return UnitCost(
        name,
        label,
        unit,
        low,
        high,
        f"careties' illustrative round figure, not a published one: put in the council's own "
        f"{what} from its ASC-FR return ({ASC_FR})",
        ASC_FR_URL,
        ASC_FR_DATE,
        published=False,
        hint=hint,
        **more,
    )


UNIT_COSTS: tuple[UnitCost, ...] = (
    _from_asc_fr(
        "residential_weekly_cost_gbp",
        "Weekly cost of a residential care home",
        "£ a week",
        200.0,
        5_000.0,
        "gross weekly cost of long-term residential care for people aged 65+",
        "What the council pays for one older person's week in a residential care home.",
    ),
    _from_asc_fr(
        "nursing_weekly_cost_gbp",
        "Weekly cost of a nursing home",
        "£ a week",
        200.0,
        6_000.0,
        "gross weekly cost of long-term nursing care for people aged 65+",
        "What the council pays for one older person's week in a nursing home.",
    ),
    _from_asc_fr(
        "nursing_share",
        "Share of admissions to nursing homes",
        "%",
        0.0,
        1.0,
        "split of people aged 65+ in long-term care between residential and nursing",
        "A percentage from 0 to 100; the rest are residential.",
        percent=True,
    ),
    UnitCost(
        "length_of_stay_weeks",
        "Average length of a care home stay",
        "weeks",
        4.0,
        520.0,
        "Forder and Fernández (2011), Length of stay in care homes, PSSRU Discussion Paper "
        "2769: mean stay 801 days (114 weeks), median 462 days (66 weeks); Steventon and "
        "Roberts (2012), BMC Health Services Research 12:377: median permanent residential "
        "stay 17.9 months (78 weeks). careties takes two years, within that range.",
        "https://eprints.lse.ac.uk/33895/",
        dt.date(2011, 1, 1),
        published=True,
        hint="In weeks: two years is 104. Each person kept out avoids one whole stay.",
    ),
    _from_asc_fr(
        "community_weekly_cost_gbp",
        "Weekly cost of support at home instead",
        "£ a week",
        0.0,
        3_000.0,
        "weekly cost of home care (hours a week x cost an hour) for people aged 65+",
        "What the council pays a week for the home care and other support that replaces "
        "the care home.",
    ),
    UnitCost(
        "community_weeks",
        "Weeks of support at home",
        "weeks",
        0.0,
        520.0,
        "careties' assumption: support at home lasts as long as the stay it replaces.",
        "",
        dt.date(2025, 1, 1),
        published=False,
        hint="Leave empty for as long as the care home stay.",
    ),
    UnitCost(
        "admissions_avoided_per_gp",
        "Admissions avoided per targeted GP a year",
        "people a year",
        0.0,
        20.0,
        "Home Truths (iMPOWER, Community Care, 2014): each targeted GP need influence 'fewer "
        "than 8' older people a year for the national case; careties' default is a cautious "
        "2, a quarter of that.",
        "",
        dt.date(2014, 1, 1),
        published=True,
        hint="How many fewer older people a year each targeted GP's patients go into care homes.",
    ),
)

BY_NAME: dict[str, UnitCost] = {cost.name: cost for cost in UNIT_COSTS}


def check_unit_cost(name: str, value: float | None) -> None:
    """Raise :class:`SavingsInputError`, worded for a council lead, when ``value`` is implausible.

    ``value`` as the scenario takes it (a share, not a percentage). The ranges
    are wide on purpose: they catch a mistyped figure, not a dear or cheap council.
    """
    cost = BY_NAME[name]
    if value is None:
        if cost.default is None:
            return
        raise SavingsInputError(f"Enter the {cost.phrase}")
    if value != value or not cost.low <= value <= cost.high:  # value != value: NaN
        raise SavingsInputError(
            f"{cost.label} must be between {cost.format(cost.low)} and {cost.format(cost.high)}"
        )


def savings_inputs(values: Mapping[str, float | None], **fixed: float | int) -> SavingsInputs:
    """The scenario's inputs: the council's ``values`` where set, the defaults elsewhere.

    ``fixed`` are the inputs that come from the council's data rather than from
    a price list (``gps_per_council``, ``councils``). Each value is checked
    with :func:`check_unit_cost` first.
    """
    chosen: dict[str, float | int | None] = {}
    for cost in UNIT_COSTS:
        value = values.get(cost.name, cost.default)
        check_unit_cost(cost.name, value)
        chosen[cost.name] = value
    chosen.update(fixed)
    return SavingsInputs(**chosen).validate()  # type: ignore[arg-type]
