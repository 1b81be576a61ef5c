"""Difference in differences: the textbook 2x2 identity, clustered errors, pre-trends."""

import numpy as np
import pandas as pd
import polars as pl
import pytest
import statsmodels.formula.api as smf

from careties.errors import NotEnoughData
from careties.stats import DiDResult, StatsInputError, difference_in_differences


def panel(effect=-3.0, pre_slope_gap=0.0, units=40, periods=8, seed=1):
    rng = np.random.default_rng(seed)
    rows = []
    for unit in range(units):
        treated = int(unit < units // 2)
        level = rng.normal(10, 2)
        for time in range(periods):
            post = int(time >= periods // 2)
            y = (
                level
                + 0.5 * time
                + pre_slope_gap * treated * time
                + effect * treated * post
                + rng.normal(0, 1)
            )
            rows.append(
                {
                    "practice": f"P{unit:05d}",
                    "month": time,
                    "treated": treated,
                    "post": post,
                    "y": y,
                }
            )
    return pl.DataFrame(rows)


def test_effect_equals_the_2x2_difference_of_means_on_a_balanced_panel():
    """Angrist and Pischke (2009) ch. 5: with unit and time effects on a balanced panel the
    regression coefficient is (T after - T before) - (C after - C before)."""
    frame = panel()
    means = frame.group_by("treated", "post").agg(pl.col("y").mean())

    def cell(t, p):
        return means.filter((pl.col("treated") == t) & (pl.col("post") == p))["y"][0]

    by_hand = (cell(1, 1) - cell(1, 0)) - (cell(0, 1) - cell(0, 0))
    result = difference_in_differences(frame, "y", "treated", "post", "practice", "month")
    assert isinstance(result, DiDResult)
    assert result.effect == pytest.approx(by_hand, rel=1e-9)
    assert result.ci_low < -3.0 < result.ci_high
    assert result.p_value < 1e-6
    assert (result.n_units, result.n_obs) == (40, 320)
    assert result.pre_trend_p_value > 0.05
    assert "decrease" in result.verdict and "parallel" in result.verdict


def test_standard_errors_are_clustered_by_unit_as_statsmodels_formula():
    """The same model through statsmodels' formula API, clustered by unit, as a check."""
    frame = panel(seed=7)
    result = difference_in_differences(frame, "y", "treated", "post", "practice", "month")
    data = frame.to_pandas()
    data["treated_x_post"] = data["treated"] * data["post"]
    codes = pd.factorize(data["practice"])[0]
    fit = smf.ols("y ~ treated_x_post + C(practice) + C(month)", data=data).fit(
        cov_type="cluster", cov_kwds={"groups": codes}
    )
    assert result.effect == pytest.approx(fit.params["treated_x_post"], rel=1e-9)
    assert result.p_value == pytest.approx(fit.pvalues["treated_x_post"], rel=1e-6)
    low, high = fit.conf_int().loc["treated_x_post"]
    assert (result.ci_low, result.ci_high) == pytest.approx((low, high), rel=1e-9)


def test_diverging_pre_trends_are_detected_and_reported():
    result = difference_in_differences(
        panel(effect=0.0, pre_slope_gap=0.8), "y", "treated", "post", "practice", "month"
    )
    assert result.pre_trend_p_value < 0.05
    assert "diverging" in result.verdict


def test_no_effect_verdict_and_single_pre_period():
    frame = panel(effect=0.0, periods=2, seed=3)
    result = difference_in_differences(frame, "y", "treated", "post", "practice", "month")
    assert np.isnan(result.pre_trend_p_value)
    assert "could not be checked" in result.verdict
    if result.p_value >= 0.05:
        assert "No clear effect" in result.verdict


def test_result_is_frozen():
    result = difference_in_differences(panel(), "y", "treated", "post", "practice", "month")
    with pytest.raises(AttributeError):
        result.effect = 0.0


NOT_ENOUGH = {"before and after", "at least 2 treated", "empty"}


@pytest.mark.parametrize(
    ("change", "message"),
    [
        (lambda f: f.with_columns(pl.lit(None, dtype=pl.Float64).alias("y")), "missing"),
        (lambda f: f.with_columns(pl.lit(2).alias("treated")), "0/1"),
        (lambda f: f.with_columns(pl.lit(1).alias("post")), "before and after"),
        (lambda f: f.filter(pl.col("practice") >= "P00019"), "at least 2 treated"),
        (lambda f: pl.concat([f, f.head(1)]), "once"),
        (lambda f: f.head(0), "empty"),
        (lambda f: f.drop("month"), "lacks"),
        (
            lambda f: f.with_columns(
                pl.when((pl.col("practice") == "P00000") & (pl.col("month") == 0))
                .then(0)
                .otherwise(pl.col("treated"))
                .alias("treated")
            ),
            "same on every row",
        ),
    ],
)
def test_degenerate_panels_raise_clear_errors(change, message):
    # Too little data is a state the dashboard shows in words (NotEnoughData); the rest
    # is input no panel can have (StatsInputError).
    expected = NotEnoughData if message in NOT_ENOUGH else StatsInputError
    with pytest.raises(expected, match=message):
        difference_in_differences(change(panel()), "y", "treated", "post", "practice", "month")
