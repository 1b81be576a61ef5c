"""XmR charts against NHSRplotthedots (NHS-R's implementation of Making Data Count)."""

import datetime as dt
import warnings

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from careties.errors import NotEnoughData
from careties.stats import (
    ASSURANCE_ICONS,
    POINT_TYPES,
    VARIATION_ICONS,
    SPCWarning,
    StatsInputError,
    spc,
)

# NHSRplotthedots tests/testthat/test-ptd_spc_standard.R: set.seed(123); y = rnorm(20), dated
# 2020-01-02 onwards. Expected values from tests/testthat/_snaps/ptd_spc_standard.md.
RNORM_SEED_123 = [
    -0.56047565,
    -0.23017749,
    1.55870831,
    0.07050839,
    0.12928774,
    1.71506499,
    0.46091621,
    -1.26506123,
    -0.68685285,
    -0.44566197,
    1.22408180,
    0.35981383,
    0.40077145,
    0.11068272,
    -0.55584113,
    1.78691314,
    0.49785048,
    -1.96661716,
    0.70135590,
    -0.47279141,
]
DATES = [dt.date(2020, 1, 2) + dt.timedelta(days=i) for i in range(20)]


def chart(values, **kwargs):
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", SPCWarning)
        return spc(values, **kwargs)


def test_limits_match_nhsrplotthedots_snapshot():
    """Source: NHSRplotthedots _snaps/ptd_spc_standard.md, r1 (mean_col, lpl, upl)."""
    frame = spc(RNORM_SEED_123, dates=DATES)
    assert frame["mean"][0] == pytest.approx(0.1416238, abs=5e-8)
    assert frame["lower_process_limit"][0] == pytest.approx(-3.01138, abs=5e-6)
    assert frame["upper_process_limit"][0] == pytest.approx(3.294627, abs=5e-7)
    assert frame["relative_to_mean"].to_list()[:15] == [
        -1,
        -1,
        1,
        -1,
        -1,
        1,
        1,
        -1,
        -1,
        -1,
        1,
        1,
        1,
        -1,
        -1,
    ]
    assert not frame["outside_limits"].any()
    assert frame["date"].to_list() == DATES


def test_outlier_screening_matches_nhsrplotthedots_snapshot():
    """Source: NHSRplotthedots _snaps/ptd_spc_standard.md, r2 (screen_outliers = TRUE) and
    r3 (FALSE) with y[15] <- 10."""
    values = list(RNORM_SEED_123)
    values[14] = 10
    screened = spc(values)
    assert screened["mean"][0] == pytest.approx(0.6694159, abs=5e-8)
    assert screened["lower_process_limit"][0] == pytest.approx(-2.383666, abs=5e-7)
    assert screened["upper_process_limit"][0] == pytest.approx(3.722497, abs=5e-7)
    unscreened = spc(values, screen_outliers=False)
    assert unscreened["lower_process_limit"][0] == pytest.approx(-4.596625, abs=5e-7)
    assert unscreened["upper_process_limit"][0] == pytest.approx(5.935457, abs=5e-7)
    assert screened["relative_to_mean"].to_list()[:15] == [
        -1,
        -1,
        1,
        -1,
        -1,
        1,
        -1,
        -1,
        -1,
        -1,
        1,
        -1,
        -1,
        -1,
        1,
    ]


def test_process_limits_are_mean_plus_minus_2_66_mean_moving_range():
    values = [10, 12, 11, 13, 12, 11, 10, 12, 13, 11, 12, 10, 11, 12, 13]
    frame = spc(values)
    moving_range = np.abs(np.diff(values)).mean()
    assert frame["mean_moving_range"][0] == pytest.approx(moving_range)
    assert frame["upper_process_limit"][0] == pytest.approx(np.mean(values) + 2.66 * moving_range)
    assert frame["upper_two_sigma"][0] == pytest.approx(
        np.mean(values) + 2 / 3 * 2.66 * moving_range
    )
    assert frame["moving_range"][0] is None
    assert frame["moving_range"][1] == 2


def test_seven_point_trend_rule_as_nhsrplotthedots():
    """NHSRplotthedots test-ptd_calculate_point_type.R: 1:7 is a trend, 1:6 is not, and a tie
    (c(1:3, 3:6)) breaks it. Its ptd_seven_point_trend counts 7 points (6 steps)."""
    rising = chart([0, 20, 1, 2, 3, 4, 5, 6, 7, 0, 20, 0], improvement="up")
    rules = rising["special_cause_rule"].to_list()
    assert rules[2:9] == ["7 Point Trend (Increasing)"] * 7
    assert rules[:2] + rules[9:] == ["Common Cause"] * 5
    assert rising["point_type"].to_list()[2:9] == ["special_cause_improvement"] * 7
    six = chart([0, 20, 1, 2, 3, 4, 5, 6, 0, 20, 0])
    assert set(six["special_cause_rule"]) == {"Common Cause"}
    tied = chart([0, 20, 1, 2, 3, 3, 4, 5, 6, 0, 20, 0])
    assert set(tied["special_cause_rule"]) == {"Common Cause"}
    falling = chart([7, 6, 5, 4, 3, 2, 1, 20, 0, 20], improvement="up")
    assert falling["special_cause_rule"].to_list()[:7] == ["7 Point Trend (Decreasing)"] * 7
    assert falling["point_type"][0] == "special_cause_concern"


WIDE = [20, 0, 20, 0, 20, 0]  # mean 10, mean moving range 20: limits 10 +/- 53.2


def test_seven_points_one_side_of_mean_and_a_point_on_the_mean_breaks_the_run():
    """NHSRplotthedots ptd_seven_point_one_side_mean: 6 in a row is not enough, 7 is, and a
    point exactly on the mean (sign 0) breaks the run."""
    frame = chart(WIDE + [12, 14, 13, 15, 12, 14, 13] + [0, 20], improvement="down", baseline=6)
    rules = frame["special_cause_rule"].to_list()
    assert rules[6:13] == ["7 Points Above CL"] * 7
    assert rules[:6] + rules[13:] == ["Common Cause"] * 8
    assert frame["point_type"].to_list()[6:13] == ["special_cause_concern"] * 7
    six = chart(WIDE + [12, 14, 13, 15, 12, 14] + [0, 20], baseline=6)
    assert set(six["special_cause_rule"]) == {"Common Cause"}
    on_mean = chart(WIDE + [12, 14, 13, 10, 12, 14, 13, 12] + [0], baseline=6)
    assert on_mean["relative_to_mean"][9] == 0
    assert set(on_mean["special_cause_rule"]) == {"Common Cause"}
    below = chart(WIDE[::-1] + [8, 6, 7, 5, 8, 6, 7], improvement="down", baseline=6)
    assert below["special_cause_rule"].to_list()[6:] == ["7 Points Below CL"] * 7
    assert below["point_type"][6] == "special_cause_improvement"


def test_two_in_three_beyond_two_sigma():
    """Only the points beyond two sigma are flagged, and only when all three points of the
    window are on one side of the mean, as NHSRplotthedots' ptd_two_in_three and
    ptd_part_of_two_in_three."""
    frame = chart(WIDE + [12, 47, 12, 48, 12, 0], improvement="up", baseline=6)
    assert frame["close_to_limits"][7] and not frame["outside_limits"][7]
    rules = frame["special_cause_rule"].to_list()
    assert rules[7] == rules[9] == "2 in 3 Above CL"
    assert rules[8] == "Common Cause"
    assert frame["point_type"][7] == "special_cause_improvement"
    split = chart(WIDE + [12, 47, 5, 48, 12, 0], baseline=6)
    assert set(split["special_cause_rule"]) == {"Common Cause"}
    low = chart(WIDE + [8, -27, 8, -28, 8, 0], improvement="up", baseline=6)
    assert low["special_cause_rule"][7] == "2 in 3 Below CL"
    assert low["point_type"][7] == "special_cause_concern"


def test_outside_limits_wins_over_other_rules():
    values = [10, 11, 10, 11, 10, 11, 10, 11, 10, 11, 10, 11, 10, 30, 10, 11]
    frame = chart(values, improvement="down")
    assert frame["special_cause_rule"][13] == "Above UCL"
    assert frame["point_type"][13] == "special_cause_concern"
    neutral = chart(values)
    assert neutral["point_type"][13] == "special_cause_neutral_high"


def test_variation_and_assurance_icons():
    """Icons as NHSRplotthedots ptd_get_icons / ptd_calculate_assurance_type: the variation
    icon from the last point; assurance from the target against the process limits."""
    values = [10, 11, 10, 11, 10, 11, 10, 11, 10, 11, 10, 11, 10, 11, 10, 30]
    frame = chart(values, improvement="down", target=50)
    last = frame.row(-1, named=True)
    assert last["variation_icon"] == "concern_high"
    assert last["assurance_icon"] == "consistent_pass"
    assert chart(values, improvement="up", target=50)["assurance_icon"][0] == "consistent_fail"
    assert chart(values, improvement="up")["variation_icon"][0] == "improvement_high"
    assert chart(values, improvement="down", target=11)["assurance_icon"][0] == "inconsistent"
    assert chart(values, improvement="down", target=-50)["assurance_icon"][0] == "consistent_fail"
    assert chart(values, target=11)["assurance_icon"][0] is None
    assert chart(values)["variation_icon"][0] == "neutral_high"
    falling = chart(list(reversed(range(20))), improvement="down")
    assert falling["variation_icon"][0] == "improvement_low"


def test_baseline_fixes_limits_on_the_first_points():
    values = [10, 11, 10, 11, 10, 11, 10, 11, 10, 11, 20, 21, 20, 21, 20]
    frame = chart(values, baseline=10)
    assert frame["mean"][0] == pytest.approx(10.5)
    assert frame["mean_moving_range"][0] == pytest.approx(1.0)
    assert frame["special_cause_rule"][10] == "Above UCL"


def test_rebase_gives_each_period_its_own_limits():
    values = [10, 11, 10, 11, 10, 11, 10, 11, 10, 11, 10, 11, 10, 11] + [20, 21] * 7
    dates = [dt.date(2023, 4, 1) + dt.timedelta(days=7 * i) for i in range(28)]
    frame = spc(values, dates=dates, rebase_at=[dates[14]])
    assert frame["period"].to_list() == [0] * 14 + [1] * 14
    assert frame["mean"][0] == pytest.approx(10.5)
    assert frame["mean"][20] == pytest.approx(20.5)
    assert frame["moving_range"][14] is None
    assert set(frame["special_cause_rule"]) == {"Common Cause"}
    by_position = chart(values, rebase_at=[14])
    assert by_position["period"].to_list() == frame["period"].to_list()


def test_dates_order_the_points():
    dates = [dt.date(2024, 1, 1) + dt.timedelta(days=i) for i in range(15)]
    values = list(range(15))
    frame = chart(values[::-1], dates=dates[::-1])
    assert frame["date"].to_list() == dates
    assert frame["value"].to_list() == values
    assert frame["position"][0] == 14


def test_short_series_warns_and_flags_trial_limits():
    with pytest.warns(SPCWarning, match="trial limits"):
        frame = spc([1, 2, 3, 2, 1])
    assert frame["short_period"].all()
    assert set(frame["special_cause_rule"]) == {"Common Cause"}


@pytest.mark.parametrize(
    ("kwargs", "message"),
    [
        ({"values": []}, "empty"),
        ({"values": [1.0]}, "at least 2"),
        ({"values": [1.0, float("nan"), 3.0]}, "missing"),
        ({"values": [1, 2, 3], "improvement": "better"}, "improvement"),
        ({"values": [1, 2, 3], "baseline": 1}, "baseline"),
        ({"values": [1, 2, 3], "dates": [1, 1, 2]}, "unique"),
        ({"values": [1, 2, 3], "dates": [1, 2]}, "same length"),
        ({"values": [1, 2, 3, 4], "rebase_at": [3]}, "at least 2"),
        ({"values": [1, 2, 3, 4], "rebase_at": [9]}, "positions"),
        ({"values": [1, 2, 3, 4], "dates": [1, 2, 3, 4], "rebase_at": [7]}, "not one of"),
    ],
)
def test_degenerate_series_raise_clear_errors(kwargs, message):
    # Too few points is a state the dashboard shows in words (NotEnoughData).
    expected = NotEnoughData if message in ("empty", "at least 2") else StatsInputError
    with pytest.raises(expected, match=message), warnings.catch_warnings():
        warnings.simplefilter("ignore", SPCWarning)
        spc(**kwargs)


@settings(max_examples=100, deadline=None)
@given(
    st.lists(st.floats(min_value=-1e6, max_value=1e6, allow_nan=False), min_size=2, max_size=60),
    st.sampled_from(["up", "down", None]),
)
def test_chart_invariants(values, improvement):
    frame = chart(values, improvement=improvement, target=0.0)
    assert frame.height == len(values)
    assert (frame["lower_process_limit"] <= frame["mean"]).all()
    assert (frame["mean"] <= frame["upper_process_limit"]).all()
    assert set(frame["point_type"]) <= set(POINT_TYPES)
    assert set(frame["variation_icon"]) <= set(VARIATION_ICONS)
    icons = set(frame["assurance_icon"].drop_nulls())
    assert icons <= set(ASSURANCE_ICONS)
    assert (frame["special_cause"] == (frame["special_cause_rule"] != "Common Cause")).all()
    outside = frame["special_cause_rule"].is_in(["Above UCL", "Below LCL"])
    assert (frame["outside_limits"] == outside).all()
