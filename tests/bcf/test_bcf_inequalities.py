"""Emergency admissions by practice deprivation, and the Core20 flag, on hand-computed cases."""

from __future__ import annotations

import datetime as dt

import polars as pl
import pytest

from careties.bcf.inequalities import core20, deprivation_sii, rates_by_deprivation


def test_core20_is_the_most_deprived_fifth():
    scores = pl.DataFrame(
        {
            "practice_code": [f"A8100{i}" for i in range(5)],
            "deprivation_score": [10.0, 20, 30, 40, 50],
        }
    )
    # 80th percentile (linear) of 10..50 is 42: only the 50 practice.
    assert core20(scores)["core20"].to_list() == [False, False, False, False, True]
    assert core20(scores, national_cutoff=30.0)["core20"].to_list() == [
        False,
        False,
        True,
        True,
        True,
    ]


def test_rates_by_quintile_and_a_gradient_gives_a_positive_sii():
    codes = [f"A8100{i}" for i in range(5)]
    admissions = pl.DataFrame(
        {
            "la_code": ["E06000004"] * 5,
            "month": [dt.date(2025, 4, 1)] * 5,
            "practice_code": codes,
            "admissions_65_plus": [500, 400, 300, 200, 100],
        }
    )
    deprivation = pl.DataFrame(
        {"practice_code": codes, "deprivation_score": [50.0, 40, 30, 20, 10]}
    )
    lists = pl.DataFrame({"practice_code": codes, "patients_65": [1000] * 5})
    table = rates_by_deprivation(admissions, deprivation, lists)
    # one practice per quintile: 500/1000 x 100,000 = 50,000 in the most deprived ...
    assert table["quantile"].to_list() == [1, 2, 3, 4, 5]
    assert table["rate_per_100k"].to_list() == [50_000.0, 40_000, 30_000, 20_000, 10_000]
    result = deprivation_sii(table, simulate=False)
    # Straight line from 50,000 at x = 0.1 to 10,000 at x = 0.9: slope -50,000 per unit
    # (most deprived first, so the SII is negative: rates fall as deprivation falls).
    assert result.sii == pytest.approx(-50_000.0)
    assert result.rii == pytest.approx(5_000 / 55_000)
