"""The savings arithmetic by hand, the Home Truths preset, Monte Carlo and tornado."""

from __future__ import annotations

import pytest

from careties.planning.presets import UnknownPresetError, get_preset
from careties.planning.savings import SavingsInputError, SavingsInputs, savings_scenario
from careties.planning.uncertainty import Distribution, monte_carlo, tornado

HAND = SavingsInputs(
    admissions_avoided_per_gp=2.0,
    residential_weekly_cost_gbp=800.0,
    nursing_weekly_cost_gbp=1_000.0,
    nursing_share=0.25,
    length_of_stay_weeks=100.0,
    community_weekly_cost_gbp=300.0,
    councils=3,
    gps_per_council=40,
    share_targeted=0.25,
)


def test_savings_arithmetic_by_hand():
    o = savings_scenario(HAND)
    assert o.gps_targeted_per_council == 10
    assert o.gps_targeted == 30
    assert o.people_per_year == 60
    assert o.people_per_year_per_council == 20
    assert o.people_per_gp == 2
    # care home: 0.75 x 800 + 0.25 x 1000 = 850 a week; net 850 - 300 = 550 x 100 weeks
    assert o.net_saving_per_person_gbp == pytest.approx(55_000)
    assert o.net_saving_gbp == pytest.approx(3_300_000)
    assert o.net_saving_per_council_gbp == pytest.approx(1_100_000)
    # first year: 52 weeks at most, half of it on average: 60 x 550 x 26
    assert o.first_year_saving_gbp == pytest.approx(60 * 550 * 26)


def test_shorter_alternative_and_short_stays():
    o = savings_scenario(HAND.replace(community_weeks=50.0))
    assert o.net_saving_per_person_gbp == pytest.approx(850 * 100 - 300 * 50)
    short = savings_scenario(HAND.replace(length_of_stay_weeks=26.0))
    # stay under a year: mean weeks within the year = 26 - 26^2 / 104 = 19.5
    assert short.first_year_saving_gbp == pytest.approx(60 * 550 * 19.5)


def test_impossible_inputs_are_refused():
    with pytest.raises(SavingsInputError):
        savings_scenario(HAND.replace(share_targeted=1.5))
    with pytest.raises(SavingsInputError):
        savings_scenario(HAND.replace(residential_weekly_cost_gbp=-1.0))


def test_home_truths_preset_reproduces_the_seed():
    preset = get_preset("home-truths-2014")
    o = preset.outcome()
    assert o.councils == 152
    assert o.share_targeted == 0.25
    assert o.gps_targeted_per_council == pytest.approx(52)
    assert o.gps_targeted == pytest.approx(7_904)
    assert o.people_per_year == pytest.approx(60_000)
    assert o.people_per_gp == pytest.approx(7.59, abs=0.01)
    assert o.people_per_gp < 8
    assert o.net_saving_gbp == pytest.approx(604_000_000)
    assert round(o.net_saving_per_person_gbp) == 10_067
    assert any("7,904" in line for line in preset.derivation())
    assert preset.stated["people_per_year"] == 60_000


def test_unknown_preset():
    with pytest.raises(UnknownPresetError, match="home-truths-2014"):
        get_preset("nope")


def test_monte_carlo_is_reproducible_with_a_seed():
    a = monte_carlo(HAND, n=5_000, seed=42)
    b = monte_carlo(HAND, n=5_000, seed=42)
    c = monte_carlo(HAND, n=5_000, seed=43)
    assert a.summary.equals(b.summary)
    assert not a.summary.equals(c.summary)


def test_monte_carlo_p50_agrees_with_deterministic_for_symmetric_inputs():
    distributions = {
        "admissions_avoided_per_gp": Distribution("normal", 2.0, 0.2),
        "residential_weekly_cost_gbp": Distribution("uniform", 700.0, 900.0),
        "community_weekly_cost_gbp": Distribution("triangular", 250.0, 300.0, 350.0),
    }
    result = monte_carlo(HAND, distributions, n=50_000, seed=1)
    deterministic = savings_scenario(HAND)
    assert result.percentile("net_saving_gbp", 50) == pytest.approx(
        deterministic.net_saving_gbp, rel=0.01
    )
    assert result.percentile("people_per_year", 50) == pytest.approx(60, rel=0.01)
    assert result.percentile("net_saving_gbp", 5) < deterministic.net_saving_gbp
    assert result.percentile("net_saving_gbp", 95) > deterministic.net_saving_gbp


def test_preset_monte_carlo_centres_on_the_seed():
    preset = get_preset("home-truths-2014")
    result = monte_carlo(preset.inputs, n=50_000, seed=0)
    # A product of uncertain factors has its median a little below the product of medians.
    assert result.percentile("net_saving_gbp", 50) == pytest.approx(604e6, rel=0.05)


def test_tornado_orders_inputs_by_swing():
    table = tornado(HAND)
    swings = table["swing"].to_list()
    assert swings == sorted(swings, reverse=True)
    assert table["input"][0] in ("admissions_avoided_per_gp", "length_of_stay_weeks")
    row = table.filter(table["input"] == "admissions_avoided_per_gp").row(0, named=True)
    # linear in avoided admissions: the output moves in proportion
    assert row["output_at_high"] / row["base"] == pytest.approx(row["high_value"] / 2.0)


def test_tornado_with_explicit_ranges():
    table = tornado(HAND, {"community_weekly_cost_gbp": (200.0, 400.0)})
    row = table.row(0, named=True)
    assert row["output_at_low"] == pytest.approx(60 * (850 - 200) * 100)
    assert row["output_at_high"] == pytest.approx(60 * (850 - 400) * 100)
