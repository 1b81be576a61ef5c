"""One council's referrals picture in one call: ASCOF 2C, practice rates and funnel, targets.

The CLI (``careties report referrals``, ``careties savings --council``) and the
web views need the same set of tables; computing them here keeps them equal.
The relationship inputs are optional: when the survey and network modules and
their data are there, the targeting list uses them; otherwise it says so.
"""

from __future__ import annotations

from dataclasses import dataclass, field

import polars as pl

from careties.errors import NotEnoughData
from careties.planning.targeting import TargetingList, targeting_list
from careties.referrals.admissions import new_admissions
from careties.referrals.ascof import ascof_2c
from careties.referrals.funnel import outside_998, practice_funnel
from careties.referrals.rates import outcome_events, outcome_mix, practice_rates
from careties.referrals.referrers import DEFAULT_SHARE, Referrers, highest_potential_referrers
from careties.relations.network.build import build_network
from careties.relations.network.influence import influence
from careties.relations.surveys.knowledge import practice_relationship_scores

#: Frames the picture reads; only ``events`` is required.
KINDS = (
    "events",
    "practices",
    "registered_patients",
    "population",
    "professionals",
    "services",
    "survey_responses",
    "contacts",
)


class CouncilDataError(NotEnoughData):
    """The council has no data to report on (a :class:`NotEnoughData`, shown as a message)."""


@dataclass(frozen=True)
class CouncilReferrals:
    """Every table of the referrals report for one council."""

    la_code: str
    ascof: pl.DataFrame
    rates: pl.DataFrame
    outcome_mix: pl.DataFrame
    funnel: pl.DataFrame
    outliers: pl.DataFrame
    referrers: Referrers
    targeting: TargetingList
    latest_period: str | None
    notes: tuple[str, ...] = field(default_factory=tuple)

    def tables(self) -> dict[str, pl.DataFrame]:
        """The full tables, by the name used for files and sheets."""
        return {
            "ascof": self.ascof,
            "practice_rates": self.rates,
            "outcome_mix": self.outcome_mix,
            "funnel": self.funnel,
            "gp_referrers": self.referrers.gps,
            "practice_referrers": self.referrers.practices,
            "targeting": self.targeting.frame,
        }


def _optional_relationships(
    frames: dict[str, pl.DataFrame], notes: list[str]
) -> pl.DataFrame | None:
    responses = frames.get("survey_responses")
    if responses is None or responses.is_empty():
        return None
    try:
        return practice_relationship_scores(responses)
    except NotEnoughData as error:
        notes.append(f"Relationship scores could not be computed ({error}); left out.")
        return None


def _optional_influence(frames: dict[str, pl.DataFrame], notes: list[str]) -> pl.DataFrame | None:
    contacts = frames.get("contacts")
    professionals = frames.get("professionals")
    if contacts is None or contacts.is_empty() or professionals is None:
        return None
    try:
        network = build_network(professionals, contacts, level="person")
        return influence(network)
    except NotEnoughData as error:
        notes.append(f"Network influence could not be computed ({error}); left out.")
        return None


def council_referrals(
    frames: dict[str, pl.DataFrame],
    la_code: str,
    *,
    share: float = DEFAULT_SHARE,
    relationships: bool = True,
) -> CouncilReferrals:
    """The council's ASCOF 2C, practice rates, funnel, referrers and targeting list.

    ``frames`` holds canonical frames by kind (``KINDS``; all but ``events`` may be
    missing); rows of other councils are ignored. ``relationships=False`` skips
    the survey and network inputs (faster; the targeting list says so).
    """

    def of_council(kind: str) -> pl.DataFrame | None:
        frame = frames.get(kind)
        if frame is None or frame.is_empty():
            return None
        return frame.filter(pl.col("la_code") == la_code) if "la_code" in frame.columns else frame

    events = of_council("events")
    if events is None or events.is_empty():
        raise CouncilDataError(f"there are no events for council {la_code}")
    practices = of_council("practices")
    registered = frames.get("registered_patients")
    if registered is not None and practices is not None:
        registered = registered.filter(
            pl.col("practice_code").is_in(practices["practice_code"].implode())
        )
    professionals = of_council("professionals")
    notes: list[str] = []

    admissions = new_admissions(events)
    ascof = ascof_2c(
        events,
        of_council("population"),
        registered_patients=registered,
        practices=practices,
        admissions=admissions,
        la_codes=[la_code],
    )
    outcomes = outcome_events(events, admissions=admissions)
    if registered is not None:
        rates = practice_rates(events, registered, practices, outcomes=outcomes)
        funnel = practice_funnel(rates)
        mix = outcome_mix(rates)
    else:
        notes.append("No registered patients: practice rates and the funnel plot cannot be drawn.")
        rates = funnel = mix = pl.DataFrame()
    latest = None if ascof.is_empty() else ascof["financial_year"].max()
    outliers = (
        outside_998(funnel.filter(pl.col("period") == latest)) if not funnel.is_empty() else funnel
    )
    referrers = highest_potential_referrers(
        events, professionals, registered, share=share, admissions=admissions
    )
    targeting = targeting_list(
        referrers,
        relationships=_optional_relationships(frames, notes) if relationships else None,
        influence=_optional_influence(frames, notes) if relationships else None,
        services=of_council("services"),
    )
    return CouncilReferrals(
        la_code=la_code,
        ascof=ascof,
        rates=rates,
        outcome_mix=mix,
        funnel=funnel,
        outliers=outliers,
        referrers=referrers,
        targeting=targeting,
        latest_period=latest,
        notes=tuple([*notes, *referrers.notes, *targeting.notes]),
    )
