"""The council scale is the size the brief describes; tiny is small enough for quick tests."""

from __future__ import annotations

import polars as pl

from careties.data import codes
from careties.data.synth.geography import OLD


def test_council_scale_sizes(council):
    f = council.frames
    assert f["local_authorities"].height == 1
    assert f["practices"].height == 40
    roles = f["professionals"]["role"].value_counts()
    count = dict(zip(roles["role"], roles["count"], strict=True))
    assert 180 <= count["gp"] <= 220
    assert count["social_worker"] + count["occupational_therapist"] + count["care_navigator"] == 60
    assert 3 <= count["hospital_consultant"] <= 10
    per_practice = f["professionals"].filter(pl.col("role") == "gp").group_by("organisation").len()
    assert per_practice["len"].min() >= 2 and per_practice["len"].max() <= 10
    old_bands = [b for b, old in zip(codes.AGE_BANDS, OLD, strict=True) if old]
    patients_65 = f["registered_patients"].filter(
        pl.col("sex") == "ALL", pl.col("age_band").is_in(old_bands)
    )
    assert 55_000 <= patients_65["patients"].sum() <= 65_000
    assert f["population"].height == 3
    assert 30_000 <= f["events"].height <= 60_000
    assert 8_000 <= f["contacts"].height <= 25_000
    assert 35 <= f["services"].height <= 45
    teams = f["professionals"].filter(pl.col("role") != "gp")["organisation"].unique()
    assert len([t for t in teams if t.startswith("ASC-")]) == 5


def test_sex_rows_add_up(council):
    registered = council.frames["registered_patients"]
    wide = registered.pivot("sex", index=["practice_code", "age_band"], values="patients")
    assert (wide["ALL"] == wide["FEMALE"] + wide["MALE"]).all()


def test_tiny_is_tiny(tiny):
    f = tiny.frames
    assert f["practices"].height == 8
    assert f["professionals"].filter(pl.col("role") == "gp").height == 30
    assert f["events"].height < 5_000
