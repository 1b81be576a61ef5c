"""ASCOF 2C per council, checked by hand."""

from __future__ import annotations

import polars as pl
import pytest

from careties.data.frames import CANONICAL
from careties.referrals.ascof import ONS_ESTIMATE, REGISTERED_PROXY, ascof_2c

from .helpers import events, practices, registered


def population(rows):
    return pl.DataFrame(
        [{"la_code": la, "year": y, "population_65_plus": p} for la, y, p in rows],
        schema=CANONICAL["population"],
    )


@pytest.fixture
def council_events():
    rows = [{"person_key": f"P{i}", "start_date": "2023-06-01"} for i in range(1, 8)]
    rows += [
        # the same person again in the year: not counted twice
        {"person_key": "P1", "start_date": "2023-11-01", "service_type": "long_term_nursing"},
        # under 65: not counted
        {"person_key": "Y1", "start_date": "2023-06-01", "age": 60},
        # 2022-23: one admission, a different measure name
        {"person_key": "Q1", "start_date": "2023-01-10"},
    ]
    return events(*rows)


def test_rate_per_100k_from_ons_estimate_rounded_to_1dp(council_events):
    result = ascof_2c(council_events, population([("E06000001", 2023, 3000)]))
    row = result.filter(pl.col("financial_year") == "2023-24").row(0, named=True)
    assert row["admissions_65_plus"] == 7
    assert row["population_65_plus"] == 3000
    assert row["denominator_source"] == ONS_ESTIMATE
    # 7 / 3000 * 100,000 = 233.333... -> 233.3
    assert row["rate_per_100k"] == 233.3
    assert row["measure"] == "ASCOF 2C"
    assert row["lower_95"] < 233.3 < row["upper_95"]


def test_measure_name_before_2023_24(council_events):
    result = ascof_2c(council_events, population([("E06000001", 2022, 2000)]))
    row = result.filter(pl.col("financial_year") == "2022-23").row(0, named=True)
    assert row["measure"] == "ASCOF 2A(2)"
    assert row["admissions_65_plus"] == 1
    assert row["rate_per_100k"] == 50.0


def test_nearest_estimate_year_is_used_and_stated(council_events):
    result = ascof_2c(council_events, population([("E06000001", 2021, 3500)]))
    row = result.filter(pl.col("financial_year") == "2023-24").row(0, named=True)
    assert row["population_year"] == 2021
    assert row["rate_per_100k"] == 200.0


def test_registered_patients_are_a_labelled_proxy(council_events):
    patients = registered([("A81001", "65_69", 1500), ("A81002", "80_84", 1300)], "2023-09-01")
    pracs = practices([("A81001", "E06000001"), ("A81002", "E06000001")])
    result = ascof_2c(council_events, registered_patients=patients, practices=pracs)
    row = result.filter(pl.col("financial_year") == "2023-24").row(0, named=True)
    assert row["population_65_plus"] == 2800
    assert row["denominator_source"] == REGISTERED_PROXY
    assert row["rate_per_100k"] == 250.0


def test_ons_estimate_wins_over_proxy(council_events):
    patients = registered([("A81001", "65_69", 1500)])
    pracs = practices([("A81001", "E06000001")])
    result = ascof_2c(
        council_events,
        population([("E06000001", 2023, 3000)]),
        registered_patients=patients,
        practices=pracs,
    )
    row = result.filter(pl.col("financial_year") == "2023-24").row(0, named=True)
    assert row["denominator_source"] == ONS_ESTIMATE


def test_council_without_admissions_scores_zero(council_events):
    result = ascof_2c(
        council_events,
        population([("E06000001", 2023, 3000), ("E06000002", 2023, 1000)]),
        la_codes=["E06000002"],
    )
    row = result.filter(
        (pl.col("la_code") == "E06000002") & (pl.col("financial_year") == "2023-24")
    ).row(0, named=True)
    assert row["admissions_65_plus"] == 0
    assert row["rate_per_100k"] == 0.0


def test_no_denominator_means_no_rate(council_events):
    result = ascof_2c(council_events)
    assert result["rate_per_100k"].null_count() == result.height
