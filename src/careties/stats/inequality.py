"""Slope and relative index of inequality (SII, RII), as OHID's PHEindicatormethods computes them.

Who is admitted matters as much as how many: the BCF asks plans to address
health inequalities, and the SII is the measure OHID publishes for them. The
method follows ``PHEindicatormethods::phe_sii`` (Low and Low, 2004; APHO
technical briefing 9):

- quantiles are ordered from most to least deprived (quantile 1 first);
- each quantile's x is the midpoint of its share of the population on the
  cumulative scale (``FindXValues``);
- values are regressed on x by least squares weighted by population share
  (fitted as ``sqrt(a) * y ~ sqrt(a) + x * sqrt(a)`` without intercept);
- SII is ``multiplier`` times the slope, RII is ``(intercept + slope) / intercept``
  (inverted for a negative multiplier);
- rates (``value_type=1``) and proportions (``2``) may be fitted on the log or
  logit scale (``transform=True``) and the SII/RII read back on the natural scale;
- confidence limits come from simulation: each quantile's value drawn from
  Normal(value, se) ``repetitions`` times, the fit repeated, and the ordered
  results read at the confidence's positions.

Reference: PHEindicatormethods, R/SII_function.R and R/utils.R (FindXValues,
SimulationFunc), https://github.com/ukhsa-collaboration/PHEindicatormethods.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
from scipy.stats import norm

from careties.stats._validate import StatsInputError, as_float_array

__all__ = ["SIIResult", "slope_index_of_inequality", "quantile_midpoints"]


@dataclass(frozen=True)
class SIIResult:
    """SII and RII with their simulated confidence limits (None when not simulated)."""

    sii: float
    rii: float
    intercept: float
    sii_lower: float | None = None
    sii_upper: float | None = None
    rii_lower: float | None = None
    rii_upper: float | None = None


def quantile_midpoints(populations: np.ndarray) -> np.ndarray:
    """Each quantile's x: the midpoint of its segment of the cumulative population share."""
    share = populations / populations.sum()
    return np.cumsum(share) - share / 2.0


def _to_model_scale(values: np.ndarray, value_type: int) -> np.ndarray:
    if value_type == 1:
        return np.log(values)
    if value_type == 2:
        return np.log(values / (1.0 - values))
    return values


def _from_model_scale(values: np.ndarray, value_type: int) -> np.ndarray:
    if value_type == 1:
        return np.exp(values)
    if value_type == 2:
        return np.exp(values) / (1.0 + np.exp(values))
    return values


@dataclass(frozen=True)
class _Regression:
    """What the simulation redraws: the values on the model scale and how they were fitted."""

    model_y: np.ndarray
    value_type: int
    transform: bool
    multiplier: float
    sqrt_a: np.ndarray
    b_sqrt_a: np.ndarray
    #: (intercept, slope) of the fit to the observed values.
    point: tuple[float, float]


def _fit(y: np.ndarray, sqrt_a: np.ndarray, b_sqrt_a: np.ndarray) -> np.ndarray:
    """(intercept, slope) for each column of ``y`` (already on the fitting scale, unweighted)."""
    design = np.vstack([sqrt_a, b_sqrt_a])
    projector = np.linalg.solve(design @ design.T, design)
    return projector @ (y * sqrt_a[:, None])


def slope_index_of_inequality(
    values: object,
    populations: object,
    *,
    value_type: int = 0,
    se: object = None,
    lower_cl: object = None,
    upper_cl: object = None,
    transform: bool = False,
    multiplier: float = 1.0,
    confidence: float = 0.95,
    repetitions: int = 100_000,
    seed: int | None = 0,
    simulate: bool = True,
) -> SIIResult:
    """SII and RII of ``values`` across quantiles given most deprived first.

    ``value_type``: 0 any value, 1 a rate, 2 a proportion (0 to 1). Give ``se``
    or ``lower_cl`` and ``upper_cl`` (95% limits, as published) for the
    confidence limits; ``simulate=False`` returns the point estimates only.
    """
    y = as_float_array(values, "values").ravel()
    pops = as_float_array(populations, "populations").ravel()
    if y.size != pops.size:
        raise StatsInputError("values and populations must be the same length")
    if not 5 <= y.size <= 100:
        raise StatsInputError("the SII needs between 5 and 100 quantiles")
    if np.isnan(y).any() or np.isnan(pops).any() or (pops <= 0).any():
        raise StatsInputError("every quantile needs a value and a population above zero")
    if value_type not in (0, 1, 2):
        raise StatsInputError("value_type is 0 (any value), 1 (a rate) or 2 (a proportion)")
    if transform and value_type == 0:
        raise StatsInputError("transform needs a rate (value_type 1) or a proportion (2)")
    if value_type == 1 and (y <= 0).any():
        raise StatsInputError("rates must be above zero")
    if value_type == 2 and ((y <= 0) | (y >= 1)).any():
        raise StatsInputError("proportions must be between 0 and 1")
    if confidence > 1:
        confidence /= 100.0
    a = pops / pops.sum()
    sqrt_a = np.sqrt(a)
    b_sqrt_a = quantile_midpoints(pops) * sqrt_a
    model_y = _to_model_scale(y, value_type)
    fit_y = model_y if transform else y
    intercept, slope = _fit(fit_y[:, None], sqrt_a, b_sqrt_a)[:, 0]
    if transform:
        low, high = _from_model_scale(np.array([intercept, intercept + slope]), value_type)
        sii, rii, base = (high - low) * multiplier, high / low, low * abs(multiplier)
        rii = 1.0 / rii if multiplier < 0 else rii
    else:
        sii, rii, base = multiplier * slope, (intercept + slope) / intercept, intercept
        rii = 1.0 / rii if multiplier < 0 else rii
    if not simulate:
        return SIIResult(float(sii), float(rii), float(base))
    spread = _standard_errors(model_y, value_type, se, lower_cl, upper_cl)
    regression = _Regression(
        model_y, value_type, transform, multiplier, sqrt_a, b_sqrt_a, (intercept, slope)
    )
    limits = _simulate(regression, spread, confidence, repetitions, seed)
    return SIIResult(float(sii), float(rii), float(base), *limits)


def _standard_errors(model_y, value_type, se, lower_cl, upper_cl) -> np.ndarray:
    """Standard errors on the fitting scale: given, or from 95% limits (hard-coded 95%, as PHE)."""
    if se is not None:
        return as_float_array(se, "se").ravel()
    if lower_cl is None or upper_cl is None:
        raise StatsInputError("give se, or lower_cl and upper_cl, for confidence limits")
    lower = _to_model_scale(as_float_array(lower_cl, "lower_cl").ravel(), value_type)
    upper = _to_model_scale(as_float_array(upper_cl, "upper_cl").ravel(), value_type)
    return (upper - lower) / norm.ppf(0.975) / 2.0


def _simulate(
    regression: _Regression,
    spread: np.ndarray,
    confidence: float,
    repetitions: int,
    seed: int | None,
) -> tuple[float, float, float, float]:
    """SII and RII limits: every quantile redrawn from Normal(value, se), the fit repeated."""
    model_y, value_type = regression.model_y, regression.value_type
    transform, multiplier, point = regression.transform, regression.multiplier, regression.point
    sqrt_a, b_sqrt_a = regression.sqrt_a, regression.b_sqrt_a
    rng = np.random.default_rng(seed)
    draws = rng.normal(model_y[:, None], spread[:, None], size=(model_y.size, repetitions))
    if not transform:
        draws = _from_model_scale(draws, value_type)
    intercepts, slopes = _fit(draws, sqrt_a, b_sqrt_a)
    level = confidence + (1.0 - confidence) / 2.0
    lo_pos = int(round(repetitions * (1 - level))) - 1
    hi_pos = int(round(repetitions * level)) - 1
    if not transform:
        sii_sorted = np.sort(slopes * multiplier)
        rii_all = (slopes + intercepts) / intercepts
        rii_sorted = np.sort(1.0 / rii_all if multiplier < 0 else rii_all)
        return (
            float(sii_sorted[lo_pos]),
            float(sii_sorted[hi_pos]),
            float(rii_sorted[lo_pos]),
            float(rii_sorted[hi_pos]),
        )
    # Transformed: limits of the slope on the model scale, back-transformed about x = 1/2.
    slope_sorted = np.sort(slopes)
    s_low, s_high = slope_sorted[lo_pos], slope_sorted[hi_pos]
    half = point[0] + point[1] / 2.0

    def ends(s: float) -> tuple[float, float]:
        lo, hi = _from_model_scale(np.array([half - s / 2.0, half + s / 2.0]), value_type)
        return float(lo), float(hi)

    (lo_l, hi_l), (lo_u, hi_u) = ends(s_low), ends(s_high)
    if multiplier < 0:
        return (
            (hi_u - lo_u) * multiplier,
            (hi_l - lo_l) * multiplier,
            1.0 / (hi_u / lo_u),
            1.0 / (hi_l / lo_l),
        )
    return (hi_l - lo_l) * multiplier, (hi_u - lo_u) * multiplier, hi_l / lo_l, hi_u / lo_u
