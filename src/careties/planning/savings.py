"""The savings scenario: what keeping people out of residential care is worth, with its uncertainty.

The arithmetic, for one council and for ``councils`` of them::

    GPs targeted per council   = GPs per council x share targeted
    GPs targeted               = councils x GPs targeted per council
    people kept out per year   = GPs targeted x admissions avoided per targeted GP per year
    care home weekly cost      = (1 - nursing share) x residential + nursing share x nursing
    gross saving per person    = care home weekly cost x average length of stay (weeks)
    alternative per person     = community alternative weekly cost x weeks of alternative
    net saving per person      = gross saving per person - alternative per person
    net saving per person-year = net saving per person / (length of stay / 52)
    net annual saving          = people kept out per year x net saving per person

"Net saving per person" is per stay: a whole avoided stay, however many years
it lasts; "per person-year" is the same saving per year of care avoided, the
unit of a source that states a yearly figure (Home Truths' £10,067).
"Net annual saving" counts the whole avoided stay of each year's cohort: it is
the saving per year once the programme has run for longer than an average stay
(the steady state), undiscounted. ``first_year_saving_gbp`` is what falls in the
programme's first year, when people are kept out evenly through the year and so
avoid on average less of their stay within it.

Where a source states the net saving per person but not the unit costs (the
Home Truths national case), ``net_saving_per_person_gbp`` is given directly and
the cost inputs are not used.

Uncertainty (Monte Carlo and tornado) is :mod:`careties.planning.uncertainty`.
"""

from __future__ import annotations

import dataclasses
import math
from dataclasses import dataclass

import numpy as np

OUTPUT_KEYS = (
    "councils",
    "gps_per_council",
    "share_targeted",
    "gps_targeted_per_council",
    "gps_targeted",
    "people_per_year",
    "people_per_year_per_council",
    "people_per_gp",
    "net_saving_per_person_gbp",
    "net_saving_per_person_per_year_gbp",
    "net_saving_gbp",
    "net_saving_per_council_gbp",
    "first_year_saving_gbp",
)

#: Inputs that only matter when the net saving per person is derived from costs.
COST_INPUTS = (
    "residential_weekly_cost_gbp",
    "nursing_weekly_cost_gbp",
    "nursing_share",
    "length_of_stay_weeks",
    "community_weekly_cost_gbp",
    "community_weeks",
)

#: The inputs that can be uncertain (drawn in the Monte Carlo, moved in the tornado).
UNCERTAIN_INPUTS = (
    "admissions_avoided_per_gp",
    *COST_INPUTS,
    "gps_per_council",
    "share_targeted",
    "net_saving_per_person_gbp",
)

WEEKS_PER_YEAR = 52.0


class SavingsInputError(ValueError):
    """An input to the savings scenario is impossible (negative cost, share above 1, ...)."""


@dataclass(frozen=True)
class SavingsInputs:
    """Everything the savings arithmetic needs; see the module docstring for how it combines.

    Costs are in pounds per person per week. The defaults are illustrative round
    numbers, not published figures: a council should put in its own (its
    ASC-FR return has its unit costs).
    """

    admissions_avoided_per_gp: float = 2.0
    residential_weekly_cost_gbp: float = 1_000.0
    nursing_weekly_cost_gbp: float = 1_200.0
    nursing_share: float = 0.35
    length_of_stay_weeks: float = 104.0
    community_weekly_cost_gbp: float = 350.0
    #: Weeks of community support instead of the stay; ``None``: as long as the stay.
    community_weeks: float | None = None
    councils: int = 1
    gps_per_council: float = 200.0
    share_targeted: float = 0.25
    #: Stated directly by a source instead of derived from the costs.
    net_saving_per_person_gbp: float | None = None

    def validate(self) -> SavingsInputs:
        """Raise :class:`SavingsInputError` for an impossible input; return self."""
        for name in (
            "admissions_avoided_per_gp",
            "residential_weekly_cost_gbp",
            "nursing_weekly_cost_gbp",
            "length_of_stay_weeks",
            "community_weekly_cost_gbp",
            "gps_per_council",
        ):
            if getattr(self, name) < 0:
                raise SavingsInputError(f"{name.replace('_', ' ')} cannot be negative")
        if self.community_weeks is not None and self.community_weeks < 0:
            raise SavingsInputError("community weeks cannot be negative")
        if not 0.0 <= self.nursing_share <= 1.0:
            raise SavingsInputError("the nursing share must be between 0 and 1")
        if not 0.0 < self.share_targeted <= 1.0:
            raise SavingsInputError("the share of GPs targeted must be above 0 and at most 1")
        if self.councils < 1:
            raise SavingsInputError("there must be at least one council")
        return self

    def replace(self, **changes: float | None) -> SavingsInputs:
        """A copy with some inputs changed."""
        return dataclasses.replace(self, **changes)  # type: ignore[arg-type]


@dataclass(frozen=True)
class SavingsOutcome:
    """The scenario's outputs, for one council (``..._per_council``) and for all ``councils``."""

    councils: int
    gps_per_council: float
    share_targeted: float
    gps_targeted_per_council: float
    gps_targeted: float
    people_per_year: float
    people_per_year_per_council: float
    people_per_gp: float
    #: A whole avoided stay when built from costs; as stated otherwise.
    net_saving_per_person_gbp: float
    #: The same per year of care avoided (per stay / stay in years); ``None`` when stated.
    net_saving_per_person_per_year_gbp: float | None
    net_saving_gbp: float
    net_saving_per_council_gbp: float
    #: ``None`` when the saving per person is stated rather than built from costs and stay.
    first_year_saving_gbp: float | None

    def as_dict(self) -> dict[str, float | int | None]:
        """Plain numbers, keyed by ``OUTPUT_KEYS``, for JSON (``None``, never NaN)."""
        return {key: getattr(self, key) for key in OUTPUT_KEYS}


def compute_outputs(values: dict[str, object]) -> dict[str, np.ndarray | float]:
    """The arithmetic on scalars or arrays (one element per Monte Carlo draw)."""
    councils = values["councils"]
    gps_per_council = np.asarray(values["gps_per_council"], dtype=float)
    share = np.asarray(values["share_targeted"], dtype=float)
    per_gp = np.asarray(values["admissions_avoided_per_gp"], dtype=float)
    stay = np.asarray(values["length_of_stay_weeks"], dtype=float)
    targeted_per_council = gps_per_council * share
    targeted = targeted_per_council * councils
    people = targeted * per_gp
    stated = values.get("net_saving_per_person_gbp")
    if stated is not None:
        net_per_person = np.asarray(stated, dtype=float)
        weekly_net = net_per_person / np.where(stay > 0, stay, np.nan)
    else:
        nursing_share = np.asarray(values["nursing_share"], dtype=float)
        care_home_weekly = (1.0 - nursing_share) * np.asarray(
            values["residential_weekly_cost_gbp"], dtype=float
        ) + nursing_share * np.asarray(values["nursing_weekly_cost_gbp"], dtype=float)
        community_weeks = values.get("community_weeks")
        weeks_alternative = (
            stay if community_weeks is None else np.asarray(community_weeks, dtype=float)
        )
        net_per_person = (
            care_home_weekly * stay
            - np.asarray(values["community_weekly_cost_gbp"], dtype=float) * weeks_alternative
        )
        weekly_net = net_per_person / np.where(stay > 0, stay, np.nan)
    net = people * net_per_person
    # Avoidance spread evenly over the year: a person kept out at week t avoids
    # min(stay, 52 - t) weeks within the year; the mean of that over t is below.
    in_year_weeks = np.where(
        stay <= WEEKS_PER_YEAR, stay - stay**2 / (2 * WEEKS_PER_YEAR), WEEKS_PER_YEAR / 2
    )
    # A stated saving per person comes without a length of stay to spread it over.
    first_year = (
        people * np.nan
        if stated is not None
        else people * np.nan_to_num(weekly_net) * in_year_weeks
    )
    return {
        "councils": councils,
        "gps_per_council": gps_per_council,
        "share_targeted": share,
        "gps_targeted_per_council": targeted_per_council,
        "gps_targeted": targeted,
        "people_per_year": people,
        "people_per_year_per_council": people / councils,
        "people_per_gp": per_gp,
        "net_saving_per_person_gbp": net_per_person,
        # Per year of care avoided; a stated figure says nothing of the stay it covers.
        "net_saving_per_person_per_year_gbp": (
            people * np.nan if stated is not None else weekly_net * WEEKS_PER_YEAR
        ),
        "net_saving_gbp": net,
        "net_saving_per_council_gbp": net / councils,
        "first_year_saving_gbp": first_year,
    }


def savings_scenario(inputs: SavingsInputs) -> SavingsOutcome:
    """The deterministic case: every input at its central value."""
    inputs.validate()
    result = compute_outputs(dataclasses.asdict(inputs))
    values: dict[str, float | int | None] = {}
    for key, value in result.items():
        number = float(value)  # type: ignore[arg-type]
        values[key] = int(number) if key == "councils" else (None if math.isnan(number) else number)
    return SavingsOutcome(**values)  # type: ignore[arg-type]
