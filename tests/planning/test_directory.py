"""Open Referral UK: lossless round trip, clear rejection, and the GP search."""

from __future__ import annotations

import copy
import json
from pathlib import Path

import polars as pl
import pytest

from careties.planning.directory import (
    DirectoryFormatError,
    frame_to_oruk,
    oruk_originals,
    oruk_to_frame,
    search_services,
)
from careties.planning.oruk_common import oruk_id

DOC = json.loads((Path(__file__).parent / "data" / "oruk_services.json").read_text())


def test_realistic_file_reads_into_the_canonical_frame():
    frame = oruk_to_frame(DOC, default_la_code="E06000001")
    first = frame.row(0, named=True)
    assert first["service_type"] == "telecare"
    assert first["eligibility"] == "Hartlepool residents assessed as needing support"
    assert first["cost"] == "Weekly charge £4.50 per week"
    assert first["contact"] == "Telecare team, 01429 000000"
    assert first["area"] == "Hartlepool" and first["la_code"] == "E06000001"
    second = frame.row(1, named=True)
    assert second["quality_rating"] == 4 and second["status"] == "temporarily closed"
    assert second["area"] == "Owton Manor"  # from the location's address
    assert frame.row(2, named=True)["la_code"] == "E06000002"  # from the service area extent


def test_round_trip_keeps_every_field_including_those_careties_does_not_model():
    frame = oruk_to_frame(DOC, default_la_code="E06000001")
    assert frame_to_oruk(frame, oruk_originals(DOC)) == DOC


def test_careties_own_export_reads_back_to_the_same_rows():
    frame = oruk_to_frame(DOC, default_la_code="E06000001")
    assert oruk_to_frame(frame_to_oruk(frame)).equals(frame)


def test_a_change_rewrites_only_the_changed_part():
    frame = oruk_to_frame(DOC, default_la_code="E06000001").with_columns(
        pl.when(pl.col("name") == "Hartlepool Telecare")
        .then(pl.lit("Free"))
        .otherwise(pl.col("cost"))
        .alias("cost")
    )
    out = frame_to_oruk(frame, oruk_originals(DOC))
    assert out[0]["cost_options"] == [{"id": oruk_id(DOC[0]["id"], "cost"), "option": "Free"}]
    assert (
        out[0]["schedules"] == DOC[0]["schedules"]
        and out[0]["organization"] == DOC[0]["organization"]
    )
    assert out[1:] == DOC[1:]
    assert oruk_to_frame(out, default_la_code="E06000001").equals(frame)


def test_malformed_file_lists_every_problem_by_json_path():
    bad = copy.deepcopy(DOC)
    del bad[0]["name"]
    bad[1]["status"] = "open"
    bad[1]["service_at_locations"][0]["location"]["location_type"] = "building"
    bad[2]["organization"] = {"id": "x", "name": "No description"}
    bad.append(copy.deepcopy(DOC[2]))
    with pytest.raises(DirectoryFormatError) as caught:
        oruk_to_frame(bad, default_la_code="E06000001")
    problems = caught.value.problems
    assert "$[0]: 'name' is a required property" in problems
    assert any(p.startswith("$[1].status: 'open' is not one of") for p in problems)
    assert any(
        p.startswith("$[1].service_at_locations[0].location.location_type") for p in problems
    )
    assert "$[2].organization: 'description' is a required property" in problems
    assert "$[2].organization.id: 'x' is not a 'uuid'" in problems
    assert any(p.startswith("$[3].id:") and "already used" in p for p in problems)
    assert "nothing was imported" in str(caught.value)


def test_not_a_service_document_is_refused():
    with pytest.raises(DirectoryFormatError, match="expected a list of services"):
        oruk_to_frame("services")


def test_search_by_need_and_area_leaves_out_closed_services():
    frame = oruk_to_frame(DOC, default_la_code="E06000001")
    assert search_services(frame, "telecare", "hartlepool")["name"].to_list() == [
        "Hartlepool Telecare"
    ]
    assert search_services(frame, "exercise")["name"].to_list() == ["Strength and Balance Classes"]
    frame = frame.with_columns(pl.lit("defunct").alias("status"))
    assert search_services(frame, "telecare").height == 0
