"""The BCF headline metrics' arithmetic on hand-computed cases."""

from __future__ import annotations

import datetime as dt

import polars as pl
import pytest

from careties.bcf.metrics import (
    discharge_components,
    discharge_delay,
    emergency_admissions_rate,
    on_track,
    plan_quarters,
    quarter_bounds,
    quarter_label,
)

LA = "E06000004"
POPULATION = pl.DataFrame(
    {"la_code": [LA, LA], "year": [2024, 2025], "population_65_plus": [40_000, 50_000]}
)


def _months(*pairs):
    return [dt.date(y, m, 1) for y, m in pairs]


def test_quarters_are_financial():
    assert quarter_label(dt.date(2025, 4, 1)) == "2025-26 Q1"
    assert quarter_label(dt.date(2025, 12, 31)) == "2025-26 Q3"
    assert quarter_label(dt.date(2026, 3, 31)) == "2025-26 Q4"
    assert quarter_bounds("2025-26 Q4") == (dt.date(2026, 1, 1), dt.date(2026, 3, 31))
    assert quarter_bounds("2025-26 Q3") == (dt.date(2025, 10, 1), dt.date(2025, 12, 31))


def test_emergency_admissions_per_100k_from_council_totals_and_practices():
    admissions = pl.DataFrame(
        {
            "la_code": [LA] * 7,
            "month": _months(
                (2025, 4), (2025, 5), (2025, 6), (2025, 6), (2025, 7), (2025, 7), (2025, 8)
            ),
            # April and May council totals; June only by practice (100 + 50); Q2 incomplete.
            "practice_code": ["ALL", "ALL", "A81001", "A81002", "ALL", "A81001", "ALL"],
            "admissions_65_plus": [1000, 1100, 100, 50, 900, 30, 800],
        }
    )
    result = emergency_admissions_rate(admissions, POPULATION, LA)
    # Q1 2025-26: (1000 + 1100 + 150) / 50,000 (mid-2025 estimate) x 100,000 = 4,500
    assert result["quarter"].to_list() == ["2025-26 Q1"]
    assert result["numerator"].to_list() == [2250.0]
    assert result["value"].to_list() == pytest.approx([4500.0])


def test_population_falls_back_to_the_latest_earlier_estimate():
    admissions = pl.DataFrame(
        {
            "la_code": [LA] * 3,
            "month": _months((2026, 4), (2026, 5), (2026, 6)),
            "practice_code": ["ALL"] * 3,
            "admissions_65_plus": [100, 100, 100],
        }
    )
    # No 2026 estimate: 2025's 50,000 is used: 300 / 50,000 x 100,000 = 600.
    assert emergency_admissions_rate(admissions, POPULATION, LA)["value"].to_list() == [600.0]


def test_average_discharge_delay_from_share_on_date_and_mean_delay_of_the_others():
    discharges = pl.DataFrame(
        {
            "la_code": [LA] * 3,
            "month": _months((2025, 4), (2025, 5), (2025, 6)),
            "discharges": [100, 200, 100],
            "discharged_on_ready_date": [80, 150, 100],
            "mean_delay_days_others": [5.0, 4.0, 0.0],
        }
    )
    # delay days: 20 x 5 + 50 x 4 + 0 = 300 over 400 discharges = 0.75 days;
    # share on date 330/400 = 0.825; others' mean 300/70; (1 - 0.825) x 300/70 = 0.75.
    result = discharge_delay(discharges, LA)
    assert result["value"].to_list() == pytest.approx([0.75])
    parts = discharge_components(discharges, LA).row(0, named=True)
    assert parts["share_on_ready_date"] == pytest.approx(0.825)
    assert (1 - parts["share_on_ready_date"]) * parts["mean_delay_others"] == pytest.approx(0.75)


def test_on_track_rule():
    assert on_track(99.0, 100.0) is True
    assert on_track(100.0, 100.0) is True
    assert on_track(101.0, 100.0) is False
    assert on_track(5.0, 4.0, "up") is True
    assert on_track(None, 4.0) is None
    assert on_track(3.0, None) is None


def test_plan_quarters_run_to_the_end_of_next_financial_year():
    assert plan_quarters(["2024-25 Q4", "2025-26 Q1"]) == [
        "2024-25 Q4",
        "2025-26 Q1",
        "2025-26 Q2",
        "2025-26 Q3",
        "2025-26 Q4",
        "2026-27 Q1",
        "2026-27 Q2",
        "2026-27 Q3",
        "2026-27 Q4",
    ]
    assert plan_quarters([], today=dt.date(2026, 2, 1))[0] == "2025-26 Q1"
