"""Feldt's confidence interval for Cronbach's alpha, against published and independent values."""

from __future__ import annotations

import numpy as np
import polars as pl
import pytest
from scipy.stats import beta
from tests.relations.surveys.test_scoring import PINGOUIN_ITEMS

from careties.relations.surveys import (
    ReliabilityError,
    cronbach_alpha_interval,
    feldt_interval,
)


def test_interval_matches_pingouins_published_example() -> None:
    """pingouin's ``cronbach_alpha`` documentation, dataset "cronbach_alpha" (15 respondents,
    10 items): alpha 0.5917188485995826, 95% interval [0.195, 0.84] (Feldt et al. 1987)."""
    result = cronbach_alpha_interval(pl.DataFrame(PINGOUIN_ITEMS))
    assert result.alpha == pytest.approx(0.5917188485995826)
    assert result.lower == pytest.approx(0.195, abs=5e-4)
    assert result.upper == pytest.approx(0.840, abs=5e-4)
    assert (result.respondents, result.items, result.confidence) == (15, 10, 0.95)


def _f_quantile_via_beta(q: float, d1: int, d2: int) -> float:
    # F = (d2 / d1) * X / (1 - X) with X ~ Beta(d1/2, d2/2): an independent route to the
    # F quantile (Johnson, Kotz & Balakrishnan 1995, Continuous Univariate Distributions 2,
    # ch. 27), not the one feldt_interval uses.
    x = beta.ppf(q, d1 / 2, d2 / 2)
    return d2 / d1 * x / (1 - x)


@pytest.mark.parametrize(
    ("alpha", "items", "n", "confidence"),
    [(0.79, 26, 41, 0.90), (0.83, 20, 100, 0.95), (0.85, 7, 89, 0.95), (0.4, 7, 6, 0.95)],
)
def test_interval_independently_computed(alpha, items, n, confidence) -> None:
    """Feldt, Woodruff & Salih (1987) formulas 6-7 with df (n - 1, (n - 1)(k - 1)), the F
    quantiles computed through the beta distribution. The first case is Feldt et al.'s own
    example (alpha .79, 26 items, 41 examinees, 90%)."""
    d1, d2 = n - 1, (n - 1) * (items - 1)
    g = 1 - confidence
    expected_lower = 1 - (1 - alpha) * _f_quantile_via_beta(1 - g / 2, d1, d2)
    expected_upper = 1 - (1 - alpha) * _f_quantile_via_beta(g / 2, d1, d2)
    lower, upper = feldt_interval(alpha, n, items, confidence)
    assert lower == pytest.approx(expected_lower, rel=1e-7)
    assert upper == pytest.approx(expected_upper, rel=1e-7)
    assert lower < alpha < upper


def test_interval_covers_the_population_alpha_about_95_percent_of_the_time() -> None:
    """Seven parallel items with inter-item correlation 0.4 have population alpha
    7 * 0.4 / (1 + 6 * 0.4) = 0.8235 (Spearman-Brown); 600 samples of 30 respondents."""
    rng = np.random.default_rng(20240601)
    k, rho, n = 7, 0.4, 30
    true_alpha = k * rho / (1 + (k - 1) * rho)
    cov = np.full((k, k), rho) + np.eye(k) * (1 - rho)
    covered = 0
    for _ in range(600):
        sample = rng.multivariate_normal(np.zeros(k), cov, size=n)
        result = cronbach_alpha_interval(sample)
        covered += result.lower <= true_alpha <= result.upper
    assert 0.92 <= covered / 600 <= 0.98


def test_interval_uses_complete_respondents_and_refuses_bad_input() -> None:
    items = np.array([[4, 5, 4], [3, 4, 3], [5, 5, 5], [2, 3, 2], [np.nan, 1, 1]])
    result = cronbach_alpha_interval(items)
    assert result.respondents == 4
    assert result.alpha == pytest.approx(48 / 49)
    with pytest.raises(ReliabilityError, match="confidence"):
        feldt_interval(0.8, 30, 7, confidence=1.5)
    with pytest.raises(ReliabilityError, match="two respondents"):
        feldt_interval(0.8, 1, 7)
