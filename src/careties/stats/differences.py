"""Differences between two independent groups: two proportions, or two means.

Why here and from libraries: these are general methods (survey waves, GPs
against social workers, any two groups), so they belong in ``careties.stats``
rather than with the survey scoring, and statsmodels and SciPy already
implement them, tested. careties only fixes the conventions it reports:

* proportions: Newcombe's hybrid score interval (Newcombe 1998, method 10),
  statsmodels ``confint_proportions_2indep(method="newcomb")``, and the pooled
  two-proportion z test, statsmodels ``proportions_ztest`` (the same as
  Pearson's chi-square without continuity correction);
* means: Welch's unequal-variances t test and interval, SciPy ``ttest_ind``.
"""

from __future__ import annotations

import math
from collections.abc import Sequence

import numpy as np
from scipy import stats
from statsmodels.stats.proportion import confint_proportions_2indep, proportions_ztest

from careties.stats._validate import StatsInputError

__all__ = [
    "newcombe_difference",
    "percentage_point_difference",
    "two_proportion_p_value",
    "welch_difference",
]


def _check_counts(x: float, n: float) -> None:
    if n <= 0 or x < 0 or x > n:
        raise StatsInputError(
            f"a proportion needs 0 <= successes <= trials and trials > 0; got {x}/{n}"
        )


def newcombe_difference(
    x1: float, n1: float, x2: float, n2: float, confidence: float = 0.95
) -> tuple[float, float, float]:
    """Difference ``p1 - p2`` of two independent proportions with Newcombe's interval.

    Method 10 of Newcombe RG (1998) Interval estimation for the difference
    between independent proportions: comparison of eleven methods. Statistics
    in Medicine 17:873-890: the hybrid of two Wilson score intervals, as
    statsmodels ``confint_proportions_2indep(method="newcomb")`` computes it.
    Returns ``(difference, lower, upper)`` on the 0-1 scale.
    """
    _check_counts(x1, n1)
    _check_counts(x2, n2)
    lower, upper = confint_proportions_2indep(
        x1, n1, x2, n2, method="newcomb", compare="diff", alpha=1.0 - confidence
    )
    return x1 / n1 - x2 / n2, float(lower), float(upper)


def two_proportion_p_value(x1: float, n1: float, x2: float, n2: float) -> float:
    """Two-sided p-value of the pooled two-proportion z test (= Pearson chi-square, 1 df).

    statsmodels ``proportions_ztest`` with the pooled proportion. When both
    groups are all-yes or all-no the proportions cannot differ and the z
    statistic is 0/0; the p-value is then 1 rather than NaN.
    """
    _check_counts(x1, n1)
    _check_counts(x2, n2)
    if (x1 + x2) in (0, n1 + n2):
        return 1.0
    _, p_value = proportions_ztest([x1, x2], [n1, n2])
    return float(p_value)


def percentage_point_difference(
    x1: float, n1: float, x2: float, n2: float, confidence: float = 0.95
) -> tuple[float, float, float, float]:
    """``p1 - p2`` in percentage points, with Newcombe's interval and the z test's p-value.

    How careties reports two percentages side by side (survey waves, GPs
    against social care): :func:`newcombe_difference` (Newcombe 1998, method
    10) scaled to percentage points, and :func:`two_proportion_p_value`.
    Returns ``(difference, lower, upper, p_value)``.
    """
    difference, lower, upper = newcombe_difference(x1, n1, x2, n2, confidence)
    p_value = two_proportion_p_value(x1, n1, x2, n2)
    return 100 * difference, 100 * lower, 100 * upper, p_value


def welch_difference(
    a: Sequence[float] | np.ndarray, b: Sequence[float] | np.ndarray, confidence: float = 0.95
) -> tuple[float, float, float, float]:
    """Difference of means ``mean(a) - mean(b)`` with Welch's t interval and p-value.

    Welch BL (1947) Biometrika 34:28-35, via ``scipy.stats.ttest_ind(equal_var=False)``.
    Returns ``(difference, lower, upper, p_value)``; NaN where it is undefined
    (fewer than two values in a group, or no variation at all).
    """
    a = np.asarray(a, dtype=float)
    b = np.asarray(b, dtype=float)
    if len(a) == 0 or len(b) == 0:
        return math.nan, math.nan, math.nan, math.nan
    difference = float(a.mean() - b.mean())
    if len(a) < 2 or len(b) < 2 or (a.var(ddof=1) == 0 and b.var(ddof=1) == 0):
        return difference, math.nan, math.nan, math.nan
    result = stats.ttest_ind(a, b, equal_var=False)
    interval = result.confidence_interval(confidence_level=confidence)
    return difference, float(interval.low), float(interval.high), float(result.pvalue)
