"""Pledge evidence and adoption; action plan progress."""

from __future__ import annotations

import datetime as dt

import polars as pl

from careties.planning.actions import progress_by_approach
from careties.planning.pledge import (
    COMMITMENTS,
    CouncilActivity,
    adoption_by_council,
    commitment_evidence,
    quarter_bounds,
)


def test_five_commitments_and_evidence_follow_the_quarter_activity():
    assert len(COMMITMENTS) == 5
    none = commitment_evidence(CouncilActivity())
    assert not any(e.met for e in none)
    some = commitment_evidence(
        CouncilActivity(relationship_records=12, approaches_with_completed_items=1)
    )
    met = {e.commitment.commitment_id for e in some if e.met}
    assert met == {"relationship_data"}


def test_quarter_bounds():
    assert quarter_bounds(dt.date(2025, 11, 3)) == (dt.date(2025, 10, 1), dt.date(2025, 12, 31))
    assert quarter_bounds(dt.date(2025, 2, 28)) == (dt.date(2025, 1, 1), dt.date(2025, 3, 31))


def test_adoption_lists_councils_without_signatures_at_zero():
    councils = pl.DataFrame(
        {"la_code": ["E06000001", "E06000002"], "name": ["Hartlepool", "Middlesbrough"]}
    )
    signatures = pl.DataFrame(
        {
            "la_code": ["E06000001"] * 3,
            "organisation_type": ["council", "practice", "practice"],
            "organisation_code": ["E06000001", "A81001", "A81002"],
            "signed_on": [dt.date(2025, 4, 1)] * 3,
        }
    )
    rows = {r["la_code"]: r for r in adoption_by_council(signatures, councils).to_dicts()}
    assert (
        rows["E06000001"]["organisations_signed"] == 3
        and rows["E06000001"]["practices_signed"] == 2
    )
    assert rows["E06000001"]["council_signed"] is True
    assert (
        rows["E06000002"]["organisations_signed"] == 0
        and rows["E06000002"]["council_signed"] is False
    )


def test_progress_counts_status_and_overdue_per_approach():
    items = pl.DataFrame(
        {
            "approach_id": ["training", "training", "joint_working"],
            "status": ["done", "in_progress", "not_started"],
            "due_date": [dt.date(2025, 1, 1), dt.date(2025, 1, 1), dt.date(2026, 1, 1)],
        }
    )
    rows = {
        r["approach_id"]: r for r in progress_by_approach(items, dt.date(2025, 6, 1)).to_dicts()
    }
    assert len(rows) == 5
    assert rows["training"]["items"] == 2 and rows["training"]["overdue"] == 1
    assert rows["training"]["percent_done"] == 50
    assert (
        rows["referral_communication"]["items"] == 0
        and rows["referral_communication"]["percent_done"] is None
    )
