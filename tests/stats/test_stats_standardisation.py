"""Indirect standardisation against PHEindicatormethods' published ISR test values.

Source: PHEindicatormethods (UKHSA/PHE, https://github.com/ukhsa-collaboration/PHEindicatormethods),
``tests/testthat/testdata_DSR_ISR.xlsx`` at commit 093fd28: sheets ``testdata_multiarea`` (units),
``refdata`` (reference) and ``testresults_ISR`` (rows 7-9: ratio x 1, 95% and 99.8%; rows 10-12:
ratio x 100), exported unchanged to ``tests/stats/data/phe_isr_*.csv``; the package's
``testISRatios.R`` compares ``calculate_ISRatio`` with those rows.
"""

from __future__ import annotations

from pathlib import Path

import numpy as np
import polars as pl
import pytest

from careties.errors import NotEnoughData
from careties.stats import StatsInputError
from careties.stats.standardisation import (
    expected_counts,
    indirectly_standardised_ratio,
    ratio_ci,
    stratum_rates,
)

DATA = Path(__file__).parent / "data"


def _units() -> pl.DataFrame:
    return pl.read_csv(DATA / "phe_isr_units.csv")


def _reference() -> pl.DataFrame:
    return pl.read_csv(DATA / "phe_isr_reference.csv").rename(
        {"Age Band": "ageband", "refcount": "count", "refpop": "pop"}
    )


def _published(statistic: str) -> pl.DataFrame:
    return pl.read_csv(DATA / "phe_isr_results.csv").filter(pl.col("statistic") == statistic)


def _isr(**kwargs) -> pl.DataFrame:
    return indirectly_standardised_ratio(
        _units(),
        _reference(),
        unit="area",
        stratum="ageband",
        observed="count",
        population="pop",
        **kwargs,
    ).sort("area")


@pytest.mark.parametrize(
    ("multiplier", "statistic"),
    [(1.0, "indirectly standardised ratio x 1"), (100.0, "indirectly standardised ratio x 100")],
)
def test_matches_phe_calculate_isratio_at_95_percent(multiplier, statistic):
    expected = _published(statistic).filter(pl.col("area").str.starts_with("testdata")).sort("area")
    got = _isr(multiplier=multiplier)
    assert got["area"].to_list() == expected["area"].to_list()
    assert got["observed"].to_list() == expected["observed"].cast(pl.Float64).to_list()
    for ours, theirs in [
        ("expected", "expected"),
        ("value", "value"),
        ("lower", "lower95_0cl"),
        ("upper", "upper95_0cl"),
    ]:
        np.testing.assert_allclose(got[ours].to_numpy(), expected[theirs].to_numpy(), rtol=1e-9)
    assert got["method"].to_list() == expected["method"].to_list()


def test_matches_phe_at_99_8_percent():
    expected = _published("indirectly standardised ratio x 1").sort("area")
    got = _isr(confidence=0.998)
    np.testing.assert_allclose(
        got["lower"].to_numpy(), expected["lower99_8cl"].to_numpy(), rtol=1e-9
    )
    np.testing.assert_allclose(
        got["upper"].to_numpy(), expected["upper99_8cl"].to_numpy(), rtol=1e-9
    )


def test_expected_is_the_sum_of_population_times_reference_rate():
    rates = stratum_rates(_reference(), stratum="ageband", observed="count", population="pop")
    small = _units().filter(pl.col("area") == "testdata_small")
    by_hand = sum(
        row["pop"] * rates.filter(pl.col("ageband") == row["ageband"])["rate"][0]
        for row in small.iter_rows(named=True)
    )
    found = expected_counts(small, rates, unit="area", stratum="ageband", population="pop")
    assert found["expected"][0] == pytest.approx(by_hand)
    assert found["population"][0] == small["pop"].sum()


def test_rates_are_kept_apart_by_group():
    reference = pl.DataFrame(
        {
            "la": ["A", "A", "B", "B"],
            "band": ["65-69", "70+", "65-69", "70+"],
            "o": [1, 4, 3, 0],
            "n": [100, 100, 100, 0],
        }
    )
    rates = stratum_rates(reference, stratum="band", observed="o", population="n", by=["la"])
    assert rates.sort("la", "band")["rate"].to_list() == [0.01, 0.04, 0.03, 0.0]


def test_zero_expected_has_no_ratio_and_bad_counts_are_refused():
    value, lower, upper = ratio_ci([3.0], [0.0])
    assert np.isnan(value[0]) and np.isnan(lower[0]) and np.isnan(upper[0])
    with pytest.raises(StatsInputError, match="observed"):
        ratio_ci([-1.0], [2.0])
    with pytest.raises(StatsInputError, match="lacks"):
        indirectly_standardised_ratio(_units(), _reference(), unit="area", stratum="band")
    with pytest.raises(NotEnoughData):
        indirectly_standardised_ratio(
            _units().head(0),
            _reference(),
            unit="area",
            stratum="ageband",
            observed="count",
            population="pop",
        )
