"""The data-quality view on the hand-written CLD edge-case file (tests/data/files)."""

from __future__ import annotations

from pathlib import Path

import polars as pl

import careties.data as data
from careties.referrals import quality
from careties.referrals.practice_targets import practice_targets

FILE = Path(__file__).parents[1] / "data" / "files" / "cld_ascof_edge_cases.csv"


def _table():
    events = data.read("events", FILE, pseudonymisation_key=b"k")
    practices = pl.DataFrame({"practice_code": ["A81001"], "la_code": ["E10000019"]})
    table = quality.data_quality(events, practices, "2024-25")
    return {(row["measure"][:5], row["check"]): row["rows"] for row in table.iter_rows(named=True)}


def test_every_residential_service_of_the_year_is_accounted_for_once():
    rows = _table()
    assert rows[("ASCOF", quality.CLIENT_TYPE_RULE)] == 2  # CARER, NO_CLIENT_TYPE
    assert rows[("ASCOF", quality.BIRTH_RULE)] == 1
    assert rows[("ASCOF", quality.DEATH_RULE)] == 2  # DIED_BEFORE_PERIOD, STARTS_AFTER_DEATH
    assert rows[("ASCOF", quality.SELF_FUNDED_RULE)] == 1
    assert rows[("ASCOF", quality.UNDER_18_RULE)] == 1
    assert rows[("ASCOF", quality.NOT_NEW_RULE)] == 3  # recent, open, second council id
    assert rows[("ASCOF", quality.COUNTED_2B)] == 1
    assert rows[("ASCOF", quality.COUNTED_2C)] == 4
    # 15 residential or nursing services start in 2024-25 in the file.
    assert sum(v for (m, _), v in rows.items() if m == "ASCOF") == 15


def test_flags_across_all_events():
    rows = _table()
    assert rows[("all e", "practice not loaded")] == 1  # Y99999
    assert rows[("all e", "service type outside the code list")] == 1  # Spaceship
    assert rows[("all e", "client type outside the code list")] == 1  # blank -> "unknown"


def test_practice_targets_top_quartile_by_excess():
    practices = pl.DataFrame(
        {
            "la_code": ["E1"] * 8,
            "practice_code": [f"A8100{i}" for i in range(8)],
            "admissions": [9, 1, 5, 0, 2, 3, 4, 6],
            "expected": [3.0] * 8,
            "excess": [6.0, -2.0, 2.0, -3.0, -1.0, 0.0, 1.0, 3.0],
            "ratio": [3.0, 0.3, 1.7, 0.0, 0.7, 1.0, 1.3, 2.0],
            "rank_excess": [1, 7, 3, 8, 6, 5, 4, 2],
        }
    )
    targets = practice_targets(practices, months=12, share=0.25)
    assert targets.filter("in_target_set")["practice_code"].to_list() == ["A81000", "A81007"]
    assert targets["reason"][0] == "9 admissions in 12 months, 3.0 times expected"
