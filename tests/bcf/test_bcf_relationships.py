"""Relationship measures for the BCF plan, on hand-computed contacts."""

from __future__ import annotations

import datetime as dt

import polars as pl
import pytest

from careties.bcf.relationships import relationship_actuals

LA = "E06000004"
PROFESSIONALS = pl.DataFrame(
    {
        "professional_id": ["G1", "G2", "G3", "G4", "S1", "N1", "H1"],
        "role": ["gp", "gp", "gp", "gp", "social_worker", "care_navigator", "hospital_consultant"],
        "organisation": ["A81001"] * 4 + ["T1", "T1", "H"],
        "la_code": [LA] * 7,
    }
)
CONTACTS = pl.DataFrame(
    {
        "contact_reference": [f"C{i}" for i in range(6)],
        "contact_date": [
            dt.date(2025, 4, 2),  # Q1: G1-S1
            dt.date(2025, 5, 2),  # Q1: S1-G1 again
            dt.date(2025, 6, 2),  # Q1: G2-N1, sign-posting
            dt.date(2025, 6, 3),  # Q1: G3-H1 (consultant, not social care)
            dt.date(2025, 7, 1),  # Q2: G4-S1
            dt.date(2025, 7, 2),  # Q2: G1-G2 (GP to GP)
        ],
        "from_professional": ["G1", "S1", "G2", "G3", "G4", "G1"],
        "to_professional": ["S1", "G1", "N1", "H1", "S1", "G2"],
        "channel": ["phone"] * 6,
        "purpose": ["case_discussion", "referral", "sign_posting", "referral", "other", "other"],
        "minutes": [10] * 6,
    }
)
FRAMES = {"contacts": CONTACTS, "professionals": PROFESSIONALS}


def _values(measure):
    return dict(relationship_actuals(measure, FRAMES, LA).iter_rows())


def test_share_of_gps_with_a_social_care_tie():
    # Q1: G1 and G2 of 4 GPs = 50%; Q2: G4 = 25%.
    assert _values("gp_social_care_tie_share") == pytest.approx(
        {"2025-26 Q1": 50.0, "2025-26 Q2": 25.0}
    )


def test_contacts_with_social_care_per_gp():
    # Q1: 3 GP-social care contacts / 4 GPs; Q2: 1 / 4.
    assert _values("gp_social_care_contacts_per_gp") == pytest.approx(
        {"2025-26 Q1": 0.75, "2025-26 Q2": 0.25}
    )


def test_signposting_per_gp_counts_every_quarter_with_contacts():
    assert _values("signposts_per_gp") == pytest.approx({"2025-26 Q1": 0.25, "2025-26 Q2": 0.0})


def test_survey_measure_needs_wave_dates():
    assert relationship_actuals(
        "rc_gp_social_care", {"survey_responses": pl.DataFrame()}, LA
    ).is_empty()


def test_relational_coordination_is_placed_in_the_quarter_its_wave_closed():
    from careties.bcf.metrics import quarter_label
    from careties.data import synth

    data = synth.generate("tiny", seed=0)
    la = data.frames["local_authorities"]["la_code"][0]
    waves = {name: quarter_label(closed) for name, closed in synth.SURVEY_WAVES}
    values = dict(relationship_actuals("rc_gp_social_care", data.frames, la, waves).iter_rows())
    assert set(values) <= set(waves.values()) and values
    assert all(1.0 <= v <= 5.0 for v in values.values())
