"""Funnel placement of practices and monthly SPC of admissions."""

from __future__ import annotations

import polars as pl

from careties.referrals.admissions import new_admissions
from careties.referrals.funnel import outside_998, practice_funnel
from careties.referrals.trends import admissions_spc, monthly_admissions


def rates_frame(rows):
    return pl.DataFrame(
        [
            {
                "la_code": "E06000001",
                "practice_code": code,
                "period": "2023-24",
                "outcome": "residential_admissions",
                "count": count,
                "patients_65_plus": patients,
            }
            for code, count, patients in rows
        ]
    )


def test_an_outlying_practice_is_outside_998_and_others_within():
    rows = [(f"A8100{i}", 10, 1000) for i in range(1, 8)] + [("B81001", 60, 1000)]
    funnel = practice_funnel(rates_frame(rows), overdispersion=None)
    positions = dict(zip(funnel["practice_code"], funnel["position"], strict=True))
    assert positions["B81001"] == "above_998"
    assert all(positions[f"A8100{i}"] in ("within", "below_95", "below_998") for i in range(1, 8))
    # pooled target: 130 / 8000 per patient = 16.25 per 1,000
    assert funnel["target"][0] == 16.25
    assert outside_998(funnel)["practice_code"].to_list() == ["B81001"]


def test_practices_without_patients_are_left_off():
    rows = [("A81001", 5, 1000), ("A81002", 4, 900), ("A81003", 0, 0)]
    funnel = practice_funnel(rates_frame(rows), overdispersion=None)
    assert "A81003" not in funnel["practice_code"].to_list()


def test_monthly_series_are_zero_filled_and_charted():
    from .helpers import events

    evs = events(
        *[
            {"person_key": f"P{i}", "start_date": f"2023-{m:02d}-10", "practice_code": "A81001"}
            for i, m in enumerate([4, 4, 5, 7, 8, 9, 10, 11, 12], start=1)
        ]
    )
    monthly = monthly_admissions(new_admissions(evs), level="practice")
    assert monthly["admissions"].to_list() == [2, 1, 0, 1, 1, 1, 1, 1, 1]
    chart = admissions_spc(monthly)
    assert chart.height == 9
    assert {"la_code", "practice_code", "mean", "upper_process_limit", "point_type"} <= set(
        chart.columns
    )
    council = monthly_admissions(new_admissions(evs))
    assert council["admissions"].sum() == 9
