"""How uncertain the savings case is: Monte Carlo percentiles and a one-way tornado.

:func:`monte_carlo` draws every uncertain input of :mod:`careties.planning.savings`
from its distribution (NumPy ``default_rng(seed)``, so a seed gives the same
answer) and reports P5, P50 and P95 of each output; :func:`tornado` moves one
input at a time between its low and high values, the others held at their
central values. Kept apart from the arithmetic so each module has one job.
"""

from __future__ import annotations

import dataclasses
import math
from dataclasses import dataclass, field
from typing import Literal

import numpy as np
import polars as pl
from scipy import stats

from careties.planning.savings import (
    COST_INPUTS,
    OUTPUT_KEYS,
    UNCERTAIN_INPUTS,
    SavingsInputError,
    SavingsInputs,
    compute_outputs,
    savings_scenario,
)

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
    result = compute_outputs(values)
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
        ranges = {k: v for k, v in ranges.items() if k not in COST_INPUTS}
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
