"""Care home admissions by age band, sex and ethnicity, on hand-computed cases."""

from __future__ import annotations

import datetime as dt

import polars as pl
import pytest

from careties.bcf import groups

LA = "E06000004"
PRACTICES = pl.DataFrame({"practice_code": ["A81001"], "la_code": [LA]})
REGISTERED = pl.DataFrame(
    {
        "practice_code": ["A81001"] * 6,
        "extract_date": [dt.date(2025, 4, 1)] * 6,
        "sex": ["ALL", "ALL", "FEMALE", "FEMALE", "MALE", "MALE"],
        "age_band": ["65_69", "85_89", "65_69", "85_89", "65_69", "85_89"],
        "patients": [1000, 400, 500, 300, 500, 100],
    }
)


def _admitted(ages, genders, ethnicities):
    n = len(ages)
    return pl.DataFrame(
        {
            "event_reference": [f"E{i}" for i in range(n)],
            "age": ages,
            "gender": genders,
            "ethnicity": ethnicities,
        }
    )


def test_rates_by_age_band_use_the_registered_all_sexes_count():
    admitted = _admitted([66, 70, 88], ["Female", "M", None], ["White British", None, "Indian"])
    table = groups.by_age_band(admitted, REGISTERED, PRACTICES, LA)
    rows = {r["group"]: r for r in table.to_dicts()}
    # 65-74: 2 of 1,000 -> 200 per 100,000; 85+: 1 of 400 -> 250.
    assert rows["65-74"]["rate_per_100k"] == pytest.approx(200.0)
    assert rows["85+"]["rate_per_100k"] == pytest.approx(250.0)
    assert "75-84" not in rows  # no one registered and no one admitted: no row


def test_rates_by_sex_and_unrecorded_sex():
    admitted = _admitted([66, 70, 88], ["Female", "M", None], [None, None, None])
    rows = {r["group"]: r for r in groups.by_sex(admitted, REGISTERED, PRACTICES, LA).to_dicts()}
    assert rows["FEMALE"]["registered"] == 800
    assert rows["FEMALE"]["rate_per_100k"] == pytest.approx(1 / 800 * 100_000)
    assert rows["MALE"]["rate_per_100k"] == pytest.approx(1 / 600 * 100_000)
    assert rows[groups.NOT_RECORDED]["admissions"] == 1


def test_no_recorded_sex_gives_no_rates_rather_than_zero():
    admitted = _admitted([66, 70], [None, None], [None, None])
    table = groups.by_sex(admitted, REGISTERED, PRACTICES, LA)
    assert table["rate_per_100k"].null_count() == table.height


def test_ethnicity_is_shares_of_admissions():
    admitted = _admitted([66, 70, 88, 90], [None] * 4, ["Indian", "Indian", None, "White British"])
    rows = {r["group"]: r["share"] for r in groups.by_ethnicity(admitted).to_dicts()}
    assert rows == {"Indian": 0.5, groups.NOT_RECORDED: 0.25, "White British": 0.25}
