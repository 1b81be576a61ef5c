"""The written files follow their published layouts; the CLI writes them and says what it wrote."""

from __future__ import annotations

import csv
import json

import polars as pl
import pytest

from careties.cli import main
from careties.data.synth import FILES, write
from careties.data.synth.writer import EPRACCUR_COLUMNS


@pytest.fixture(scope="module")
def written(tmp_path_factory, tiny):
    out = tmp_path_factory.mktemp("tiny")
    write(tiny, out)
    return out


def test_every_file_is_written(written):
    assert sorted(p.name for p in written.iterdir()) == sorted(FILES)


def test_epraccur_has_no_header_and_27_columns(written, tiny):
    rows = list(csv.reader((written / "epraccur.csv").open()))
    assert len(rows) == tiny.frames["practices"].height
    assert {len(r) for r in rows} == {EPRACCUR_COLUMNS}
    assert rows[0][0] == tiny.frames["practices"]["practice_code"][0]
    assert {r[25] for r in rows} == {"4"}  # prescribing setting: GP practice
    assert {r[12] for r in rows} == {"A"}
    assert all(len(r[10]) == 8 and r[10].isdigit() for r in rows)


def test_registration_file_has_the_nhs_digital_layout(written, tiny):
    table = pl.read_csv(written / "gp-reg-pat-prac-quin-age.csv", infer_schema=False)
    assert table.columns == [
        "PUBLICATION", "EXTRACT_DATE", "ORG_TYPE", "ORG_CODE", "ONS_CODE", "POSTCODE",
        "SEX", "AGE_GROUP_5", "NUMBER_OF_PATIENTS",
    ]  # fmt: skip
    assert set(table["ORG_TYPE"]) == {"GP", "SUB_ICB_LOC", "ICB"}
    gp = table.filter(pl.col("ORG_TYPE") == "GP")
    registered = tiny.frames["registered_patients"]
    assert gp.filter(pl.col("AGE_GROUP_5") != "ALL").height == registered.height
    totals = gp.filter(pl.col("AGE_GROUP_5") == "ALL", pl.col("SEX") == "ALL")
    assert (
        totals["NUMBER_OF_PATIENTS"].cast(pl.Int64).sum()
        == registered.filter(pl.col("sex") == "ALL")["patients"].sum()
    )
    assert table["EXTRACT_DATE"].unique().to_list() == ["01APR2025"]


def test_events_file_carries_raw_ids_and_dates_of_birth(written, tiny):
    events = pl.read_csv(written / "events.csv", infer_schema=False)
    assert events.columns == [
        "event_reference", "person_id", "date_of_birth", "la_code", "event_type", "start_date",
        "end_date", "service_type", "route_of_access", "practice_code", "professional_id", "event_outcome",
    ]  # fmt: skip
    assert events.height == tiny.frames["events"].height
    assert events["person_id"].str.contains(r"^P\d{7}$").all()
    assert events["start_date"].str.contains(r"^\d{4}-\d{2}-\d{2}$").all()


def test_other_files_have_canonical_columns(written, tiny):
    for name, kind in (
        ("local_authorities.csv", "local_authorities"),
        ("practices.csv", "practices"),
        ("population.csv", "population"),
        ("professionals.csv", "professionals"),
        ("contacts.csv", "contacts"),
        ("survey_responses.csv", "survey_responses"),
        ("services.csv", "services"),
    ):
        table = pl.read_csv(written / name, infer_schema=False)
        assert table.columns == tiny.frames[kind].columns, name
        assert table.height == tiny.frames[kind].height, name
    assert json.loads((written / "truth.json").read_text()) == json.loads(json.dumps(tiny.truth))


def test_cli_writes_and_reports_row_counts(tmp_path, capsys):
    assert main(["synth", "--out", str(tmp_path / "out"), "--scale", "tiny", "--seed", "3"]) == 0
    output = capsys.readouterr().out
    assert "events.csv" in output and "rows" in output and "truth.json" in output
    assert (tmp_path / "out" / "events.csv").exists()


def test_cli_refuses_a_file_as_output_directory(tmp_path, capsys):
    target = tmp_path / "a-file"
    target.write_text("x")
    assert main(["synth", "--out", str(target), "--scale", "tiny"]) == 1
    assert "not a directory" in capsys.readouterr().err
