"""The savings scenario: what keeping people out of residential care is worth, with its uncertainty.

The arithmetic, for one council and for ``councils`` of them::

    GPs targeted per council   = GPs per council x share targeted
    GPs targeted               = councils x GPs targeted per council
    people kept out per year   = GPs targeted x admissions avoided per targeted GP per year
    care home weekly cost      = (1 - nursing share) x residential + nursing share x nursing
    gross saving per person    = care home weekly cost x average length of stay (weeks)
    alternative per person     = community alternative weekly cost x weeks of alternative
    net saving per person      = gross saving per person - alternative per person
    net annual saving          = people kept out per year x net saving per person

"Net annual saving" counts the whole avoided stay of each year's cohort: it is
the saving per year once the programme has run for longer than an average stay
(the steady state), undiscounted. ``first_year_saving_gbp`` is what falls in the
programme's first year, when people are kept out evenly through the year and so
avoid on average less of their stay within it.

Where a source states the net saving per person but not the unit costs (the
Home Truths national case), ``net_saving_per_person_gbp`` is given directly and
the cost inputs are not used.

Uncertainty: :func:`monte_carlo` draws every uncertain input from its
distribution (NumPy ``default_rng(seed)``, so a seed gives the same answer) and
reports P5, P50 and P95 of each output; :func:`tornado` moves one input at a
time between its low and high values, the others held at their central values.
"""

from __future__ import annotations

import dataclasses
import math
from dataclasses import dataclass, field
from typing import Literal

import numpy as np
import polars as pl

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
    "net_saving_gbp",
    "net_saving_per_council_gbp",
    "first_year_saving_gbp",
)

#: Inputs that only matter when the net saving per person is derived from costs.
_COST_INPUTS = (
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
    *_COST_INPUTS,
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
    net_saving_per_person_gbp: float
    net_saving_gbp: float
    net_saving_per_council_gbp: float
    #: ``None`` when the saving per person is stated rather than built from costs and stay.
    first_year_saving_gbp: float | None

    def as_dict(self) -> dict[str, float | int | None]:
        """Plain numbers, keyed by ``OUTPUT_KEYS``, for JSON (``None``, never NaN)."""
        return {key: getattr(self, key) for key in OUTPUT_KEYS}


def _compute(values: dict[str, object]) -> dict[str, np.ndarray | float]:
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
        "net_saving_gbp": net,
        "net_saving_per_council_gbp": net / councils,
        "first_year_saving_gbp": first_year,
    }


def savings_scenario(inputs: SavingsInputs) -> SavingsOutcome:
    """The deterministic case: every input at its central value."""
    inputs.validate()
    result = _compute(dataclasses.asdict(inputs))
    values: dict[str, float | int | None] = {}
    for key, value in result.items():
        number = float(value)  # type: ignore[arg-type]
        values[key] = int(number) if key == "councils" else (None if math.isnan(number) else number)
    return SavingsOutcome(**values)  # type: ignore[arg-type]


# --- Uncertainty -----------------------------------------------------------------------------

DistributionKind = Literal["normal", "triangular", "uniform", "lognormal"]


@dataclass(frozen=True)
class Distribution:
    """An uncertain input.

    ``normal``: ``a`` mean, ``b`` standard deviation (draws below 0 are set to 0:
    no input here can be negative). ``triangular``: ``a`` low, ``b`` mode, ``c``
    high. ``uniform``: ``a`` low, ``b`` high. ``lognormal``: ``a`` median, ``b``
    the standard deviation of the log (right-skewed, for costs with a long tail).
    """

    kind: DistributionKind
    a: float
    b: float
    c: float | None = None

    def draw(self, rng: np.random.Generator, size: int) -> np.ndarray:
        """``size`` draws from the distribution."""
        if self.kind == "normal":
            return np.clip(rng.normal(self.a, self.b, size), 0.0, None)
        if self.kind == "triangular":
            if self.c is None:
                raise SavingsInputError("a triangular distribution needs low, mode and high")
            return rng.triangular(self.a, self.b, self.c, size)
        if self.kind == "uniform":
            return rng.uniform(self.a, self.b, size)
        if self.kind == "lognormal":
            return rng.lognormal(math.log(self.a), self.b, size)
        raise SavingsInputError(f"unknown distribution {self.kind!r}")

    def central(self) -> float:
        """The central value (mean, mode or median) used by the deterministic case."""
        if self.kind == "uniform":
            return (self.a + self.b) / 2
        return self.b if self.kind == "triangular" else self.a

    def interval(self, low: float = 0.05, high: float = 0.95) -> tuple[float, float]:
        """The ``low`` and ``high`` quantiles, for the tornado's ends."""
        from scipy import stats

        if self.kind == "normal":
            dist = stats.norm(self.a, self.b)
        elif self.kind == "uniform":
            dist = stats.uniform(self.a, self.b - self.a)
        elif self.kind == "lognormal":
            dist = stats.lognorm(self.b, scale=self.a)
        else:
            assert self.c is not None
            width = self.c - self.a
            dist = stats.triang((self.b - self.a) / width if width else 0.5, self.a, width)
        lo, hi = dist.ppf([low, high])
        return max(0.0, float(lo)), float(hi)


def relative_uncertainty(
    inputs: SavingsInputs, spread: dict[str, float] | None = None
) -> dict[str, Distribution]:
    """Symmetric normal distributions around the inputs: ``sd = spread x value``.

    The default spreads (standard deviation as a share of the value) are
    judgements, not estimates: 25% for admissions avoided per GP (the least
    known input), 20% for length of stay, 10% for unit costs.
    """
    spread = spread or {
        "admissions_avoided_per_gp": 0.25,
        "length_of_stay_weeks": 0.20,
        "residential_weekly_cost_gbp": 0.10,
        "nursing_weekly_cost_gbp": 0.10,
        "community_weekly_cost_gbp": 0.10,
        "net_saving_per_person_gbp": 0.20,
    }
    result = {}
    for name, share in spread.items():
        value = getattr(inputs, name)
        if value is not None and share > 0:
            result[name] = Distribution("normal", float(value), float(value) * share)
    return result


@dataclass(frozen=True)
class MonteCarloResult:
    """P5, P50 and P95 of each output (``summary``), and the draws behind them (``draws``)."""

    summary: pl.DataFrame
    draws: pl.DataFrame
    n: int
    seed: int
    uncertain: tuple[str, ...] = field(default_factory=tuple)

    def percentile(self, output: str, p: int) -> float:
        """One figure, e.g. ``percentile("net_saving_gbp", 50)``."""
        row = self.summary.filter(pl.col("output") == output).row(0, named=True)
        return float(row[f"p{p}"])


def monte_carlo(
    inputs: SavingsInputs,
    distributions: dict[str, Distribution] | None = None,
    *,
    n: int = 10_000,
    seed: int = 0,
) -> MonteCarloResult:
    """Monte Carlo over the uncertain inputs: P5, P50, P95 of every output.

    ``distributions`` maps names in ``UNCERTAIN_INPUTS`` to a :class:`Distribution`
    (default :func:`relative_uncertainty`); other inputs stay fixed. Inputs are
    drawn independently, in sorted name order, from ``numpy.random.default_rng(seed)``,
    so the same seed gives the same figures.
    """
    inputs.validate()
    if distributions is None:
        distributions = relative_uncertainty(inputs)
    unknown = set(distributions) - set(UNCERTAIN_INPUTS)
    if unknown:
        raise SavingsInputError(f"cannot vary {', '.join(sorted(unknown))}")
    if "net_saving_per_person_gbp" in distributions and inputs.net_saving_per_person_gbp is None:
        distributions = {k: v for k, v in distributions.items() if k != "net_saving_per_person_gbp"}
    rng = np.random.default_rng(seed)
    values: dict[str, object] = dataclasses.asdict(inputs)
    for name in sorted(distributions):
        values[name] = distributions[name].draw(rng, n)
    if isinstance(values.get("share_targeted"), np.ndarray):
        values["share_targeted"] = np.clip(values["share_targeted"], 0.0, 1.0)
    if isinstance(values.get("nursing_share"), np.ndarray):
        values["nursing_share"] = np.clip(values["nursing_share"], 0.0, 1.0)
    result = _compute(values)
    outputs = [k for k in OUTPUT_KEYS if k != "councils"]
    draws = pl.DataFrame(
        {k: np.broadcast_to(np.asarray(result[k], dtype=float), (n,)) for k in outputs}
    )
    # An output the case cannot give (first-year saving without a stay) stays out.
    outputs = [k for k in outputs if not draws[k].is_nan().all()]
    summary = pl.DataFrame(
        {
            "output": outputs,
            "p5": [float(np.nanpercentile(draws[k].to_numpy(), 5)) for k in outputs],
            "p50": [float(np.nanpercentile(draws[k].to_numpy(), 50)) for k in outputs],
            "p95": [float(np.nanpercentile(draws[k].to_numpy(), 95)) for k in outputs],
            "mean": [float(np.nanmean(draws[k].to_numpy())) for k in outputs],
        }
    )
    return MonteCarloResult(
        summary=summary, draws=draws, n=n, seed=seed, uncertain=tuple(sorted(distributions))
    )


def tornado(
    inputs: SavingsInputs,
    ranges: dict[str, tuple[float, float]] | None = None,
    *,
    output: str = "net_saving_gbp",
    distributions: dict[str, Distribution] | None = None,
    relative_swing: float = 0.2,
) -> pl.DataFrame:
    """One-way sensitivity: the output with each input at its low and high end, the rest central.

    Ends come from ``ranges`` if given, else the P5 and P95 of ``distributions``
    (default :func:`relative_uncertainty`), else +/- ``relative_swing``.
    Returns ``input``, ``low_value``, ``high_value``, ``output_at_low``,
    ``output_at_high``, ``base`` and ``swing`` (|high - low| of the output),
    largest swing first: the top of the tornado is where better evidence would
    most change the case.
    """
    inputs.validate()
    base = getattr(savings_scenario(inputs), output)
    if ranges is None:
        distributions = distributions if distributions is not None else relative_uncertainty(inputs)
        ranges = {name: dist.interval() for name, dist in distributions.items()}
        for name in UNCERTAIN_INPUTS:
            value = getattr(inputs, name)
            if name not in ranges and value is not None and name != "share_targeted":
                ranges[name] = (value * (1 - relative_swing), value * (1 + relative_swing))
    if inputs.net_saving_per_person_gbp is not None:
        # A stated saving per person replaces the costs: moving them changes nothing.
        ranges = {k: v for k, v in ranges.items() if k not in _COST_INPUTS}
    rows = []
    for name, (low, high) in ranges.items():
        if getattr(inputs, name) is None:
            continue
        if name in ("nursing_share", "share_targeted"):
            low, high = max(low, 1e-9 if name == "share_targeted" else 0.0), min(high, 1.0)
        at_low = getattr(savings_scenario(inputs.replace(**{name: low})), output)
        at_high = getattr(savings_scenario(inputs.replace(**{name: high})), output)
        rows.append(
            {
                "input": name,
                "low_value": float(low),
                "high_value": float(high),
                "output_at_low": at_low,
                "output_at_high": at_high,
                "base": base,
                "swing": abs(at_high - at_low),
            }
        )
    schema = {
        "input": pl.String,
        "low_value": pl.Float64,
        "high_value": pl.Float64,
        "output_at_low": pl.Float64,
        "output_at_high": pl.Float64,
        "base": pl.Float64,
        "swing": pl.Float64,
    }
    return pl.DataFrame(rows, schema=schema).sort("swing", descending=True)
