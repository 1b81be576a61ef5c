"""SII and RII against PHEindicatormethods' published test values.

Source: ukhsa-collaboration/PHEindicatormethods, tests/testthat/testdata_SII.xlsx
(sheet testdata_SII), the expected values its tests/testthat/testSII.R checks
``phe_sii`` against. tests/stats/data/phe_sii_cases.csv holds the rows used here,
copied unchanged (RecordNo as in the workbook). As in testSII.R, the SII and RII
must match exactly and the simulated confidence limits within a 5% tolerance.
"""

from __future__ import annotations

from pathlib import Path

import numpy as np
import polars as pl
import pytest

from careties.stats._validate import StatsInputError
from careties.stats.inequality import quantile_midpoints, slope_index_of_inequality

CASES = pl.read_csv(Path(__file__).parent / "data" / "phe_sii_cases.csv")


def _case(first_record: int, quantiles: int) -> pl.DataFrame:
    rows = CASES.filter(pl.col("RecordNo").is_between(first_record, first_record + quantiles - 1))
    return rows.sort("Quantile")


PARAMETERS = [
    # (first RecordNo, quantiles, keyword arguments as in testSII.R)
    (1, 10, {}),  # default (life expectancy), area1
    (11, 10, {}),  # default, area2
    (61, 5, {}),  # quintiles
    (66, 5, {}),
    (71, 10, {"value_type": 1}),  # rate
    (81, 10, {"value_type": 1}),
    (306, 10, {"value_type": 1, "transform": True}),  # log transform
    (316, 10, {"value_type": 1, "transform": True}),
    (386, 10, {"value_type": 1, "transform": True, "multiplier": -1}),
    (396, 10, {"value_type": 1, "transform": True, "multiplier": -1}),
    (406, 10, {"value_type": 1, "transform": True, "confidence": 98}),
    (416, 10, {"value_type": 1, "transform": True, "confidence": 98}),
]


@pytest.mark.parametrize(("first", "quantiles", "options"), PARAMETERS)
def test_sii_and_rii_equal_phe_published_values(first, quantiles, options):
    case = _case(first, quantiles)
    expected = case.row(0, named=True)
    result = slope_index_of_inequality(
        case["Value"].to_numpy(),
        case["Population"].to_numpy(),
        lower_cl=case["LowerCL"].to_numpy(),
        upper_cl=case["UpperCL"].to_numpy(),
        repetitions=20_000,
        **options,
    )
    assert result.sii == pytest.approx(expected["sii"], rel=1e-10)
    assert result.rii == pytest.approx(expected["rii"], rel=1e-10)
    if expected["Intercept"] is not None:
        assert result.intercept == pytest.approx(expected["Intercept"], rel=1e-10)
    if expected["sii_lowercl_1"] is not None:
        simulated = [result.sii_lower, result.sii_upper, result.rii_lower, result.rii_upper]
        published = [
            expected["sii_lowercl_1"],
            expected["sii_uppercl_1"],
            expected["rii_lowercl_1"],
            expected["rii_uppercl_1"],
        ]
        assert simulated == pytest.approx(published, rel=0.05)


def test_standard_errors_give_the_same_limits_as_confidence_limits():
    case = _case(1, 10)
    kwargs = {"repetitions": 20_000, "seed": 3}
    from_se = slope_index_of_inequality(
        case["Value"], case["Population"], se=case["StandardError"], **kwargs
    )
    from_cl = slope_index_of_inequality(
        case["Value"],
        case["Population"],
        lower_cl=case["LowerCL"],
        upper_cl=case["UpperCL"],
        **kwargs,
    )
    assert from_se.sii_lower == pytest.approx(from_cl.sii_lower, rel=0.01)


def test_midpoints_by_hand():
    # shares 0.1, 0.3, 0.2, 0.2, 0.2 -> midpoints 0.05, 0.25, 0.5, 0.7, 0.9
    assert quantile_midpoints(np.array([1.0, 3, 2, 2, 2])) == pytest.approx(
        [0.05, 0.25, 0.5, 0.7, 0.9]
    )


def test_a_flat_gradient_has_no_inequality():
    result = slope_index_of_inequality([50.0] * 5, [100, 200, 300, 200, 100], simulate=False)
    assert result.sii == pytest.approx(0.0, abs=1e-12)
    assert result.rii == pytest.approx(1.0)


@pytest.mark.parametrize(
    ("values", "populations", "options"),
    [
        ([1, 2, 3, 4], [1, 1, 1, 1], {}),  # fewer than 5 quantiles
        ([1, 2, 3, 4, 5], [1, 1, 0, 1, 1], {}),  # a zero population
        ([0.1, 0.2, 1.2, 0.3, 0.4], [1] * 5, {"value_type": 2}),  # not a proportion
        ([1, 2, 3, 4, 5], [1] * 5, {"transform": True}),  # transform needs a rate
    ],
)
def test_refuses_input_it_cannot_answer(values, populations, options):
    with pytest.raises(StatsInputError):
        slope_index_of_inequality(values, populations, simulate=False, **options)
