"""Wilson, Byar and exact Poisson intervals against PHEindicatormethods' published test data.

Sources (UKHSA, ukhsa-collaboration/PHEindicatormethods, tests/testthat/):
- testdata_Byars_Wilson.xlsx, sheet testdata_B_W ("BW" below);
- testdata_Proportion.xlsx, sheets testdata_Prop and testdata_Prop_g ("Prop");
- testdata_Rate.xlsx, sheets testdata_Rate and testdata_Rate_g ("Rate").
"""

import math

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from scipy.stats import chi2

from careties.stats import StatsInputError, byar_ci, rate_ci, wilson_ci
from careties.stats._validate import z_for
from careties.stats.intervals import _byar_lower, _byar_upper

REL = 1e-9

# testdata_B_W rows 7-12: x, n, lower, upper, confidence (method Wilson).
BW_WILSON = [
    (65, 100, 0.5525444329688797, 0.7363575175690247, 0.95),
    (1045, 5000, 0.19795549880013297, 0.22049130373189027, 0.95),
    (0.445, 1, 0.04381744772058822, 0.9334621276979156, 0.95),
    (65, 100, 0.4954946574070431, 0.7783540614089697, 0.998),
    (1045, 5000, 0.19179381799015244, 0.22731562902525818, 0.998),
    (0.445, 1, 0.019347006132900975, 0.9702259947019541, 0.998),
]

# testdata_Prop (multiplier 1): numerator, denominator, lower95, upper95, lower99.8, upper99.8.
PROP = [
    (1, 100, 0.0017674320641406511, 0.054486196178705294, 0.000873065697299977, 0.1045544528370582),
    (5, 100, 0.02154367915436798, 0.11175046923191911, 0.013865320725997183, 0.16458852282596442),
    (20, 100, 0.1333669333310325, 0.28882916559315885, 0.10519162066711432, 0.3471109417008601),
    (65, 100, 0.5525444329688797, 0.7363575175690247, 0.4954946574070431, 0.7783540614089697),
    (9856, 12345, 0.7912101752909069, 0.8053640073614909, 0.7869924108419063, 0.8093061412589626),
    (
        7776456,
        7564336677,
        0.0010273201001641094,
        0.0010287644578977231,
        0.0010269040118442213,
        0.0010291812992698397,
    ),
    (
        222,
        3215,
        0.060791690363636595,
        0.07833956681383633,
        0.05647101964624248,
        0.08418414185270134,
    ),
    (999, 3456, 0.27418951080009873, 0.30440389662818057, 0.26583995768074953, 0.3134475449279985),
]

# testdata_Rate (multiplier 100): numerator, denominator, value, lower95, upper95, lower99.8,
# upper99.8, method. Areas 1-2 are below 10 events and use the exact Poisson interval.
RATE = [
    (
        1,
        100,
        1,
        0.025317807984289897,
        5.571643390938898,
        0.0010005003335835344,
        9.233413476451585,
        "Exact",
    ),
    (
        5,
        100,
        5,
        1.62348639011842,
        11.668332079322669,
        0.739371731917839,
        16.454745203680105,
        "Exact",
    ),
    (
        20,
        100,
        20,
        12.211428834875937,
        30.889880369197066,
        8.922802365144193,
        38.08503562504191,
        "Byars",
    ),
    (
        65,
        100,
        65,
        50.163187710459454,
        82.84913854593984,
        42.8802614714802,
        94.00029084431802,
        "Byars",
    ),
    (
        9856,
        12345,
        79.83799108950991,
        78.26949058976757,
        81.4300165427214,
        77.37590543271052,
        82.3544727709543,
        "Byars",
    ),
    (
        7776456,
        7564336677,
        0.10280420256339154,
        0.10273196005302074,
        0.10287648334092832,
        0.102690317308454,
        0.10291817639509068,
        "Byars",
    ),
    (
        222,
        3215,
        6.905132192846033,
        6.026574877652675,
        7.87572937087185,
        5.560737695259854,
        8.46104668173341,
        "Byars",
    ),
    (
        999,
        3456,
        28.90625,
        27.14130493609052,
        30.755833237378415,
        26.162147596445767,
        31.845604819822654,
        "Byars",
    ),
    (
        250,
        220,
        113.63636363636365,
        99.984947385328760,
        128.63114487455782,
        92.71000554438953,
        137.65123772147458,
        "Byars",
    ),  # Area12 of the 1e5 block, rescaled to per 100
]


@pytest.mark.parametrize(("x", "n", "lower", "upper", "confidence"), BW_WILSON)
def test_wilson_matches_pheindicatormethods_bw_workbook(x, n, lower, upper, confidence):
    """Source: PHEindicatormethods testdata_Byars_Wilson.xlsx, testdata_B_W, Wilson rows."""
    got = wilson_ci(x, n, confidence)
    assert got == pytest.approx((lower, upper), rel=REL)


def test_wilson_matches_phe_proportion_workbook_as_arrays():
    """Source: PHEindicatormethods testdata_Proportion.xlsx, testdata_Prop (multiplier 1)."""
    table = np.array(PROP, dtype=float)
    x, n = table[:, 0], table[:, 1]
    lower95, upper95 = wilson_ci(x, n, 0.95)
    lower998, upper998 = wilson_ci(x, n, 0.998)
    np.testing.assert_allclose(lower95, table[:, 2], rtol=REL)
    np.testing.assert_allclose(upper95, table[:, 3], rtol=REL)
    np.testing.assert_allclose(lower998, table[:, 4], rtol=REL)
    np.testing.assert_allclose(upper998, table[:, 5], rtol=REL)


def test_wilson_matches_phe_proportion_grouped_sheet():
    """Source: PHEindicatormethods testdata_Proportion.xlsx, testdata_Prop_g (95%)."""
    assert wilson_ci(2, 200) == pytest.approx((0.002746658133544438, 0.035721761716176796), rel=REL)
    assert wilson_ci(15552912, 15128673354) == pytest.approx(
        (0.0010275314947741198, 0.0010285528098907119), rel=REL
    )


def test_rate_matches_phe_rate_workbook_and_switches_to_exact_below_10():
    """Source: PHEindicatormethods testdata_Rate.xlsx, testdata_Rate (multiplier 100)."""
    for x, n, value, l95, u95, l998, u998, _method in RATE:
        rate, lower, upper = rate_ci(x, n, multiplier=100)
        assert rate == pytest.approx(value, rel=REL)
        assert (lower, upper) == pytest.approx((l95, u95), rel=REL)
        _, lower, upper = rate_ci(x, n, multiplier=100, confidence=0.998)
        assert (lower, upper) == pytest.approx((l998, u998), rel=REL)


def test_rate_per_100000_matches_phe_rate_grouped_sheet():
    """Source: PHEindicatormethods testdata_Rate.xlsx, testdata_Rate_g: 2 events (exact) and
    10 events (Byar's: the switch is at exactly 10, `x < 10` is exact)."""
    assert rate_ci(2, 200)[1:] == pytest.approx((121.10463927198258, 3612.3438338619794), rel=REL)
    assert rate_ci(10, 200)[1:] == pytest.approx((2393.7249569837822, 9195.729302878237), rel=REL)


def test_raw_byar_formula_matches_bw_workbook():
    """Source: PHEindicatormethods testdata_Byars_Wilson.xlsx, testdata_B_W Byars rows (the
    internal byars_lower/byars_upper, which apply Byar's formula even to small counts)."""
    z95, z998 = z_for(0.95), z_for(0.998)
    x = np.array([65.0, 1045.0, 1.0])
    np.testing.assert_allclose(
        _byar_lower(x, z95), [50.163187710459454, 982.5932018073325, 0.01307213290150435], rtol=REL
    )
    np.testing.assert_allclose(
        _byar_upper(x, z95), [82.84913854593984, 1110.33121298565, 5.5637555824752605], rtol=REL
    )
    x = np.array([65.0, 1045.0, 10.0])
    np.testing.assert_allclose(
        _byar_lower(x, z998), [42.8802614714802, 947.9407035610374, 2.916318374695686], rtol=REL
    )
    np.testing.assert_allclose(
        _byar_upper(x, z998), [94.00029084431802, 1148.806160988033, 24.193724927880535], rtol=REL
    )


def test_byar_ci_uses_exact_below_10_and_byar_from_10():
    """Switch point per PHEindicatormethods phe_rate: if_else(x < 10, exact, byars)."""
    assert byar_ci(9) == pytest.approx(
        (chi2.ppf(0.025, 18) / 2, chi2.ppf(0.975, 20) / 2), rel=1e-12
    )
    assert byar_ci(10)[0] == pytest.approx(_byar_lower(np.array([10.0]), z_for(0.95))[0], rel=REL)
    assert byar_ci(65) == pytest.approx((50.163187710459454, 82.84913854593984), rel=REL)


def test_count_zero_has_lower_zero_and_exact_upper():
    lower, upper = byar_ci(0)
    assert lower == 0.0
    assert upper == pytest.approx(-math.log(0.025), rel=1e-12)
    rate, lower, upper = rate_ci(0, 1000)
    assert (rate, lower) == (0.0, 0.0)


def test_wilson_at_zero_and_at_n():
    assert wilson_ci(0, 50)[0] == 0.0
    assert wilson_ci(50, 50)[1] == 1.0


@pytest.mark.parametrize(
    ("call", "message"),
    [
        (lambda: wilson_ci(-1, 10), "zero or more"),
        (lambda: wilson_ci(1, 0), "greater than zero"),
        (lambda: wilson_ci(11, 10), "must not exceed"),
        (lambda: wilson_ci(1, 10, confidence=95), "between 0 and 1"),
        (lambda: byar_ci([3, -4]), "zero or more"),
        (lambda: rate_ci(3, 0), "greater than zero"),
        (lambda: rate_ci(3, -10), "greater than zero"),
        (lambda: wilson_ci("a", 10), "must be numbers"),
        (lambda: byar_ci(np.inf), "finite"),
    ],
)
def test_impossible_input_raises_clear_error(call, message):
    with pytest.raises(StatsInputError, match=message):
        call()


def test_missing_values_give_missing_limits_like_phe_workbook():
    """PHEindicatormethods' workbooks give NA for a missing numerator or denominator
    (testdata_Prop and testdata_Rate Area09-Area11); careties gives NaN for that unit only."""
    lower, upper = wilson_ci([np.nan, 5, 10], [100, np.nan, 100])
    assert np.isnan(lower[:2]).all() and np.isnan(upper[:2]).all()
    assert not np.isnan(lower[2])
    _, lower, upper = rate_ci([np.nan, 10], [100, 200])
    assert np.isnan(lower[0]) and not np.isnan(lower[1])


def test_empty_arrays_give_empty_results():
    lower, upper = wilson_ci(np.array([]), np.array([]))
    assert lower.shape == (0,) and upper.shape == (0,)
    lower, upper = byar_ci(np.array([]))
    assert lower.shape == (0,)


# --- properties --------------------------------------------------------------------------

trials = st.integers(min_value=1, max_value=10**7)
levels = st.sampled_from([0.9, 0.95, 0.99, 0.998])


@st.composite
def proportions(draw):
    n = draw(trials)
    return draw(st.integers(min_value=0, max_value=n)), n


@settings(max_examples=200, deadline=None)
@given(proportions(), levels)
def test_wilson_inside_unit_interval_and_contains_estimate(case, confidence):
    x, n = case
    lower, upper = wilson_ci(x, n, confidence)
    assert 0.0 <= lower <= x / n <= upper <= 1.0


@settings(max_examples=200, deadline=None)
@given(proportions(), st.integers(min_value=2, max_value=50), levels)
def test_wilson_narrows_as_denominator_grows(case, factor, confidence):
    x, n = case
    lower, upper = wilson_ci(x, n, confidence)
    big_lower, big_upper = wilson_ci(x * factor, n * factor, confidence)
    assert big_upper - big_lower < upper - lower


@settings(max_examples=100, deadline=None)
@given(st.lists(proportions(), min_size=1, max_size=30), levels)
def test_wilson_array_agrees_with_scalar_calls(cases, confidence):
    x = np.array([c[0] for c in cases])
    n = np.array([c[1] for c in cases])
    lower, upper = wilson_ci(x, n, confidence)
    for i, (xi, ni) in enumerate(cases):
        assert (lower[i], upper[i]) == wilson_ci(int(xi), int(ni), confidence)


@settings(max_examples=200, deadline=None)
@given(st.integers(min_value=0, max_value=10**8), levels)
def test_count_interval_contains_count_and_is_non_negative(count, confidence):
    lower, upper = byar_ci(count, confidence)
    assert 0.0 <= lower <= count <= upper


@settings(max_examples=200, deadline=None)
@given(st.integers(min_value=1, max_value=10**6), st.integers(min_value=2, max_value=50), levels)
def test_rate_interval_narrows_relative_to_rate_as_population_grows(count, factor, confidence):
    rate, lower, upper = rate_ci(count, 1000, confidence=confidence)
    big_rate, big_lower, big_upper = rate_ci(count * factor, 1000 * factor, confidence=confidence)
    assert big_rate == pytest.approx(rate)
    assert big_upper - big_lower < upper - lower


@settings(max_examples=100, deadline=None)
@given(st.lists(st.integers(min_value=0, max_value=10**6), min_size=1, max_size=40), levels)
def test_byar_array_agrees_with_scalar_calls(counts, confidence):
    lower, upper = byar_ci(np.array(counts), confidence)
    for i, count in enumerate(counts):
        assert (lower[i], upper[i]) == byar_ci(count, confidence)
