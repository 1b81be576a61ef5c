"""Funnel limits and positions against PHEindicatormethods and FunnelPlotR published values."""

import numpy as np
import polars as pl
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from careties.errors import NotEnoughData
from careties.stats import POSITIONS, StatsInputError, funnel_assess, funnel_limits
from careties.stats.funnel import _position

# PHEindicatormethods tests/testthat/testdata_funnel_prop_outputs.csv (published to 6 d.p.):
# Population, lower 95 (2s), upper 95, lower 99.8 (3s), upper 99.8, as percentages.
PHE_PROPORTION_FUNNEL = [
    (1.0, 3.204264, 100.0, 0.0, 100.0),
    (2.0, 25.885383, 100.0, 0.0, 100.0),
    (3.0, 35.933491, 100.0, 10.150815, 100.0),
    (4.0, 41.923356, 100.0, 19.594903, 100.0),
    (10.0, 56.154344, 100.0, 42.03259, 100.0),
    (27.0, 65.739462, 95.545433, 57.145237, 100.0),
    (211.0, 75.311383, 85.973512, 72.237075, 89.04782),
    (1699.0, 78.763743, 82.521152, 77.680336, 83.60456),
    (13669.0, 79.980099, 81.304797, 79.598137, 81.686759),
    (110000.0, 80.408963, 80.875933, 80.274317, 81.010578),
]
# Their baseline: sum(numerator) / sum(denominator) of testdata_funnel_prop_inputs.csv.
PHE_BASELINE = 0.8064244785714955


def test_normal_proportion_limits_match_pheindicatormethods_funnel():
    """Source: PHEindicatormethods testdata_funnel_prop_outputs.csv (calculate_funnel_limits,
    statistic = "proportion", multiplier = 100)."""
    table = np.array(PHE_PROPORTION_FUNNEL)
    frame = funnel_limits(table[:, 0], PHE_BASELINE, "proportion", multiplier=100, method="normal")
    for column, expected in zip(
        ["lower_95", "upper_95", "lower_99_8", "upper_99_8"], table[:, 1:].T, strict=True
    ):
        np.testing.assert_allclose(frame[column].to_numpy(), expected, atol=1.5e-6)
    assert frame["target"][0] == pytest.approx(80.642448, abs=1e-6)


def test_ratio_limits_match_funnelplotr_poisson_limits():
    """Source: FunnelPlotR tests/testthat/test-poisson_limits.R (calculate_limits with
    target 1 and draw_adjusted = FALSE, expected 15, 20 and 30, rounded as published)."""
    frame = funnel_limits([15, 20, 30], 1.0, "ratio")
    np.testing.assert_array_equal(
        np.round(frame["lower_95"].to_numpy(), 7), [0.5596924, 0.6108260, 0.6746958]
    )
    np.testing.assert_array_equal(
        np.round(frame["upper_95"].to_numpy(), 6), [1.649348, 1.544419, 1.427562]
    )
    np.testing.assert_array_equal(
        np.round(frame["lower_99_8"].to_numpy(), 7), [0.3862650, 0.4479107, 0.5289724]
    )
    np.testing.assert_array_equal(
        np.round(frame["upper_99_8"].to_numpy(), 6), [2.082907, 1.902094, 1.702771]
    )
    assert set(frame["method"]) == {"exact Poisson"}


def test_rate_limits_are_ratio_limits_scaled_by_target():
    rate = funnel_limits([1000, 50000], 0.002, "rate", multiplier=100_000)
    ratio = funnel_limits([2, 100], 1.0, "ratio", multiplier=200)
    for column in ("lower_95", "upper_95", "lower_99_8", "upper_99_8"):
        np.testing.assert_allclose(rate[column].to_numpy(), ratio[column].to_numpy(), rtol=1e-12)


def test_exact_proportion_limits_are_clopper_pearson_at_whole_counts():
    """At a whole expected count m the beta form equals the Clopper-Pearson limits, i.e. the
    exact binomial interval PHE describes (scipy.stats.binomtest as an independent check)."""
    from scipy.stats import binomtest

    n, theta = 40, 0.25  # m = 10
    frame = funnel_limits([n], theta, "proportion", confidence=(0.95,))
    interval = binomtest(10, n).proportion_ci(0.95, method="exact")
    assert frame["lower_95"][0] == pytest.approx(interval.low, rel=1e-9)
    assert frame["upper_95"][0] == pytest.approx(interval.high, rel=1e-9)


def test_funnel_limits_columns_and_one_row_per_denominator():
    frame = funnel_limits([500, 10, 200], 0.1, "proportion", multiplier=100)
    assert frame.columns == [
        "denominator",
        "target",
        "lower_95",
        "upper_95",
        "lower_99_8",
        "upper_99_8",
        "method",
    ]
    assert frame["denominator"].to_list() == [500, 10, 200]
    single = funnel_limits([100], 0.1, "proportion", confidence=0.9)
    assert single.columns == ["denominator", "target", "lower_90", "upper_90", "method"]


def test_positions_follow_funnelplotr_outlier_rule():
    """Source: FunnelPlotR tests/testthat/test-outliers_func.R: on a limit is inside it;
    outliers at 95% are rows 4-10 and at 99.8% rows 8-10."""
    value = np.array([1, 0.95, 1.05, 0.8, 1.2, 0.6, 1.4, 0.4, 1.6, 0])
    limits = {
        "lower_95": np.full(10, 0.9),
        "upper_95": np.full(10, 1.1),
        "lower_99_8": np.full(10, 0.59),
        "upper_99_8": np.full(10, 1.41),
    }
    position = _position(value, limits)
    assert [p != "within" for p in position] == [False] * 3 + [True] * 7
    assert [p.endswith("998") for p in position] == [False] * 7 + [True] * 3
    assert list(position[3:]) == [
        "below_95",
        "above_95",
        "below_95",
        "above_95",
        "below_998",
        "above_998",
        "below_998",
    ]
    on_limit = _position(np.array([1.1, 0.9]), {k: v[:2] for k, v in limits.items()})
    assert list(on_limit) == ["within", "within"]


def _units(numerators, denominators):
    return pl.DataFrame(
        {
            "unit": [f"P{i:05d}" for i in range(len(numerators))],
            "numerator": numerators,
            "denominator": denominators,
        }
    )


def _reference_overdispersion(observed, n, kind):
    """Spiegelhalter (2005, Qual Saf Health Care) step by step, written out independently."""
    theta = observed.sum() / n.sum()
    if kind == "proportion":
        y, t = np.arcsin(np.sqrt(observed / n)), np.arcsin(np.sqrt(theta))
    else:
        y, t = np.sqrt(observed / n), np.sqrt(theta)
    s = 1 / (2 * np.sqrt(n))
    z = (y - t) / s
    lo, hi = np.quantile(z, [0.1, 0.9])
    zw = np.minimum(np.maximum(z, lo), hi)
    i = len(z)
    phi = np.sum(zw**2) / i
    w = 1 / s**2
    tau2 = max(0.0, (i * phi - (i - 1)) / (w.sum() - (w**2).sum() / w.sum()))
    return phi, tau2, y, t, s


@pytest.fixture
def overdispersed():
    rng = np.random.default_rng(20050101)
    n = rng.integers(200, 5000, size=60).astype(float)
    true_p = np.clip(rng.normal(0.2, 0.05, size=60), 0.01, 0.99)
    return rng.binomial(n.astype(int), true_p).astype(float), n


@pytest.mark.parametrize("kind", ["proportion", "rate"])
def test_overdispersion_phi_and_tau2_follow_spiegelhalter(overdispersed, kind):
    observed, n = overdispersed
    phi, tau2, y, t, s = _reference_overdispersion(observed, n, kind)
    assert phi > 1
    frame = funnel_assess(_units(observed, n), kind, overdispersion="additive")
    assert frame["phi"][0] == pytest.approx(phi, rel=1e-12)
    assert frame["tau2"][0] == pytest.approx(tau2, rel=1e-12)
    np.testing.assert_allclose(
        frame["adjusted_z_score"].to_numpy(), (y - t) / np.sqrt(s**2 + tau2), rtol=1e-12
    )
    multiplicative = funnel_assess(_units(observed, n), kind, overdispersion="multiplicative")
    np.testing.assert_allclose(
        multiplicative["adjusted_z_score"].to_numpy(), (y - t) / s / np.sqrt(phi), rtol=1e-12
    )
    assert multiplicative["overdispersion_applied"].all()


def test_overdispersion_widens_limits_and_reclassifies(overdispersed):
    observed, n = overdispersed
    plain = funnel_assess(_units(observed, n), "proportion")
    additive = funnel_assess(_units(observed, n), "proportion", overdispersion="additive")
    assert (additive["upper_95"] >= plain["upper_95"] - 1e-3).all()
    outside_plain = (plain["position"] != "within").sum()
    outside_additive = (additive["position"] != "within").sum()
    assert outside_additive < outside_plain


def test_no_overdispersion_falls_back_to_unadjusted_limits_as_funnelplotr():
    """FunnelPlotR: when phi <= 1 it draws the unadjusted limits."""
    n = np.array([100.0, 200, 300, 400, 500, 600])
    observed = np.round(n * 0.2)
    frame = funnel_assess(_units(observed, n), "proportion", overdispersion="additive")
    assert frame["phi"][0] <= 1
    assert not frame["overdispersion_applied"].any()
    plain = funnel_assess(_units(observed, n), "proportion")
    assert frame["upper_95"].to_list() == plain["upper_95"].to_list()


def test_funnel_assess_output_columns_and_positions():
    frame = funnel_assess(
        _units([10, 90, 20, 25], [100, 100, 100, 100]), "proportion", multiplier=100
    )
    assert frame.columns == [
        "unit",
        "numerator",
        "denominator",
        "value",
        "target",
        "lower_95",
        "upper_95",
        "lower_99_8",
        "upper_99_8",
        "z_score",
        "adjusted_z_score",
        "phi",
        "tau2",
        "overdispersion_applied",
        "position",
    ]
    assert set(frame["position"]) <= set(POSITIONS)
    assert frame["target"][0] == pytest.approx(36.25)
    assert frame.filter(pl.col("unit") == "P00001")["position"][0] == "above_998"


def test_funnel_assess_sums_rows_of_the_same_unit_and_ratio_target_is_one():
    units = pl.DataFrame(
        {"practice": ["A", "A", "B", "C"], "obs": [5, 5, 30, 12], "exp": [4.0, 6.0, 20.0, 15.0]}
    )
    frame = funnel_assess(units, "ratio", unit="practice", numerator="obs", denominator="exp")
    assert frame["unit"].to_list() == ["A", "B", "C"]
    assert frame["numerator"].to_list() == [10, 30, 12]
    assert frame["target"][0] == 1.0


@pytest.mark.parametrize(
    ("units", "kind", "message"),
    [
        (_units([], []), "proportion", "empty"),
        (_units([1, 2], [10, 0]), "proportion", "greater than zero"),
        (_units([1, -2], [10, 10]), "rate", "zero or more"),
        (_units([11, 2], [10, 10]), "proportion", "must not exceed"),
        (_units([1.0, float("nan")], [10, 10]), "proportion", "NaN"),
        (_units([0, 0], [10, 10]), "proportion", "between 0 and 1"),
        (_units([1, 2], [10, 10]), "percent", "kind must be"),
        (pl.DataFrame({"unit": ["a"], "numerator": [1]}), "proportion", "lacks"),
    ],
)
def test_funnel_assess_refuses_degenerate_input(units, kind, message):
    expected = NotEnoughData if message == "empty" else StatsInputError
    with pytest.raises(expected, match=message):
        funnel_assess(units, kind)


def test_funnel_assess_overdispersion_needs_three_units():
    with pytest.raises(NotEnoughData, match="at least 3"):
        funnel_assess(_units([1, 2], [10, 10]), "proportion", overdispersion="additive")


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (([0, 10], 0.5, "proportion"), "greater than zero"),
        (([float("nan")], 0.5, "proportion"), "missing"),
        (([10], 1.5, "proportion"), "between 0 and 1"),
        (([10], 0.0, "rate"), "greater than zero"),
    ],
)
def test_funnel_limits_refuses_degenerate_input(args, message):
    with pytest.raises(StatsInputError, match=message):
        funnel_limits(*args)


# --- properties --------------------------------------------------------------------------

targets = st.floats(min_value=0.001, max_value=0.999)
sizes = st.lists(st.integers(min_value=1, max_value=10**6), min_size=1, max_size=25)


@settings(max_examples=150, deadline=None)
@given(sizes, targets, st.sampled_from(["exact", "normal"]))
def test_proportion_limits_inside_unit_interval_and_around_target(denominators, target, method):
    frame = funnel_limits(denominators, target, "proportion", method=method)
    for level in ("95", "99_8"):
        lower, upper = frame[f"lower_{level}"].to_numpy(), frame[f"upper_{level}"].to_numpy()
        assert ((lower >= 0) & (lower <= target + 1e-12)).all()
        assert ((upper <= 1) & (upper >= target - 1e-12)).all()
    assert (frame["lower_99_8"] <= frame["lower_95"] + 1e-12).all()


@settings(max_examples=150, deadline=None)
@given(sizes, targets, st.sampled_from(["proportion", "rate", "ratio"]))
def test_funnel_narrows_as_denominators_grow(denominators, target, kind):
    theta = target if kind == "proportion" else target * 3
    ordered = np.sort(np.unique(denominators)).astype(float)
    frame = funnel_limits(ordered, theta, kind)
    for level in ("95", "99_8"):
        assert (np.diff(frame[f"lower_{level}"].to_numpy()) >= -1e-12).all()
        assert (np.diff(frame[f"upper_{level}"].to_numpy()) <= 1e-12).all()


@settings(max_examples=60, deadline=None)
@given(sizes, targets)
def test_funnel_limits_array_agrees_with_one_at_a_time(denominators, target):
    frame = funnel_limits(denominators, target, "proportion")
    for i, n in enumerate(denominators):
        one = funnel_limits([n], target, "proportion")
        assert one.row(0) == frame.row(i)
