"""Highest potential referrers: attribution, indirect standardisation and the target set."""

from __future__ import annotations

import polars as pl
import pytest

from careties.data.frames import CANONICAL
from careties.referrals.referrers import (
    AGE_STANDARDISED,
    CRUDE,
    age_band,
    highest_potential_referrers,
    target_count,
)

from .helpers import events, registered


def professionals(rows):
    return pl.DataFrame(
        [
            {"professional_id": p, "role": "gp", "organisation": org, "la_code": "E06000001"}
            for p, org in rows
        ],
        schema=CANONICAL["professionals"],
    )


@pytest.fixture
def council():
    rows = [
        # window: 1 April 2023 to 31 March 2024 (12 months)
        {"person_key": "W1", "start_date": "2023-04-01", "event_type": "assessment"},
        {"person_key": "W2", "start_date": "2024-03-31", "event_type": "assessment"},
    ]
    rows += [
        {"person_key": f"G1-{i}", "start_date": "2023-06-01", "age": 67, "professional_id": "G1"}
        for i in range(6)
    ]
    rows += [
        {"person_key": "G3-0", "start_date": "2023-06-01", "age": 67, "professional_id": "G3"},
        *[
            {
                "person_key": f"G3-{i}",
                "start_date": "2023-06-01",
                "age": 87,
                "professional_id": "G3",
            }
            for i in range(1, 4)
        ],
    ]
    for row in rows[-4:]:
        row["practice_code"] = "A81002"
    rows += [
        {"person_key": "G4-0", "start_date": "2023-06-01", "age": 67, "professional_id": "G4"},
        # the service names no one: the referrer comes from the person's earlier request
        {
            "person_key": "G4-1",
            "start_date": "2023-05-01",
            "event_type": "request",
            "service_type": None,
            "professional_id": "G4",
        },
        {"person_key": "G4-1", "start_date": "2023-07-01", "age": 67, "professional_id": None},
    ]
    for row in rows[-3:]:
        row["practice_code"] = "A81003"
    patients = registered(
        [
            ("A81001", "65_69", 1000),
            ("A81002", "65_69", 500),
            ("A81002", "85_89", 500),
            ("A81003", "65_69", 1000),
        ]
    )
    pros = professionals([("G1", "A81001"), ("G2", "A81001"), ("G3", "A81002"), ("G4", "A81003")])
    return events(*rows), pros, patients


def test_expected_is_indirectly_standardised_by_age_band(council):
    result = highest_potential_referrers(*council)
    assert result.standardisation == AGE_STANDARDISED
    gps = {row["professional_id"]: row for row in result.gps.iter_rows(named=True)}
    # council rates: 65-69 9/2500, 85-89 3/500; A81001's expected 3.6 shared by 2 GPs
    assert gps["G1"]["expected"] == pytest.approx(1.8)
    assert gps["G2"]["expected"] == pytest.approx(1.8)
    assert gps["G3"]["expected"] == pytest.approx(4.8)
    assert gps["G4"]["expected"] == pytest.approx(3.6)
    assert gps["G1"]["excess"] == pytest.approx(4.2)
    assert gps["G1"]["ratio"] == pytest.approx(6 / 1.8)
    assert gps["G1"]["ratio_lower_95"] < gps["G1"]["ratio"] < gps["G1"]["ratio_upper_95"]


def test_referrer_on_an_earlier_request_is_credited(council):
    result = highest_potential_referrers(*council)
    g4 = result.gps.filter(pl.col("professional_id") == "G4").row(0, named=True)
    assert g4["admissions"] == 2


def test_ranks_and_target_set(council):
    result = highest_potential_referrers(*council, pooling=0)
    order = result.gps.sort("rank_excess")["professional_id"].to_list()
    assert order == ["G1", "G3", "G4", "G2"]
    by_admissions = result.gps.sort("rank_admissions")["professional_id"].to_list()
    assert by_admissions == ["G1", "G3", "G4", "G2"]
    assert result.target_set["professional_id"].to_list() == ["G1"]
    two = highest_potential_referrers(*council, share=0.5, pooling=0)
    assert two.target_set["professional_id"].to_list() == ["G1", "G3"]


def test_plain_language_reason(council):
    result = highest_potential_referrers(*council)
    g1 = result.target_set.row(0, named=True)
    assert result.months == 12
    assert g1["reason"] == (
        "6 admissions in 12 months, 3.3 times expected; practice A81001 1.7 times expected"
    )
    raw = highest_potential_referrers(*council, pooling=0)
    assert raw.target_set.row(0, named=True)["reason"] == (
        "6 admissions in 12 months, 3.3 times expected"
    )


def test_partial_pooling_shrinks_towards_the_practice(council):
    result = highest_potential_referrers(*council, pooling=4.0)
    gps = {row["professional_id"]: row for row in result.gps.iter_rows(named=True)}
    # A81001: 6 observed / 3.6 expected; G2 has none of their own
    practice_ratio = 6 / 3.6
    assert gps["G2"]["practice_ratio"] == pytest.approx(practice_ratio)
    pooled = (0 + 4 * practice_ratio) / (1.8 + 4)
    assert gps["G2"]["pooled_ratio"] == pytest.approx(pooled)
    assert gps["G2"]["pooled_excess"] == pytest.approx(1.8 * (pooled - 1))
    # G2 works beside the council's highest referrer: second, ahead of G3
    assert result.gps.sort("rank_excess")["professional_id"].to_list() == ["G1", "G2", "G3", "G4"]


def test_practice_table(council):
    result = highest_potential_referrers(*council)
    practices = {row["practice_code"]: row for row in result.practices.iter_rows(named=True)}
    assert practices["A81001"]["admissions"] == 6
    assert practices["A81001"]["gps"] == 2
    assert practices["A81001"]["target_gps"] == 1
    assert practices["A81002"]["expected"] == pytest.approx(4.8)
    assert practices["A81002"]["patients_65_plus"] == 1000


def test_without_registered_patients_the_comparison_is_crude_and_says_so(council):
    evs, pros, _ = council
    result = highest_potential_referrers(evs, pros)
    assert result.standardisation == CRUDE
    assert result.gps["expected"].to_list() == [3.0] * 4
    assert any("council mean" in note for note in result.notes)


def test_target_count_rounds_up():
    assert target_count(208) == 52
    assert target_count(30, 0.1) == 3
    assert target_count(5) == 2


def test_age_bands():
    frame = pl.DataFrame({"age": [65, 69, 70, 94, 95, 104]})
    assert frame.select(age_band(pl.col("age")).alias("band"))["band"].to_list() == [
        "65_69",
        "65_69",
        "70_74",
        "90_94",
        "95+",
        "95+",
    ]


def test_excess_equal_but_for_float_summation_order_ties_to_the_id():
    """0.1 + 0.2 and 0.3 are one excess; which thread summed first must not reorder them."""
    from careties.referrals.referrers import _ranks

    frame = pl.DataFrame(
        {
            "la_code": ["E06000001"] * 3,
            "practice_code": ["B00002", "A00001", "C00003"],
            "admissions": [5, 5, 5],
            "excess": [0.1 + 0.2, 0.3, 0.1],
        }
    )
    ranked = _ranks(frame, "practice_code", "excess").sort("rank_excess")
    assert ranked["practice_code"].to_list() == ["A00001", "B00002", "C00003"]
