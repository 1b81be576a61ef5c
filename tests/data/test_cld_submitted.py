"""Client Level Data as councils submit it (release 1 and 2 specifications), read as DHSC reads it."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import polars as pl

import careties.data as data
from careties.data import councils

from .helpers import error_list, write_csv

FILE = Path(__file__).parent / "files" / "cld_ascof_edge_cases.csv"
KEY = b"test-key"


def _read(path: Path, **kwargs):
    notes: list[str] = []
    frame = data.read("events", path, pseudonymisation_key=KEY, notes=notes, **kwargs)
    return frame, notes


def test_lookup_has_every_council_and_names_its_source():
    rows = councils.councils()
    assert len(rows) >= 150
    assert councils.ons_by_cassr()["503"] == "E10000019"  # the CLD guidance's example
    assert councils.ons_code_for_name("Kingston upon Hull, City of") == "E06000010"
    header = (Path(councils.__file__).parent / "reference" / "councils.csv").read_text()
    assert "NHS Digital" in header.splitlines()[2]


def test_integer_la_code_becomes_the_ons_code():
    frame, _ = _read(FILE)
    assert frame["la_code"].unique().to_list() == ["E10000019"]


def test_ons_code_is_accepted_too(tmp_path):
    path = write_csv(
        tmp_path / "cld.csv",
        """
        LA_Code,LA_Person_Unique_Identifier,Date_of_Birth,Client_Type,Event_Type,Event_Reference,Event_Start_Date
        E10000019,P1,1940-01-01,Service user,Request,R1,2024-01-01
        503.0,P2,1940-01-01,Service user,Request,R2,2024-01-01
        """,
    )
    frame, _ = _read(path)
    assert frame["la_code"].to_list() == ["E10000019", "E10000019"]


def test_an_integer_code_of_no_council_is_refused_with_its_value(tmp_path):
    path = write_csv(
        tmp_path / "cld.csv",
        """
        LA_Code,LA_Person_Unique_Identifier,Date_of_Birth,Client_Type,Event_Type,Event_Reference,Event_Start_Date
        999,P1,1940-01-01,Service user,Request,R1,2024-01-01
        """,
    )
    errors = error_list("events", path, pseudonymisation_key=KEY)
    assert (errors[0].row, errors[0].column, errors[0].value) == (2, "LA_Code", "999")
    assert "no council has this LA code" in errors[0].reason


def test_release_1_route_header_keeps_the_route():
    frame, _ = _read(FILE)
    request = frame.filter(pl.col("event_reference") == "REQUEST_R1_ROUTE")
    assert request["route_of_access"].to_list() == ["discharge_from_hospital"]
    assert request["event_outcome"].to_list() == ["NFA: Deceased"]  # release 1 -> 2


def test_unknown_columns_are_reported_not_silently_dropped(tmp_path):
    path = write_csv(
        tmp_path / "cld.csv",
        """
        LA_Code,LA_Person_Unique_Identifier,Date_of_Birth,Client_Type,Event_Type,Event_Reference,Event_Start_Date,Unit_Cost
        503,P1,1940-01-01,Service user,Request,R1,2024-01-01,12.50
        """,
    )
    _, notes = _read(path)
    assert any("not used by careties: Unit_Cost" in note for note in notes)


def test_blank_date_of_birth_is_accepted_with_no_age():
    frame, _ = _read(FILE)
    row = frame.filter(pl.col("event_reference") == "NO_BIRTH_DATE")
    assert row["age"].to_list() == [None]


def test_carer_rows_without_events_are_accepted_and_counted():
    frame, notes = _read(FILE)
    assert frame.height == 23  # 24 rows, one carer without an event
    assert any(note.startswith("1 carer row without an event") for note in notes)


def test_release_2_unpaid_carer_service_types_are_accepted():
    frame, _ = _read(FILE)
    row = frame.filter(pl.col("event_reference") == "R2_CARER_SERVICE")
    assert row["service_type"].to_list() == ["other"]


def test_out_of_list_value_is_kept_as_given():
    frame, _ = _read(FILE)
    row = frame.filter(pl.col("event_reference") == "UNKNOWN_SERVICE")
    assert row["service_type"].to_list() == ["Long term support: Spaceship"]


def test_client_types_and_person_fields_are_kept():
    frame, _ = _read(FILE)
    first = frame.filter(pl.col("event_reference") == "NEW_PLAIN").row(0, named=True)
    assert first["client_type"] == "service_user"
    assert first["gender"] == "Female"
    assert first["ethnicity"] == "White: Irish"
    assert first["primary_support_reason"] == "Physical Support: Personal care support"
    assert first["accommodation_status"] == "Owner occupier or shared ownership scheme"
    assert first["client_funding_status"] == "Fully Local Authority Funded"
    died = frame.filter(pl.col("event_reference") == "DIED_BEFORE_PERIOD")
    assert died["date_of_death"].to_list() == [dt.date(2024, 3, 1)]
    carer = frame.filter(pl.col("event_reference") == "CARER")
    assert carer["client_type"].to_list() == ["carer"]


def test_practice_outside_the_council_or_not_loaded_does_not_refuse_the_file():
    known = data.KnownCodes(la_codes={"E10000019"}, practice_codes={"A81001"})
    frame, _ = _read(FILE, known=known)
    assert "Y99999" in frame["practice_code"].to_list()


def test_nhs_number_first_joins_two_council_ids():
    frame, _ = _read(FILE)
    two = frame.filter(pl.col("event_reference").str.starts_with("TWO_IDS"))
    assert two["person_key"].n_unique() == 1


def test_repeated_event_is_kept_once_and_counted(tmp_path):
    path = write_csv(
        tmp_path / "cld.csv",
        """
        LA_Code,LA_Person_Unique_Identifier,Date_of_Birth,Client_Type,Event_Type,Event_Reference,Event_Start_Date,Event_End_Date,Service_Type,Service_Component
        503,P1,1940-01-01,Service user,Service,S1,2024-01-01,2024-03-01,Long Term Support: Residential Care,Residential Care
        503,P1,1940-01-01,Service user,Service,S2,2024-01-01,,Long Term Support: Residential Care,Residential Care
        """,
    )
    frame, notes = _read(path)
    assert frame["event_reference"].to_list() == ["S2"]  # DHSC keeps the open one
    assert any("kept once" in note for note in notes)


def test_blank_event_reference_gets_a_stable_derived_one(tmp_path):
    text = """
        LA_Code,LA_Person_Unique_Identifier,Date_of_Birth,Client_Type,Event_Type,Event_Reference,Event_Start_Date
        503,P1,1940-01-01,Service user,Request,,2024-01-01
        503,P1,1940-01-01,Service user,Request,R2,2024-02-01
        """
    first, notes = _read(write_csv(tmp_path / "a.csv", text))
    again, _ = _read(write_csv(tmp_path / "b.csv", text))
    derived = first["event_reference"][0]
    assert derived.startswith("D") and len(derived) == 21
    assert again["event_reference"].to_list() == [derived, "R2"]
    assert "P1" not in derived
    assert any("without an Event_Reference" in note for note in notes)
