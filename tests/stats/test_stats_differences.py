"""Two-group differences, from statsmodels and SciPy, checked against the published values."""

from __future__ import annotations

import math

import pytest
from scipy import stats

from careties.stats import (
    StatsInputError,
    newcombe_difference,
    percentage_point_difference,
    two_proportion_p_value,
    welch_difference,
)

# Newcombe RG (1998) Interval estimation for the difference between independent proportions.
# Statistics in Medicine 17:873-890, Table II, method 10 (hybrid score, no continuity
# correction), examples (a), (b), (d), (e), (f).
NEWCOMBE_TABLE_II = [
    ((56, 70, 48, 80), (0.0524, 0.3339)),
    ((9, 10, 3, 10), (0.1705, 0.8090)),
    ((5, 56, 0, 29), (-0.0381, 0.1926)),
    ((0, 10, 0, 20), (-0.1611, 0.2775)),
    ((10, 10, 0, 20), (0.6791, 1.0000)),
]


@pytest.mark.parametrize(("counts", "interval"), NEWCOMBE_TABLE_II)
def test_newcombe_method_10_matches_table_ii(counts, interval):
    x1, n1, x2, n2 = counts
    difference, lower, upper = newcombe_difference(x1, n1, x2, n2)
    assert difference == pytest.approx(x1 / n1 - x2 / n2)
    assert (lower, upper) == pytest.approx(interval, abs=5e-5)


def test_percentage_points_scale_table_ii_and_carry_the_pooled_z_test():
    # Newcombe (1998) Table II example (a), 56/70 against 48/80: 20 points, 5.24 to 33.39.
    difference, lower, upper, p = percentage_point_difference(56, 70, 48, 80)
    assert difference == pytest.approx(20.0)
    assert (lower, upper) == pytest.approx((5.24, 33.39), abs=5e-3)
    chi2 = stats.chi2_contingency([[56, 14], [48, 32]], correction=False)
    assert p == pytest.approx(chi2.pvalue)
    # The other way round the interval turns over and the p-value stays.
    back = percentage_point_difference(48, 80, 56, 70)
    assert back[:3] == pytest.approx((-20.0, -33.39, -5.24), abs=5e-3)
    assert back[3] == pytest.approx(p)


def test_newcombe_interval_widens_with_confidence():
    _, lo95, hi95 = newcombe_difference(56, 70, 48, 80)
    _, lo99, hi99 = newcombe_difference(56, 70, 48, 80, confidence=0.99)
    assert lo99 < lo95 < hi95 < hi99


def test_pooled_z_test_is_pearson_chi_square_without_correction():
    chi2 = stats.chi2_contingency([[56, 14], [48, 32]], correction=False)
    assert two_proportion_p_value(56, 70, 48, 80) == pytest.approx(chi2.pvalue)
    # Both groups all-no: nothing can differ (statsmodels alone gives 0/0).
    assert two_proportion_p_value(0, 10, 0, 20) == 1.0
    assert two_proportion_p_value(10, 10, 20, 20) == 1.0


@pytest.mark.parametrize("counts", [(11, 10, 1, 10), (-1, 10, 1, 10), (1, 0, 1, 10)])
def test_impossible_counts_are_refused(counts):
    with pytest.raises(StatsInputError, match="successes"):
        newcombe_difference(*counts)
    with pytest.raises(StatsInputError, match="successes"):
        two_proportion_p_value(*counts)


def test_welch_against_the_formula():
    a, b = [4.0, 5.0, 6.0, 5.0], [2.0, 3.0, 4.0, 3.0, 3.0]
    se2 = (2 / 3) / 4 + (1 / 2) / 5
    df = se2**2 / (((2 / 3) / 4) ** 2 / 3 + ((1 / 2) / 5) ** 2 / 4)
    difference, lower, upper, p = welch_difference(a, b)
    assert difference == pytest.approx(2.0)
    assert p == pytest.approx(2 * stats.t.sf(2 / math.sqrt(se2), df))
    half = stats.t.ppf(0.975, df) * math.sqrt(se2)
    assert (lower, upper) == pytest.approx((2 - half, 2 + half))
    assert math.isnan(welch_difference([3.0], [1.0, 2.0])[1])
    assert all(math.isnan(v) for v in welch_difference([], [1.0, 2.0]))
