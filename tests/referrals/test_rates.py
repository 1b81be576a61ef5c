"""Admission and alternative rates per practice, checked against hand arithmetic."""

from __future__ import annotations

import math

import pytest

from careties.referrals.rates import outcome_mix, patients_65_plus, practice_rates

from .helpers import events, practices, registered


@pytest.fixture
def two_practices():
    evs = events(
        # A81001: 3 admissions, 1 home care start, 1 under-65 admission (not counted)
        {"person_key": "P1", "start_date": "2023-05-01"},
        {"person_key": "P2", "start_date": "2023-06-01", "service_type": "long_term_nursing"},
        {"person_key": "P3", "start_date": "2023-07-01"},
        {"person_key": "P4", "start_date": "2023-07-01", "age": 50},
        {"person_key": "P5", "start_date": "2023-08-01", "service_type": "home_care"},
        # the same person's second home care start in the year: one start
        {"person_key": "P5", "start_date": "2023-09-01", "service_type": "home_care"},
        # A81002: 1 admission
        {"person_key": "P6", "start_date": "2023-05-01", "practice_code": "A81002"},
    )
    patients = registered(
        [
            ("A81001", "65_69", 400),
            ("A81001", "70_74", 350),
            ("A81001", "95+", 250),
            ("A81001", "60_64", 9999),  # not 65+
            ("A81002", "65_69", 500),
        ]
    )
    pracs = practices([("A81001", "E06000001"), ("A81002", "E06000001"), ("A81003", "E06000001")])
    return evs, patients, pracs


def test_patients_65_plus_uses_all_or_sums_sexes():
    import polars as pl

    from careties.data.frames import CANONICAL

    frame = (
        pl.DataFrame(
            [
                ("A81001", "2023-04-01", "ALL", "65_69", 10),
                ("A81001", "2023-04-01", "MALE", "65_69", 4),
                ("A81001", "2023-04-01", "FEMALE", "65_69", 6),
                ("A81002", "2023-04-01", "MALE", "70_74", 3),
                ("A81002", "2023-04-01", "FEMALE", "70_74", 5),
            ],
            schema=["practice_code", "extract_date", "sex", "age_band", "patients"],
            orient="row",
        )
        .with_columns(pl.col("extract_date").str.to_date())
        .cast(CANONICAL["registered_patients"])
    )
    result = dict(
        patients_65_plus(frame).collect().select("practice_code", "patients_65_plus").rows()
    )
    assert result == {"A81001": 10, "A81002": 8}


def test_admission_rate_per_1000_patients_65_plus(two_practices):
    rates = practice_rates(*two_practices)
    row = rates.filter(
        (rates["practice_code"] == "A81001") & (rates["outcome"] == "residential_admissions")
    ).row(0, named=True)
    assert row["period"] == "2023-24"
    assert row["count"] == 3
    assert row["patients_65_plus"] == 1000
    assert row["rate_per_1000"] == pytest.approx(3.0)
    # exact Poisson for 3 events: 0.6187 to 8.7673 per 1,000
    assert row["lower_95"] == pytest.approx(0.6187, abs=1e-4)
    assert row["upper_95"] == pytest.approx(8.7673, abs=1e-4)


def test_alternatives_count_new_starts_per_person(two_practices):
    rates = practice_rates(*two_practices)
    home_care = rates.filter(
        (rates["practice_code"] == "A81001") & (rates["outcome"] == "home_care")
    ).row(0, named=True)
    assert home_care["count"] == 1
    assert home_care["rate_per_1000"] == pytest.approx(1.0)


def test_practice_without_events_or_patients_shows_zero_and_no_rate(two_practices):
    rates = practice_rates(*two_practices)
    empty = rates.filter(rates["practice_code"] == "A81003")
    assert empty.height == 5
    assert empty["count"].sum() == 0
    assert empty["rate_per_1000"].null_count() == 5


def test_other_practice_rate(two_practices):
    rates = practice_rates(*two_practices)
    row = rates.filter(
        (rates["practice_code"] == "A81002") & (rates["outcome"] == "residential_admissions")
    ).row(0, named=True)
    assert row["rate_per_1000"] == pytest.approx(2.0)


def test_outcome_mix_puts_admissions_beside_alternatives(two_practices):
    mix = outcome_mix(practice_rates(*two_practices))
    row = mix.filter(mix["practice_code"] == "A81001").row(0, named=True)
    assert row["residential_admissions"] == 3
    assert row["home_care"] == 1
    assert row["admission_share"] == pytest.approx(0.75)
    empty = mix.filter(mix["practice_code"] == "A81003").row(0, named=True)
    assert empty["admission_share"] is None or math.isnan(empty["admission_share"])


def test_monthly_periods(two_practices):
    rates = practice_rates(*two_practices, period="month")
    admissions = rates.filter(
        (rates["practice_code"] == "A81001") & (rates["outcome"] == "residential_admissions")
    )
    by_month = dict(zip(admissions["period"], admissions["count"], strict=True))
    assert by_month["2023-05"] == 1
    assert by_month["2023-06"] == 1
    assert by_month["2023-07"] == 1
    assert by_month["2023-08"] == 0
