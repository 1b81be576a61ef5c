"""No raw person id in any canonical frame; keys are the keyed hash of the raw ids written."""

from __future__ import annotations

import re

import polars as pl

from careties.data.synth.ids import SYNTHETIC_KEY, person_key
from careties.data.synth.writer import events_csv

RAW_ID = re.compile(r"^P\d{7}$")


def test_no_raw_person_id_in_frames(council):
    for kind, frame in council.frames.items():
        for column, dtype in frame.schema.items():
            if dtype == pl.String:
                assert not frame[column].drop_nulls().str.contains(r"^P\d{7}$").any(), (
                    kind,
                    column,
                )
    assert "person_id" not in council.frames["events"].columns
    assert "date_of_birth" not in council.frames["events"].columns


def test_person_key_is_the_hmac_of_the_written_id(tiny):
    written = events_csv(tiny)
    keys = tiny.frames["events"]["person_key"]
    assert keys.str.contains(r"^[0-9a-f]{32}$").all()
    sample = list(zip(written["person_id"].head(50), keys.head(50), strict=True))
    assert all(RAW_ID.match(raw) for raw, _ in sample)
    assert all(person_key(raw, SYNTHETIC_KEY) == key for raw, key in sample)


def test_age_matches_date_of_birth(tiny):
    written = events_csv(tiny)
    days = (written["start_date"] - written["date_of_birth"]).dt.total_days()
    age = (days / 365.25).floor().cast(pl.Int64)
    assert (age == tiny.frames["events"]["age"]).all()
