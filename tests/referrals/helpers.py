"""Small hand-written canonical frames for the referrals tests."""

from __future__ import annotations

import datetime as dt
from typing import Any

import polars as pl

from careties.data.frames import CANONICAL

_EVENT_DEFAULTS: dict[str, Any] = {
    "la_code": "E06000001",
    "age": 80,
    "event_type": "service",
    "end_date": None,
    "service_type": "long_term_residential",
    "route_of_access": "community",
    "practice_code": "A81001",
    "professional_id": "GP1",
    "event_outcome": None,
}


def d(text: str) -> dt.date:
    return dt.date.fromisoformat(text)


def events(*rows: dict[str, Any]) -> pl.DataFrame:
    """Canonical events from partial rows; references are numbered in order."""
    full = []
    for number, row in enumerate(rows, start=1):
        merged = {**_EVENT_DEFAULTS, "event_reference": f"EV{number}", **row}
        for key in ("start_date", "end_date"):
            if isinstance(merged.get(key), str):
                merged[key] = d(merged[key])
        full.append(merged)
    return pl.DataFrame(full, schema=CANONICAL["events"])


def registered(rows: list[tuple[str, str, int]], extract: str = "2023-04-01") -> pl.DataFrame:
    """Registered patients from (practice_code, age_band, patients), sex ALL."""
    return pl.DataFrame(
        [
            {
                "practice_code": code,
                "extract_date": d(extract),
                "sex": "ALL",
                "age_band": band,
                "patients": patients,
            }
            for code, band, patients in rows
        ],
        schema=CANONICAL["registered_patients"],
    )


def practices(rows: list[tuple[str, str]]) -> pl.DataFrame:
    """Practices from (practice_code, la_code)."""
    return pl.DataFrame(
        [
            {"practice_code": c, "name": c, "postcode": None, "la_code": la, "status": "A"}
            for c, la in rows
        ],
        schema=CANONICAL["practices"],
    )
