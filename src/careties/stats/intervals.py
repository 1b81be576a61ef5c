"""Confidence intervals for proportions, counts and rates, as Public Health England computes them.

The formulas and the switch from Byar's approximation to the exact Poisson interval follow
UKHSA's PHEindicatormethods (``phe_proportion``, ``phe_rate`` and their internal ``wilson_*`` and
``byars_*`` functions), so that careties agrees with Fingertips and the analysts who use it.

Every function takes scalars or NumPy arrays (broadcast together) and is vectorised: a million
units are one pass of array arithmetic. Scalars in give Python floats out. A missing value
(NaN) in gives NaN out, as PHEindicatormethods gives NA for a missing numerator or denominator;
impossible values (negative counts, zero denominators, more successes than trials) raise
:class:`StatsInputError`.
"""

from __future__ import annotations

import numpy as np
from scipy.special import gammaincinv

from careties.stats._validate import StatsInputError, as_float_array, z_for

__all__ = ["wilson_ci", "byar_ci", "rate_ci", "EXACT_POISSON_BELOW"]

#: PHEindicatormethods (``phe_rate``, ``phe_isr``, ``phe_dsr``) uses the exact Poisson interval
#: for counts below 10 and Byar's approximation from 10 upwards.
EXACT_POISSON_BELOW = 10

ArrayLike = float | int | np.ndarray


def _out(value: np.ndarray, scalar: bool) -> float | np.ndarray:
    return float(value) if scalar else value


def wilson_ci(
    successes: ArrayLike, trials: ArrayLike, confidence: float = 0.95
) -> tuple[float | np.ndarray, float | np.ndarray]:
    """Wilson score interval for a proportion, as PHEindicatormethods' ``phe_proportion``.

    ``lower, upper = (2x + z^2 -/+ z * sqrt(z^2 + 4x(1 - x/n))) / (2(n + z^2))``
    with ``z`` the two-sided normal quantile for ``confidence``.

    References: Wilson EB (1927) J Am Stat Assoc 22:209-212; Newcombe RG, Altman DG (2000)
    Proportions and their differences, in Statistics with Confidence, 2nd ed., BMJ Books;
    PHEindicatormethods ``wilson_lower``/``wilson_upper``.

    The interval is on the 0-1 scale (multiply by 100 for a percentage). It is exactly 0 at the
    lower end when ``successes`` is 0 and exactly 1 at the upper end when ``successes`` equals
    ``trials``. ``successes`` need not be whole (PHEindicatormethods allows that too).

    Raises :class:`StatsInputError` for negative successes, trials of zero or less, or more
    successes than trials. NaN in either argument gives NaN limits for that unit.
    """
    scalar = np.ndim(successes) == 0 and np.ndim(trials) == 0
    x = as_float_array(successes, "successes")
    n = as_float_array(trials, "trials")
    x, n = np.broadcast_arrays(x, n)
    if (x < 0).any():
        raise StatsInputError("successes (numerators) must be zero or more")
    if (n <= 0).any():
        raise StatsInputError("trials (denominators) must be greater than zero")
    if (x > n).any():
        raise StatsInputError("successes (numerators) must not exceed trials (denominators)")
    z = z_for(confidence)
    z2 = z * z
    centre = 2.0 * x + z2
    spread = z * np.sqrt(z2 + 4.0 * x * (1.0 - x / n))
    denominator = 2.0 * (n + z2)
    lower = (centre - spread) / denominator
    upper = (centre + spread) / denominator
    # Rounding can leave 1e-17 below 0 or above 1 at the ends; the exact values are 0 and 1.
    lower = np.where(x == 0, 0.0, np.clip(lower, 0.0, 1.0))
    upper = np.where(x == n, 1.0, np.clip(upper, 0.0, 1.0))
    return _out(lower, scalar), _out(upper, scalar)


def _byar_lower(x: np.ndarray, z: float) -> np.ndarray:
    """Byar's lower limit for a count: x (1 - 1/(9x) - z/(3 sqrt x))^3 (Breslow and Day 1987)."""
    with np.errstate(divide="ignore", invalid="ignore"):
        return x * (1.0 - 1.0 / (9.0 * x) - z / (3.0 * np.sqrt(x))) ** 3


def _byar_upper(x: np.ndarray, z: float) -> np.ndarray:
    """Byar's upper limit: (x+1) (1 - 1/(9(x+1)) + z/(3 sqrt(x+1)))^3 (Breslow and Day 1987)."""
    x1 = x + 1.0
    return x1 * (1.0 - 1.0 / (9.0 * x1) + z / (3.0 * np.sqrt(x1))) ** 3


def _exact_poisson(x: np.ndarray, confidence: float) -> tuple[np.ndarray, np.ndarray]:
    """Exact (Garwood) Poisson limits: chi2(a/2, 2x)/2 and chi2(1-a/2, 2x+2)/2.

    chi2.ppf(p, 2k)/2 is the inverse regularised lower incomplete gamma function at (k, p),
    computed directly to skip SciPy's distribution-object overhead.
    """
    alpha = 1.0 - confidence
    with np.errstate(invalid="ignore"):
        lower = np.where(x > 0, gammaincinv(np.where(x > 0, x, 1.0), alpha / 2.0), 0.0)
        upper = gammaincinv(x + 1.0, 1.0 - alpha / 2.0)
    return lower, upper


def _count_limits(x: np.ndarray, confidence: float) -> tuple[np.ndarray, np.ndarray]:
    z = z_for(confidence)
    small = x < EXACT_POISSON_BELOW
    lower = _byar_lower(x, z)
    upper = _byar_upper(x, z)
    if small.any():
        exact_lower, exact_upper = _exact_poisson(x[small], confidence)
        lower[small] = exact_lower
        upper[small] = exact_upper
    return lower, upper


def byar_ci(
    count: ArrayLike, confidence: float = 0.95
) -> tuple[float | np.ndarray, float | np.ndarray]:
    """Confidence interval for an observed count of events, as PHEindicatormethods computes it.

    Counts of 10 or more use Byar's approximation to the Poisson interval::

        lower = x (1 - 1/(9x) - z/(3 sqrt(x)))^3
        upper = (x + 1) (1 - 1/(9(x + 1)) + z/(3 sqrt(x + 1)))^3

    Counts below 10 use the exact Poisson interval, ``chi2(a/2; 2x)/2`` to
    ``chi2(1 - a/2; 2x + 2)/2`` with ``a = 1 - confidence``. The switch is at the same place as
    in PHEindicatormethods' ``phe_rate`` (``if_else(x < 10, exact, byars)``). A count of 0 has
    lower limit 0 and upper limit ``-log(a/2)`` (3.689 at 95%).

    References: Breslow NE, Day NE (1987) Statistical Methods in Cancer Research, volume II,
    IARC; Garwood F (1936) Biometrika 28:437-442; PHEindicatormethods ``byars_lower``,
    ``byars_upper`` and ``phe_rate``.

    Raises :class:`StatsInputError` for negative counts; NaN gives NaN limits.
    """
    scalar = np.ndim(count) == 0
    x = np.atleast_1d(as_float_array(count, "count")).copy()
    if (x < 0).any():
        raise StatsInputError("counts of events must be zero or more")
    lower, upper = _count_limits(x, float(confidence))
    if scalar:
        return float(lower[0]), float(upper[0])
    shape = np.shape(count)
    return lower.reshape(shape), upper.reshape(shape)


def rate_ci(
    count: ArrayLike,
    denominator: ArrayLike,
    multiplier: float = 100_000,
    confidence: float = 0.95,
) -> tuple[float | np.ndarray, float | np.ndarray, float | np.ndarray]:
    """A crude rate and its confidence interval: ``count / denominator * multiplier``.

    The interval is :func:`byar_ci` on the count (exact Poisson below 10 events) divided by the
    denominator, as PHEindicatormethods' ``phe_rate`` does. Default: rate per 100,000.

    Raises :class:`StatsInputError` for negative counts or denominators of zero or less (a rate
    per no population is undefined, not zero). NaN in either argument gives NaN for that unit.
    """
    scalar = np.ndim(count) == 0 and np.ndim(denominator) == 0
    x = as_float_array(count, "count")
    n = as_float_array(denominator, "denominator")
    x, n = np.broadcast_arrays(x, n)
    if (n <= 0).any():
        raise StatsInputError("denominators (populations) must be greater than zero")
    if (x < 0).any():
        raise StatsInputError("counts of events must be zero or more")
    lower, upper = byar_ci(np.array(x, dtype=float), confidence)
    scale = multiplier / n
    rate = x * scale
    return _out(rate, scalar), _out(lower * scale, scalar), _out(upper * scale, scalar)
