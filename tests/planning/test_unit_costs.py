"""The savings scenario's unit costs: defaults with sources, ranges, and per stay against per year."""

from __future__ import annotations

import math

import pytest

from careties.planning.presets import get_preset
from careties.planning.savings import SavingsInputError, SavingsInputs, savings_scenario
from careties.planning.unit_costs import BY_NAME, UNIT_COSTS, check_unit_cost, savings_inputs


def test_every_council_input_of_the_scenario_has_a_unit_cost_entry_with_a_source():
    fields = set(SavingsInputs.__dataclass_fields__)
    assert {c.name for c in UNIT_COSTS} <= fields
    for cost in UNIT_COSTS:
        assert cost.source and cost.as_of
        assert cost.default is None or cost.low <= cost.default <= cost.high, cost.name
    # The default stay is within the published range it cites (Forder and Fernández 2011:
    # median 462 days, mean 801 days).
    stay = BY_NAME["length_of_stay_weeks"]
    assert stay.published and 462 / 7 <= stay.default <= 801 / 7


def test_no_saved_values_gives_the_scenarios_own_defaults():
    assert savings_inputs({}, gps_per_council=120) == SavingsInputs(gps_per_council=120)


@pytest.mark.parametrize(
    ("name", "value"),
    [
        ("residential_weekly_cost_gbp", 12.0),
        ("residential_weekly_cost_gbp", 120_000.0),
        ("nursing_share", 1.2),
        ("length_of_stay_weeks", 0.0),
        ("length_of_stay_weeks", math.nan),
        ("admissions_avoided_per_gp", -1.0),
        ("length_of_stay_weeks", None),
    ],
)
def test_implausible_values_are_refused_by_name(name, value):
    with pytest.raises(SavingsInputError, match=f"(?i){BY_NAME[name].label}"):
        check_unit_cost(name, value)
    with pytest.raises(SavingsInputError):
        savings_inputs({name: value}, gps_per_council=100)


def test_support_at_home_may_be_left_to_last_as_long_as_the_stay():
    check_unit_cost("community_weeks", None)
    assert savings_inputs({"community_weeks": None}).community_weeks is None


def test_a_percentage_is_typed_and_kept_as_a_share():
    share = BY_NAME["nursing_share"]
    assert share.kept(35.0) == pytest.approx(0.35)
    assert share.format(0.35) == "35%"
    assert BY_NAME["residential_weekly_cost_gbp"].format(1250) == "£1,250 a week"


def test_saving_per_stay_is_saving_per_year_times_the_stay_in_years():
    # Worked by hand: (1,000 a week - 400 a week) over a 78-week stay = £46,800 a stay,
    # = £31,200 a year of care (46,800 / 1.5 years).
    outcome = savings_scenario(
        SavingsInputs(
            residential_weekly_cost_gbp=1_000,
            nursing_share=0,
            length_of_stay_weeks=78,
            community_weekly_cost_gbp=400,
        )
    )
    assert outcome.net_saving_per_person_gbp == pytest.approx(46_800)
    assert outcome.net_saving_per_person_per_year_gbp == pytest.approx(31_200)


def test_a_stated_saving_has_no_per_year_figure_of_its_own():
    """Home Truths states £604m / 60,000 people a year and no stay: nothing to divide by."""
    outcome = get_preset("home-truths-2014").outcome()
    assert outcome.net_saving_per_person_gbp == pytest.approx(604e6 / 60_000)
    assert outcome.net_saving_per_person_per_year_gbp is None
