"""The targeting list: components, reweighting when inputs are missing, reasons, exports."""

from __future__ import annotations

import datetime as dt

import openpyxl
import polars as pl
import pytest

from careties.planning.targeting import TargetingWeights, targeting_list
from careties.referrals.referrers import Referrers
from careties.spreadsheets import ExportError, export_targeting


def referrers(share: float = 0.25) -> Referrers:
    gps = pl.DataFrame(
        {
            "la_code": ["E06000001"] * 4,
            "professional_id": ["G1", "G2", "G3", "G4"],
            "practice_code": ["A81001", "A81001", "A81002", "A81003"],
            "admissions": [6, 0, 4, 2],
            "admissions_per_year": [6.0, 0.0, 4.0, 2.0],
            "expected": [1.8, 1.8, 4.8, 3.6],
            "excess": [4.2, -1.8, -0.8, -1.6],
            "ratio": [3.33, 0.0, 0.83, 0.56],
            "ratio_lower_95": [1.0, 0.0, 0.2, 0.1],
            "ratio_upper_95": [7.0, 2.0, 2.0, 2.0],
            "rank_admissions": [1, 4, 2, 3],
            "rank_excess": [1, 4, 2, 3],
            "rank": [1, 4, 2, 3],
            "in_target_set": [True, False, False, False],
            "reason": [
                "6 admissions in 12 months, 3.3 times expected",
                "0 admissions in 12 months, 0.0 times expected",
                "4 admissions in 12 months, 0.8 times expected",
                "2 admissions in 12 months, 0.6 times expected",
            ],
        }
    )
    return Referrers(
        gps=gps,
        practices=pl.DataFrame(),
        window=(dt.date(2023, 4, 1), dt.date(2024, 3, 31)),
        share=share,
        rank_by="excess",
        standardisation="test",
        notes=(),
    )


def test_referral_potential_alone_when_nothing_else_is_given():
    result = targeting_list(referrers())
    assert result.weights == {"referral_potential": 1.0}
    assert len(result.notes) == 2
    by_id = {r["professional_id"]: r for r in result.frame.iter_rows(named=True)}
    assert by_id["G1"]["referral_potential"] == 1.0
    assert by_id["G2"]["referral_potential"] == 0.0
    assert by_id["G3"]["referral_potential"] == pytest.approx(2 / 3)
    assert result.target_set["professional_id"].to_list() == ["G1"]


def test_relationship_weakness_and_influence_enter_the_score():
    relationships = pl.DataFrame(
        {
            "practice_code": ["A81001", "A81002", "A81003"],
            "rc_score": [4.6, 1.5, 3.0],
            "knowledge_share": [0.9, 0.25, 0.5],
        }
    )
    influence = pl.DataFrame(
        {"professional_id": ["G1", "G2", "G3", "G4"], "influence": [0.1, 0.2, 0.9, 0.3]}
    )
    services = pl.DataFrame(
        {"la_code": ["E06000001"] * 8, "status": ["active"] * 8},
    )
    result = targeting_list(
        referrers(share=0.5),
        relationships=relationships,
        influence=influence,
        services=services,
        weights=TargetingWeights(0.5, 0.25, 0.25),
    )
    assert result.notes == (
        "Relationship scores are per practice: each GP takes their practice's.",
    )
    by_id = {r["professional_id"]: r for r in result.frame.iter_rows(named=True)}
    g3 = by_id["G3"]
    # weakness = mean((5 - 1.5) / 4, 1 - 0.25) = mean(0.875, 0.75)
    assert g3["relationship_weakness"] == pytest.approx(0.8125)
    assert g3["network_influence"] == 1.0
    assert g3["score"] == pytest.approx(0.5 * (2 / 3) + 0.25 * 1.0 + 0.25 * 0.8125)
    assert g3["rank"] == 1
    assert g3["reason"] == (
        "4 admissions in 12 months, 0.8 times expected; "
        "relationship with adult social care rated poor; knows 2 of 8 local services; "
        "among the most influential tenth of the council's network"
    )
    assert result.target_set["professional_id"].to_list() == ["G3", "G1"]


def test_per_gp_relationships_and_missing_values():
    relationships = pl.DataFrame(
        {"professional_id": ["G1", "G2"], "rc_score": [2.5, None], "knowledge_share": [None, 0.5]}
    )
    result = targeting_list(referrers(), relationships=relationships)
    by_id = {r["professional_id"]: r for r in result.frame.iter_rows(named=True)}
    assert by_id["G1"]["relationship_weakness"] == pytest.approx(0.625)
    assert "rated unsatisfactory" in by_id["G1"]["reason"]
    assert "knows 50% of local services" in by_id["G2"]["reason"]
    # G4 has no relationship data: scored on referral potential alone
    assert by_id["G4"]["score"] == pytest.approx(by_id["G4"]["referral_potential"])


def test_exports_csv_and_xlsx(tmp_path):
    result = targeting_list(referrers())
    csv_path = export_targeting(result, tmp_path / "targets.csv")
    assert pl.read_csv(csv_path).height == 4
    xlsx_path = export_targeting(result, tmp_path / "targets.xlsx")
    workbook = openpyxl.load_workbook(xlsx_path)
    assert workbook.sheetnames == ["targeting_list", "target_set", "notes"]
    assert workbook["target_set"].max_row == 2
    with pytest.raises(ExportError):
        export_targeting(result, tmp_path / "targets.pdf")
