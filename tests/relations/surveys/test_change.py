"""Change between waves: Newcombe's interval, the two-proportion test and Welch's t, by hand."""

from __future__ import annotations

import math

import polars as pl
import pytest
from scipy import stats

from careties.errors import NotEnoughData
from careties.relations.surveys import (
    newcombe_difference,
    two_proportion_p_value,
    wave_change,
    welch_difference,
)

from .test_builders import frame, rc_answers, submission

# Newcombe RG (1998) Statistics in Medicine 17:873-890, Table II, method 10 (score interval,
# no continuity correction), examples (a), (b), (d), (e), (f).
NEWCOMBE_TABLE_II = [
    ((56, 70, 48, 80), (0.0524, 0.3339)),
    ((9, 10, 3, 10), (0.1705, 0.8090)),
    ((5, 56, 0, 29), (-0.0381, 0.1926)),
    ((0, 10, 0, 20), (-0.1611, 0.2775)),
    ((10, 10, 0, 20), (0.6791, 1.0000)),
]


@pytest.mark.parametrize("counts, interval", NEWCOMBE_TABLE_II)
def test_newcombe_method_10_matches_the_paper(counts, interval):
    x1, n1, x2, n2 = counts
    difference, lower, upper = newcombe_difference(x1, n1, x2, n2)
    assert difference == pytest.approx(x1 / n1 - x2 / n2)
    assert (round(lower, 4), round(upper, 4)) == pytest.approx(interval, abs=1e-4)


def test_two_proportion_z_by_hand_and_as_chi_square():
    # 56/70 against 48/80: pooled p = 104/150
    p = 104 / 150
    z = (56 / 70 - 48 / 80) / math.sqrt(p * (1 - p) * (1 / 70 + 1 / 80))
    expected = 2 * (1 - stats.norm.cdf(abs(z)))
    assert two_proportion_p_value(56, 70, 48, 80) == pytest.approx(expected)
    chi2 = stats.chi2_contingency([[56, 14], [48, 32]], correction=False)
    assert two_proportion_p_value(56, 70, 48, 80) == pytest.approx(chi2.pvalue)
    assert two_proportion_p_value(0, 10, 0, 20) == 1.0


def test_welch_by_hand():
    a, b = [4.0, 5.0, 6.0, 5.0], [2.0, 3.0, 4.0, 3.0, 3.0]
    # means 5 and 3; variances 2/3 and 1/2; se^2 = (2/3)/4 + (1/2)/5 = 0.2666...
    se2 = (2 / 3) / 4 + (1 / 2) / 5
    t = 2 / math.sqrt(se2)
    df = se2**2 / (((2 / 3) / 4) ** 2 / 3 + ((1 / 2) / 5) ** 2 / 4)
    difference, lower, upper, p = welch_difference(a, b)
    assert difference == pytest.approx(2.0)
    assert p == pytest.approx(2 * stats.t.sf(t, df))
    half = stats.t.ppf(0.975, df) * math.sqrt(se2)
    assert (lower, upper) == pytest.approx((2 - half, 2 + half))
    assert math.isnan(welch_difference([3.0], [1.0, 2.0])[1])


def two_waves() -> pl.DataFrame:
    """Wave 1: 6 of 10 GPs rate the relationship poor; wave 2: 2 of 10. RC rises by 1."""
    subs = []
    for wave, poor in (("2025-W1", 6), ("2026-W2", 2)):
        for i in range(10):
            rating = "2" if i < poor else "4"
            base = 2 if wave == "2025-W1" else 3
            score = base + (i % 3)  # 2,3,4 in wave 1; 3,4,5 in wave 2
            answers = {"relationship_asc": rating, **rc_answers(*([score] * 7))}
            subs.append(submission("gp", answers, organisation="A81001", wave=wave))
    return frame(*subs)


def test_wave_change_in_a_proportion():
    row = wave_change(two_waves(), "gp_relationship_poor", "2025-W1", "2026-W2").row(0, named=True)
    assert (row["value_from"], row["value_to"]) == pytest.approx((60.0, 20.0))
    assert row["difference"] == pytest.approx(-40.0)
    d, lower, upper = newcombe_difference(2, 10, 6, 10)
    assert (row["lower"], row["upper"]) == pytest.approx((100 * lower, 100 * upper))
    assert row["p_value"] == pytest.approx(two_proportion_p_value(2, 10, 6, 10))
    assert (row["n_from"], row["n_to"]) == (10, 10)
    assert row["method"].startswith("newcombe")
    assert row["suppressed"] is False


def test_wave_change_in_relational_coordination():
    row = wave_change(two_waves(), "rc_index", "2025-W1", "2026-W2").row(0, named=True)
    before = [2 + (i % 3) for i in range(10)]
    after = [3 + (i % 3) for i in range(10)]
    assert row["difference"] == pytest.approx(1.0)
    assert row["p_value"] == pytest.approx(stats.ttest_ind(after, before, equal_var=False).pvalue)
    assert row["method"] == "welch t"
    by_practice = wave_change(two_waves(), "rc_timely", "2025-W1", "2026-W2", by="organisation")
    assert by_practice.get_column("organisation").to_list() == ["A81001"]
    assert by_practice.item(0, "difference") == pytest.approx(1.0)


def test_wave_change_suppresses_a_wave_of_four():
    responses = two_waves()
    keep = (
        responses.filter(pl.col("wave") == "2026-W2").get_column("response_id").unique().sort()[:4]
    )
    responses = responses.filter(
        (pl.col("wave") == "2025-W1") | pl.col("response_id").is_in(keep.to_list())
    )
    for indicator in ("gp_relationship_poor", "rc_index"):
        row = wave_change(responses, indicator, "2025-W1", "2026-W2").row(0, named=True)
        assert row["suppressed"] is True
        assert row["difference"] is None and row["n_to"] is None and row["value_from"] is None


def test_wave_change_rejects_unknown_indicators():
    with pytest.raises(ValueError, match="Unknown indicator"):
        wave_change(two_waves(), "gp_happiness", "2025-W1", "2026-W2")


def test_an_indicator_whose_survey_is_missing_from_both_waves_is_not_enough_data():
    """GP-only waves hold no older people's answers: too little data, not an unknown indicator."""
    with pytest.raises(NotEnoughData, match="older person survey"):
        wave_change(two_waves(), "older_turn_to_gp", "2025-W1", "2026-W2")
    older = frame(
        *[
            submission(
                "older_person", {"turn_to_first": "gp"}, organisation="A81001", wave="2025-W1"
            )
            for _ in range(6)
        ]
    )
    one_wave = pl.concat([two_waves(), older], how="diagonal_relaxed")
    row = wave_change(one_wave, "older_turn_to_gp", "2025-W1", "2026-W2").row(0, named=True)
    assert row["suppressed"] is True and row["difference"] is None
