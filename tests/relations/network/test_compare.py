"""Two dates side by side: ties gained, lost and kept."""

from __future__ import annotations

from datetime import date, timedelta

import polars as pl
import pytest
from tests.relations.network.test_gaps import LA, contacts, professionals

from careties.relations.network import build_network
from careties.relations.network.compare import (
    change_summary,
    compare_networks,
    ties_between_dates,
)

EARLY, LATE = date(2023, 12, 31), date(2024, 12, 31)


def _world() -> pl.DataFrame:
    rows = []
    for k in range(6):
        # A81001-TEAM-N throughout; B82002-TEAM-N only in 2023; C83003-TEAM-S only in 2024.
        rows.append((EARLY - timedelta(days=40 * k), "g1", "s1", "phone"))
        rows.append((LATE - timedelta(days=40 * k), "g1", "s1", "phone"))
        rows.append((EARLY - timedelta(days=40 * k), "g3", "s1", "email"))
        rows.append((LATE - timedelta(days=40 * k), "g4", "s2", "meeting"))
    return contacts(rows)


def test_gained_lost_kept_by_hand() -> None:
    change = ties_between_dates(professionals(), _world(), EARLY, LATE)
    status = {(r["source"], r["target"]): r["status"] for r in change.iter_rows(named=True)}
    assert status == {
        ("A81001", "TEAM-N"): "kept",
        ("B82002", "TEAM-N"): "lost",
        ("C83003", "TEAM-S"): "gained",
    }
    assert change_summary(change) == {"gained": 1, "lost": 1, "kept": 1}
    assert change["status"].to_list()[0] == "lost"  # losses first
    lost = change.filter(pl.col("status") == "lost").row(0, named=True)
    assert lost["strength_after"] == 0 and lost["strength_before"] > 0
    assert lost["change"] == pytest.approx(-lost["strength_before"])
    assert lost["source_agency"] == "health" and lost["target_agency"] == "social_care"
    assert lost["la_code"] == LA


def test_kept_tie_strength_matches_each_network() -> None:
    before = build_network(
        professionals(), _world(), as_of=EARLY, level="organisation", window_days=365
    )
    after = build_network(
        professionals(), _world(), as_of=LATE, level="organisation", window_days=365
    )
    kept = compare_networks(before, after).filter(pl.col("status") == "kept").row(0, named=True)
    assert kept["strength_before"] == pytest.approx(before.edges["strength"][0])
    assert kept["strength_after"] == pytest.approx(
        after.edges.filter(pl.col("source") == "A81001")["strength"].item()
    )


def test_dates_in_order_and_levels_match() -> None:
    with pytest.raises(ValueError, match="before"):
        ties_between_dates(professionals(), _world(), LATE, EARLY)
    person = build_network(professionals(), _world(), as_of=LATE)
    org = person.aggregate("organisation")
    with pytest.raises(ValueError, match="same level"):
        compare_networks(person, org)


def test_change_drawing_marks_gained_kept_and_lost() -> None:
    import json

    from careties.relations.network import network_change_figure

    change = ties_between_dates(professionals(), _world(), EARLY, LATE)
    figure = network_change_figure(change, title="two dates")
    json.dumps(figure)
    traces = {t["name"]: t for t in figure["data"]}
    assert len(traces["Lost"]["x"]) == 3 and traces["Lost"]["line"]["dash"] == "dash"
    assert len(traces["Gained"]["x"]) == 3 and len(traces["Kept"]["x"]) == 3
    assert set(traces["Social care teams"]["text"]) == {"TEAM-N", "TEAM-S"}
    assert set(traces["GP practices (health)"]["text"]) == {"A81001", "B82002", "C83003"}


def test_named_ties_enter_the_network_at_their_waves_date() -> None:
    from careties.relations.surveys import named_ties

    responses = pl.DataFrame(
        {
            "response_id": ["r1", "r2"],
            "wave": ["W-2023", "W-2024"],
            "instrument": ["roles", "roles"],
            "la_code": [LA, LA],
            "organisation": ["C83003", "B82002"],
            "respondent_id": ["g4", "g3"],
            "question_id": ["named_social_care", "named_social_care"],
            "answer": ["s1;nobody", "s2"],
        }
    )
    ties = named_ties(
        responses, professionals(), {"W-2023": date(2023, 6, 1), "W-2024": date(2024, 6, 1)}
    )
    assert ties.select("from_professional", "to_professional", "named_on").rows() == [
        ("g4", "s1", date(2023, 6, 1)),
        ("g3", "s2", date(2024, 6, 1)),
    ]
    change = ties_between_dates(
        professionals(), contacts([]), date(2023, 12, 31), date(2024, 12, 31), named_ties=ties
    )
    status = {(r["source"], r["target"]): r["status"] for r in change.iter_rows(named=True)}
    assert status == {("C83003", "TEAM-N"): "lost", ("B82002", "TEAM-S"): "gained"}
