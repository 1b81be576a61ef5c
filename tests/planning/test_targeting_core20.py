"""The Core20 flag on the targeting list, and the optional weight that lets it move the ranking."""

from __future__ import annotations

import datetime as dt

import polars as pl
import pytest

from careties.planning.targeting import TargetingWeights, targeting_list
from careties.referrals.referrers import Referrers


def referrers() -> Referrers:
    """Four GPs ranked 1, 4, 2, 3 by excess admissions (as tests/planning builds them)."""
    gps = pl.DataFrame(
        {
            "la_code": ["E06000001"] * 4,
            "professional_id": ["G1", "G2", "G3", "G4"],
            "practice_code": ["A81001", "A81001", "A81002", "A81003"],
            "admissions": [6, 0, 4, 2],
            "expected": [1.8, 1.8, 4.8, 3.6],
            "excess": [4.2, -1.8, -0.8, -1.6],
            "ratio": [3.33, 0.0, 0.83, 0.56],
            "rank": [1, 4, 2, 3],
            "in_target_set": [True, False, False, False],
            "reason": ["6 admissions", "0 admissions", "4 admissions", "2 admissions"],
        }
    )
    return Referrers(
        gps=gps,
        practices=pl.DataFrame(),
        window=(dt.date(2023, 4, 1), dt.date(2024, 3, 31)),
        share=0.25,
        rank_by="excess",
        standardisation="test",
        notes=(),
    )


DEPRIVATION = pl.DataFrame(
    {
        "practice_code": ["A81001", "A81002", "A81003", "A81004", "A81005"],
        "year": ["2019"] * 5,
        "deprivation_score": [10.0, 20.0, 60.0, 30.0, 40.0],
    }
)


def test_core20_flag_and_reason_without_changing_the_score():
    plain = targeting_list(referrers())
    flagged = targeting_list(referrers(), deprivation=DEPRIVATION)
    by_id = {r["professional_id"]: r for r in flagged.frame.iter_rows(named=True)}
    # The 80th percentile of 10..60 is 44: only A81003 (60) is Core20.
    assert [by_id[g]["core20"] for g in ("G1", "G2", "G3", "G4")] == [False, False, False, True]
    assert by_id["G4"]["reason"].endswith("a Core20 practice (most deprived fifth)")
    assert flagged.frame["score"].to_list() == plain.frame["score"].to_list()
    assert flagged.weights == plain.weights


def test_core20_weight_reorders_by_hand():
    result = targeting_list(
        referrers(),
        deprivation=DEPRIVATION,
        weights=TargetingWeights(referral_potential=0.5, core20=0.5),
    )
    by_id = {r["professional_id"]: r for r in result.frame.iter_rows(named=True)}
    # G4: referral potential 1/3 (third of four), Core20 1 -> (0.5/3 + 0.5) = 2/3.
    assert by_id["G4"]["score"] == pytest.approx(2 / 3)
    # G1: potential 1, not Core20 -> 0.5.
    assert by_id["G1"]["score"] == pytest.approx(0.5)
    assert result.target_set["professional_id"].to_list() == ["G4"]
    assert result.weights == {"referral_potential": 0.5, "core20": 0.5}


def test_a_flag_column_can_be_given_directly():
    flags = pl.DataFrame({"practice_code": ["A81001"], "core20": [True]})
    result = targeting_list(referrers(), deprivation=flags)
    assert result.frame.filter(pl.col("core20"))["professional_id"].sort().to_list() == ["G1", "G2"]
