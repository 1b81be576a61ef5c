"""The Better Care Fund kinds: emergency admissions, discharges, practice deprivation."""

from __future__ import annotations

import datetime as dt

import pytest

import careties.data as data
from careties.data import KnownCodes, ValidationError

from .helpers import write_csv

KNOWN = KnownCodes(la_codes={"E06000004"}, practice_codes={"A81001", "A81002"})


def _errors(kind, path):
    with pytest.raises(ValidationError) as caught:
        data.read(kind, path, known=KNOWN)
    return {(e.row, e.column, e.reason) for e in caught.value.errors}


def test_emergency_admissions_council_total_and_practices(tmp_path):
    path = write_csv(
        tmp_path / "ea.csv",
        """
        la_code,month,practice_code,admissions_65_plus
        e06000004,2025-04,,120
        E06000004,01/04/2025,a81001,31
        E06000004,2025-05-17,ALL,118
        """,
    )
    frame = data.read("emergency_admissions", path, known=KNOWN)
    assert frame["practice_code"].to_list() == ["ALL", "A81001", "ALL"]
    assert frame["month"].to_list() == [dt.date(2025, 4, 1)] * 2 + [dt.date(2025, 5, 1)]
    assert frame["la_code"].to_list() == ["E06000004"] * 3


def test_emergency_admissions_errors_name_row_and_column(tmp_path):
    path = write_csv(
        tmp_path / "ea.csv",
        """
        la_code,month,practice_code,admissions_65_plus
        E06000004,2025-13,,120
        E06000004,2025-04,A81009,3
        E06000004,2025-04,,-1
        E06000004,2099-01,,5
        E06000004,2025-05,A81001,2
        E06000004,2025-05-02,A81001,2
        """,
    )
    errors = _errors("emergency_admissions", path)
    reasons = {(row, column): reason for row, column, reason in errors}
    assert reasons[(2, "month")].startswith("not a month")
    assert reasons[(3, "practice_code")].startswith("unknown practice")
    assert reasons[(4, "admissions_65_plus")] == "negative count"
    assert reasons[(5, "month")].startswith("month is in the future")
    assert reasons[(7, "practice_code")].startswith("duplicate of row 6")


def test_discharges_consistency_checks(tmp_path):
    path = write_csv(
        tmp_path / "d.csv",
        """
        la_code,month,discharges,discharged_on_ready_date,mean_delay_days_others
        E06000004,2025-04,100,120,3
        E06000004,2025-05,100,80,
        E06000004,2025-06,100,80,0.5
        E06000004,2025-07,100,80,x
        """,
    )
    errors = {(row, column) for row, column, _ in _errors("discharges", path)}
    assert errors == {
        (2, "discharged_on_ready_date"),
        (3, "mean_delay_days_others"),
        (4, "mean_delay_days_others"),
        (5, "mean_delay_days_others"),
    }


def test_nothing_is_read_from_a_file_with_one_bad_row(tmp_path):
    path = write_csv(
        tmp_path / "d.csv",
        """
        la_code,month,discharges,discharged_on_ready_date,mean_delay_days_others
        E06000004,2025-04,100,90,3
        E09999999,2025-05,100,80,2
        """,
    )
    assert {(r, c) for r, c, _ in _errors("discharges", path)} == {(3, "la_code")}


def test_practice_deprivation_from_ohid_fingertips_export(tmp_path):
    path = write_csv(
        tmp_path / "fingertips.csv",
        """
        Indicator ID,Indicator Name,Parent Code,Area Code,Area Name,Area Type,Sex,Age,Time period,Value,Lower CI 95.0 limit
        93553,Deprivation score (IMD 2019),E38000001,E92000001,England,England,Persons,All ages,2019,21.7,
        93553,Deprivation score (IMD 2019),E38000001,A81001,The Health Centre,GPs,Persons,All ages,2019,31.4,
        93553,Deprivation score (IMD 2019),E38000001,A81002,Queens Park,GPs,Persons,All ages,2019,12.05,
        90453,Another indicator,E38000001,A81002,Queens Park,GPs,Persons,All ages,2019,99,
        """,
    )
    frame = data.read("practice_deprivation", path, known=KNOWN)
    assert dict(zip(frame["practice_code"], frame["deprivation_score"], strict=True)) == {
        "A81001": 31.4,
        "A81002": 12.05,
    }
    assert frame["year"].to_list() == ["2019", "2019"]


def test_practice_deprivation_score_range(tmp_path):
    path = write_csv(
        tmp_path / "p.csv",
        """
        practice_code,deprivation_score
        A81001,101
        A81002,high
        """,
    )
    assert {(r, c) for r, c, _ in _errors("practice_deprivation", path)} == {
        (2, "deprivation_score"),
        (3, "deprivation_score"),
    }
