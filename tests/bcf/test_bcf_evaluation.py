"""Difference in differences on emergency admissions: the synthetic council's planted fall is found.

The generator plants a fall of half the programme effect (-20% -> -10%) in
targeted practices' emergency admissions from the programme's start
(``careties.data.synth.bcf``); with no effect planted, none should be found.
"""

from __future__ import annotations

import datetime as dt
from functools import cache

import polars as pl
import pytest

from careties.bcf.evaluation import emergency_admissions_panel, evaluate_emergency_admissions
from careties.data import synth


@cache
def _council(effect: float):
    return synth.generate("council", seed=0, programme_effect=effect)


def _evaluate(effect: float):
    data = _council(effect)
    programme = data.truth["programme"]
    return evaluate_emergency_admissions(
        data.frames["emergency_admissions"],
        data.frames["registered_patients"],
        programme["targeted_practices"],
        dt.date.fromisoformat(programme["start_date"]),
    ), data.truth["bcf"]["emergency_admissions_effect"]


def test_the_planted_fall_is_recovered():
    result, planted = _evaluate(-0.2)
    assert planted == pytest.approx(-0.1)
    assert result.error is None
    assert result.relative_ci_low <= planted <= result.relative_ci_high
    assert result.relative_ci_high < 0 and result.significant


def test_no_effect_is_found_when_none_is_planted():
    result, planted = _evaluate(0.0)
    assert planted == 0.0
    assert result.relative_ci_low <= 0.0 <= result.relative_ci_high


def test_panel_uses_practice_rows_and_complete_quarters_only():
    admissions = pl.DataFrame(
        {
            "la_code": ["E06000004"] * 8,
            "month": [dt.date(2025, m, 1) for m in (1, 2, 3, 4, 1, 2, 3, 4)],
            "practice_code": ["A81001"] * 4 + ["ALL"] * 4,
            "admissions_65_plus": [3, 4, 5, 9, 100, 100, 100, 100],
        }
    )
    registered = pl.DataFrame(
        {
            "practice_code": ["A81001"],
            "extract_date": [dt.date(2025, 1, 1)],
            "sex": ["ALL"],
            "age_band": ["65_69"],
            "patients": [600],
        }
    )
    panel = emergency_admissions_panel(admissions, registered, ["A81001"], dt.date(2025, 4, 1))
    # Q1 only (April is a lone month): (3 + 4 + 5) / 600 x 1,000 = 20 per 1,000.
    assert panel["quarter"].to_list() == [dt.date(2025, 1, 1)]
    assert panel["emergency_rate"].to_list() == [20.0]
    assert panel["treated"].to_list() == [1] and panel["post"].to_list() == [0]


def test_missing_practice_figures_say_so():
    result = evaluate_emergency_admissions(None, pl.DataFrame(), [], dt.date(2025, 4, 1))
    assert "No emergency admissions by practice" in result.error
