"""Did the programme work? Targeted against other practices, before against after.

Method: difference in differences (:func:`careties.stats.difference_in_differences`,
two-way fixed effects with standard errors clustered by practice, and its
pre-trend check) on a practice x quarter panel:

* **admissions**: new permanent admissions of people 65+ to residential and
  nursing care, counted by the ASCOF 2C rule (:mod:`careties.referrals.admissions`,
  through :func:`careties.referrals.rates.practice_rates`), per 1,000 registered
  patients aged 65+ in the quarter;
* **relationship health**: contacts between the practice's GPs and social care
  staff in the quarter, per GP (the contact layer of the professional network;
  survey-based relational coordination has too few waves for a pre-trend check).

The effect is reported in the outcome's units and, because programmes are
planned as "a 20% reduction", relative to the counterfactual: what targeted
practices' mean would have been after the start without the programme
(their observed post-start mean minus the effect). The relative interval divides
the absolute interval by that counterfactual, treating it as fixed, which
slightly understates the uncertainty; the absolute interval is the one tested.

Quarters are calendar quarters. A quarter that the programme start falls inside
is dropped (neither before nor after). Pure functions: frames in, dataclasses out.
"""

from __future__ import annotations

import datetime as dt
import math
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field, replace

import polars as pl

from careties.errors import NotEnoughData
from careties.planning.evaluation_panels import (
    admissions_panel,
    relationship_panel,
)
from careties.stats import evaluation as did_method
from careties.stats._validate import StatsInputError

__all__ = [
    "ProgrammeEvaluation",
    "admissions_panel",
    "evaluate",
    "evaluate_programme",
    "relationship_panel",
]

SIGNIFICANCE = 0.05
#: Below this many practices, clustered standard errors are unreliable (Cameron & Miller 2015).
FEW_CLUSTERS = 20


@dataclass(frozen=True)
class ProgrammeEvaluation:
    """One outcome's difference in differences, with a verdict a council can read."""

    outcome: str
    label: str
    units: str
    lower_is_better: bool
    effect: float | None = None
    ci_low: float | None = None
    ci_high: float | None = None
    p_value: float | None = None
    pre_trend_p_value: float | None = None
    counterfactual: float | None = None
    relative_effect: float | None = None
    relative_ci_low: float | None = None
    relative_ci_high: float | None = None
    n_targeted: int = 0
    n_comparison: int = 0
    quarters_before: int = 0
    quarters_after: int = 0
    verdict: str = ""
    caveats: list[str] = field(default_factory=list)
    error: str | None = None

    @property
    def significant(self) -> bool:
        return self.p_value is not None and self.p_value < SIGNIFICANCE


def _percent(x: float) -> str:
    return f"{abs(100 * x):.0f}%"


def _verdict(result: ProgrammeEvaluation) -> str:
    if result.relative_effect is None:
        return ""
    went = "fell" if result.effect < 0 else "rose"
    interval = (
        f"95% confidence interval {100 * result.relative_ci_low:+.0f}% to "
        f"{100 * result.relative_ci_high:+.0f}%"
    )
    if result.significant:
        good = (result.effect < 0) == result.lower_is_better
        return (
            f"After the programme started, {result.label.lower()} in targeted practices {went} by "
            f"about {_percent(result.relative_effect)} compared with what the other practices "
            f"suggest would have happened ({interval}). "
            + (
                "This is the change the programme hoped for."
                if good
                else "This is the opposite of the change the programme hoped for."
            )
        )
    return (
        f"There is no clear evidence yet that the programme changed {result.label.lower()}: "
        f"the estimate is {100 * result.relative_effect:+.0f}% ({interval}), and an interval "
        "that includes zero is compatible with no change."
    )


def _caveats(result: ProgrammeEvaluation) -> list[str]:
    notes = [
        "Practices were chosen for the programme, not at random: if they were chosen because "
        "their admissions were unusually high, some fall would have happened anyway "
        "(regression to the mean)."
    ]
    if result.pre_trend_p_value is None or math.isnan(result.pre_trend_p_value):
        notes.append(
            "Trends before the programme could not be checked (fewer than two quarters before it)."
        )
    elif result.pre_trend_p_value < SIGNIFICANCE:
        notes.append(
            "Targeted and other practices were already moving apart before the programme "
            f"(pre-trend p = {result.pre_trend_p_value:.2f}), so the estimate is probably biased."
        )
    else:
        notes.append(
            "Before the programme, targeted and other practices moved in parallel "
            f"(pre-trend p = {result.pre_trend_p_value:.2f}), as the method assumes."
        )
    if result.n_targeted + result.n_comparison < FEW_CLUSTERS:
        notes.append(
            f"Only {result.n_targeted + result.n_comparison} practices: the interval may be too narrow."
        )
    if result.quarters_after < 4:
        notes.append(
            f"Only {result.quarters_after} quarter(s) since the start: effects on admissions take time."
        )
    return notes


def _too_few_practices(counts: dict[str, int]) -> str:
    """Why a comparison of one or no practices on a side is not an evaluation, in words."""
    return (
        "Not enough practices to evaluate: comparing before and after needs at least 2 "
        f"targeted and 2 comparison practices with data; there are {counts['n_targeted']} "
        f"targeted and {counts['n_comparison']} comparison."
    )


def evaluate(
    panel: pl.DataFrame, outcome: str, label: str, units: str, *, lower_is_better: bool
) -> ProgrammeEvaluation:
    """Difference in differences of ``outcome`` on a marked panel, with verdict and caveats.

    Never raises for want of data: a panel the method cannot use returns an
    evaluation whose ``error`` says why, for the dashboard to show.
    """
    base = {"outcome": outcome, "label": label, "units": units, "lower_is_better": lower_is_better}
    if panel.height == 0:
        return ProgrammeEvaluation(**base, error="No data to evaluate yet.")
    per_unit = panel.group_by("practice_code").agg(pl.col("treated").first())
    n_targeted = int(per_unit["treated"].sum())
    counts = {
        "n_targeted": n_targeted,
        "n_comparison": per_unit.height - n_targeted,
        "quarters_before": panel.filter(pl.col("post") == 0)["quarter"].n_unique(),
        "quarters_after": panel.filter(pl.col("post") == 1)["quarter"].n_unique(),
    }
    if n_targeted < 2 or counts["n_comparison"] < 2:
        return ProgrammeEvaluation(**base, **counts, error=_too_few_practices(counts))
    try:
        did = did_method.difference_in_differences(
            panel,
            outcome=outcome,
            treated="treated",
            post="post",
            unit="practice_code",
            time="quarter",
        )
    except NotEnoughData as error:  # e.g. no quarters on one side of the start
        return ProgrammeEvaluation(**base, **counts, error=f"Not enough data to evaluate: {error}.")
    except StatsInputError as error:
        return ProgrammeEvaluation(**base, **counts, error=f"Cannot evaluate: {error}.")
    treated_post = panel.filter((pl.col("treated") == 1) & (pl.col("post") == 1))[outcome].mean()
    counterfactual = float(treated_post) - did.effect
    relative = {}
    if counterfactual > 0:
        relative = {
            "relative_effect": did.effect / counterfactual,
            "relative_ci_low": did.ci_low / counterfactual,
            "relative_ci_high": did.ci_high / counterfactual,
        }
    result = ProgrammeEvaluation(
        **base,
        **counts,
        **relative,
        effect=did.effect,
        ci_low=did.ci_low,
        ci_high=did.ci_high,
        p_value=did.p_value,
        pre_trend_p_value=did.pre_trend_p_value,
        counterfactual=counterfactual,
    )
    return _with_text(result)


def _with_text(result: ProgrammeEvaluation) -> ProgrammeEvaluation:
    return replace(result, verdict=_verdict(result), caveats=_caveats(result))


@dataclass(frozen=True)
class _Outcome:
    """One outcome the programme is judged on: what it is called, and the panel it comes from."""

    outcome: str
    label: str
    units: str
    lower_is_better: bool
    #: The frame without which there is nothing to evaluate, and what to say then.
    needs: str
    missing: str
    #: The frame the outcome is counted per (patients, professionals).
    per: str
    #: Builds the practice x quarter panel from (needs, per, practices, targeted, start).
    panel: Callable[[pl.DataFrame, pl.DataFrame, pl.DataFrame, list[str], dt.date], pl.DataFrame]


_OUTCOMES = (
    _Outcome(
        "admission_rate",
        "Care home admissions",
        "per 1,000 patients 65+ a quarter",
        True,
        "events",
        "No care events are loaded, so admissions cannot be evaluated.",
        "registered_patients",
        admissions_panel,
    ),
    _Outcome(
        "contacts_per_gp",
        "GP contact with social care",
        "contacts per GP a quarter",
        False,
        "contacts",
        "No contacts are loaded, so relationship health cannot be evaluated.",
        "professionals",
        relationship_panel,
    ),
)


def evaluate_programme(
    frames: dict[str, pl.DataFrame], targeted: Iterable[str], start: dt.date
) -> list[ProgrammeEvaluation]:
    """Admissions and relationship health for one programme, from canonical frames.

    ``frames`` needs ``events``, ``registered_patients``, ``practices``, and for
    relationship health ``contacts`` and ``professionals``. An outcome whose
    data are not loaded comes back with its ``error`` said in words.
    """
    targeted = list(targeted)
    results = []
    for spec in _OUTCOMES:
        named = {"outcome": spec.outcome, "label": spec.label, "units": spec.units}
        source = frames.get(spec.needs)
        if source is None or source.height == 0:
            results.append(
                ProgrammeEvaluation(
                    **named, lower_is_better=spec.lower_is_better, error=spec.missing
                )
            )
        else:
            panel = spec.panel(source, frames[spec.per], frames["practices"], targeted, start)
            results.append(evaluate(panel, **named, lower_is_better=spec.lower_is_better))
    return results
