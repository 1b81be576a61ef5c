"""Bad files: every error is reported, at the row and column a spreadsheet shows."""

from __future__ import annotations

import datetime as dt

import pytest

import careties.data as data
from careties.data import KnownCodes

from .helpers import error_list, errors_of, write_csv, write_xlsx

LA = "la_code,name,region"
EVENTS = "event_reference,person_id,date_of_birth,la_code,event_type,start_date,end_date,service_type,practice_code"
CONTACTS = "contact_date,from_professional,to_professional,channel,purpose,minutes"
TOMORROW = (dt.date.today() + dt.timedelta(days=1)).isoformat()


def test_malformed_ons_code(tmp_path):
    path = write_csv(
        tmp_path / "la.csv", f"{LA}\nE09000001,A,London\nE11000001,B,London\nE0900001,C,London"
    )
    assert errors_of("local_authorities", path) == [(3, "la_code"), (4, "la_code")]


def test_malformed_ods_code(tmp_path):
    path = write_csv(
        tmp_path / "p.csv",
        "practice_code,name,postcode,la_code\nA81001,A,TS18 1HU,E06000004\n81001A,B,TS18 1HU,E06000004\nA8100,C,TS18 1HU,E06000004",
    )
    assert errors_of("practices", path) == [(3, "practice_code"), (4, "practice_code")]


def test_unknown_council_with_known_codes(tmp_path):
    path = write_csv(
        tmp_path / "pop.csv",
        "la_code,year,population_65_plus\nE06000004,2023,100\nE06000005,2023,100",
    )
    known = KnownCodes(la_codes={"E06000004"})
    errors = error_list("population", path, known=known)
    assert [(e.row, e.column) for e in errors] == [(3, "la_code")]
    assert "unknown council" in errors[0].reason


def test_known_codes_none_skips_referential_checks(tmp_path):
    path = write_csv(tmp_path / "pop.csv", "la_code,year,population_65_plus\nE06000005,2023,100")
    assert data.read("population", path, known=None).height == 1


def test_unknown_practice_with_known_codes(tmp_path):
    path = write_csv(
        tmp_path / "e.csv",
        f"{EVENTS}\nE1,p1,1940-01-01,E06000004,request,2024-01-01,,,A81001\nE2,p1,1940-01-01,E06000004,request,2024-01-01,,,A81009",
    )
    known = KnownCodes(la_codes={"E06000004"}, practice_codes={"A81001"})
    assert errors_of("events", path, known=known) == [(3, "practice_code")]


def test_unknown_professional_in_contacts(tmp_path):
    path = write_csv(
        tmp_path / "c.csv",
        f"{CONTACTS}\n2024-01-01,P1,P2,phone,referral,5\n2024-01-01,P1,P9,phone,referral,5",
    )
    assert errors_of("contacts", path, known=KnownCodes(professional_ids={"P1", "P2"})) == [
        (3, "to_professional")
    ]


def test_future_dates(tmp_path):
    path = write_csv(
        tmp_path / "e.csv",
        f"{EVENTS}\nE1,p1,1940-01-01,E06000004,request,{TOMORROW},,,\nE2,p1,{TOMORROW},E06000004,request,2024-01-01,,,",
    )
    errors = error_list("events", path)
    assert (2, "start_date") in [(e.row, e.column) for e in errors]
    assert (3, "date_of_birth") in [(e.row, e.column) for e in errors]
    assert any("future" in e.reason for e in errors)


def test_end_before_start(tmp_path):
    path = write_csv(
        tmp_path / "e.csv", f"{EVENTS}\nE1,p1,1940-01-01,E06000004,request,2024-02-01,2024-01-31,,"
    )
    assert errors_of("events", path) == [(2, "end_date")]


def test_negative_counts(tmp_path):
    path = write_csv(tmp_path / "pop.csv", "la_code,year,population_65_plus\nE06000004,2023,-3")
    errors = error_list("population", path)
    assert [(e.row, e.column, e.reason) for e in errors] == [
        (2, "population_65_plus", "negative count")
    ]


def test_non_numeric_counts(tmp_path):
    path = write_csv(
        tmp_path / "rp.csv",
        "practice_code,extract_date,sex,age_band,patients\nA81001,2024-04-01,MALE,0_4,ten\nA81001,2024-04-01,FEMALE,0_4,1.5",
    )
    assert errors_of("registered_patients", path) == [(2, "patients"), (3, "patients")]


def test_duplicate_keys_name_the_first_row(tmp_path):
    path = write_csv(
        tmp_path / "la.csv", f"{LA}\nE09000001,A,London\nE09000002,B,London\nE09000001,C,London"
    )
    errors = error_list("local_authorities", path)
    assert [(e.row, e.column) for e in errors] == [(4, "la_code")]
    assert "row 2" in errors[0].reason


def test_duplicate_composite_key(tmp_path):
    path = write_csv(
        tmp_path / "e.csv",
        f"{EVENTS}\nE1,p1,1940-01-01,E06000004,request,2024-01-01,,,\nE1,p2,1940-01-01,E06000005,request,2024-01-01,,,\nE1,p3,1940-01-01,E06000004,request,2024-01-01,,,",
    )
    errors = error_list("events", path)
    assert [(e.row, e.column) for e in errors] == [(4, "event_reference")]
    assert "row 2" in errors[0].reason


def test_missing_required_column(tmp_path):
    path = write_csv(tmp_path / "pop.csv", "la_code,population_65_plus\nE06000004,100")
    errors = error_list("population", path)
    assert [(e.row, e.column) for e in errors] == [(None, "year")]
    assert "missing required column 'year'" in errors[0].reason


def test_extra_columns(tmp_path):
    path = write_csv(tmp_path / "la.csv", "la_code,name,region,notes\nE06000004,A,B,x")
    errors = error_list("local_authorities", path)
    assert [(e.row, e.column) for e in errors] == [(None, "notes")]
    assert "unexpected column" in errors[0].reason


def test_wrong_type_year(tmp_path):
    path = write_csv(tmp_path / "pop.csv", "la_code,year,population_65_plus\nE06000004,twenty,100")
    assert errors_of("population", path) == [(2, "year")]


def test_undecodable_bytes(tmp_path):
    path = tmp_path / "la.csv"
    # 0x81 and 0x8d are undefined in cp1252 and invalid UTF-8; charset detection may still
    # decode it, but then the content is garbage and fails the contract.
    path.write_bytes(b"\x81\x8d\x90\x9d" * 50 + b"\xff\xfe\x00\x00")
    errors = error_list("local_authorities", path)
    assert errors[0].row is None


def test_empty_file(tmp_path):
    path = tmp_path / "la.csv"
    path.write_bytes(b"")
    errors = error_list("local_authorities", path)
    assert [(e.row, e.column, e.reason) for e in errors] == [(None, None, "the file is empty")]


def test_whitespace_only_file(tmp_path):
    path = tmp_path / "la.csv"
    path.write_bytes(b"\n\n  \n")
    assert errors_of("local_authorities", path) == [(None, None)]


def test_header_only(tmp_path):
    path = write_csv(tmp_path / "la.csv", LA)
    errors = error_list("local_authorities", path)
    assert [(e.row, e.column) for e in errors] == [(None, None)]
    assert "no data rows" in errors[0].reason


def test_formula_in_csv(tmp_path):
    path = write_csv(tmp_path / "la.csv", f'{LA}\nE06000004,"=HYPERLINK(""http://x"")",North East')
    errors = error_list("local_authorities", path)
    assert [(e.row, e.column) for e in errors] == [(2, "name")]
    assert "formula" in errors[0].reason


def test_negative_number_is_not_a_formula(tmp_path):
    path = write_csv(tmp_path / "c.csv", f"{CONTACTS}\n2024-01-01,P1,P2,phone,referral,-3")
    errors = error_list("contacts", path)
    assert [(e.row, e.column, e.reason) for e in errors] == [
        (2, "minutes", "negative number of minutes")
    ]


def test_formula_in_xlsx(tmp_path):
    path = write_xlsx(
        tmp_path / "pop.xlsx",
        {
            "population": [
                ["la_code", "year", "population_65_plus"],
                ["E06000004", 2023, "=1+1"],
                ["E06000005", 2023, 5],
            ]
        },
    )
    errors = error_list("population", path)
    assert (2, "population_65_plus") in [(e.row, e.column) for e in errors]
    assert any("formula" in e.reason for e in errors)


def test_multi_sheet_xlsx_without_matching_name(tmp_path):
    path = write_xlsx(tmp_path / "w.xlsx", {"A": [["la_code"], ["E06000004"]], "B": [["x"], ["y"]]})
    errors = error_list("local_authorities", path)
    assert [(e.row, e.column) for e in errors] == [(None, None)]
    assert "A, B" in errors[0].reason


def test_corrupt_xlsx(tmp_path):
    path = tmp_path / "w.xlsx"
    path.write_bytes(b"PK\x03\x04 this is not really a workbook")
    assert errors_of("local_authorities", path) == [(None, None)]


def test_truncated_last_row(tmp_path):
    path = tmp_path / "la.csv"
    path.write_text(f"{LA}\nE06000004,A,North East\nE06000005,B")
    errors = error_list("local_authorities", path)
    assert (3, None) in [(e.row, e.column) for e in errors]
    assert any("truncated" in e.reason for e in errors)


def test_unterminated_quote(tmp_path):
    path = tmp_path / "la.csv"
    path.write_text(f'{LA}\nE06000004,A,North East\nE06000005,"B,North')
    errors = error_list("local_authorities", path)
    assert [(e.row, e.column) for e in errors] == [(3, None)]
    assert "unterminated" in errors[0].reason


def test_row_with_too_many_fields(tmp_path):
    path = write_csv(
        tmp_path / "la.csv", f"{LA}\nE06000004,A,North East,extra\nE06000005,B,North East"
    )
    assert errors_of("local_authorities", path) == [(2, None)]


def test_bad_date_formats(tmp_path):
    path = write_csv(
        tmp_path / "e.csv",
        f"{EVENTS}\nE1,p1,1940-01-01,E06000004,request,2024-13-01,,,\nE2,p1,31/02/1940,E06000004,request,2024-01-01,,,\nE3,p1,1940-01-01,E06000004,request,yesterday,,,",
    )
    assert errors_of("events", path) == [(2, "start_date"), (3, "date_of_birth"), (4, "start_date")]


def test_bad_codes(tmp_path):
    path = write_csv(
        tmp_path / "p.csv",
        "professional_id,role,organisation,la_code\nP1,GP,A81001,E06000004\nP2,Wizard,A81001,E06000004\nP3,gp,not a code!,E06000004",
    )
    assert errors_of("professionals", path) == [(3, "role"), (4, "organisation")]


def test_bad_event_and_service_type(tmp_path):
    path = write_csv(
        tmp_path / "e.csv",
        f"{EVENTS}\nE1,p1,1940-01-01,E06000004,visit,2024-01-01,,,\nE2,p1,1940-01-01,E06000004,service,2024-01-01,,teleporting,\nE3,p1,1940-01-01,E06000004,service,2024-01-01,,,\nE4,p1,1940-01-01,E06000004,request,2024-01-01,,home care,",
    )
    assert errors_of("events", path) == [
        (2, "event_type"),
        (3, "service_type"),
        (4, "service_type"),
        (5, "service_type"),
    ]


def test_age_over_120_and_negative(tmp_path):
    path = write_csv(
        tmp_path / "e.csv",
        f"{EVENTS}\nE1,p1,1890-01-01,E06000004,request,2024-01-01,,,\nE2,p1,2024-06-01,E06000004,request,2024-01-01,,,",
    )
    assert errors_of("events", path) == [(2, "date_of_birth"), (3, "date_of_birth")]


def test_age_column_out_of_range(tmp_path):
    path = write_csv(
        tmp_path / "e.csv",
        "event_reference,person_id,age,la_code,event_type,start_date\nE1,p1,121,E06000004,request,2024-01-01\nE2,p1,-1,E06000004,request,2024-01-01",
    )
    assert errors_of("events", path) == [(2, "age"), (3, "age")]


def test_contact_from_equals_to(tmp_path):
    path = write_csv(
        tmp_path / "c.csv",
        f"{CONTACTS}\n2024-01-01,P1,P2,phone,referral,5\n2024-01-01,P1,P1,phone,referral,5",
    )
    assert errors_of("contacts", path) == [(3, "to_professional")]


def test_bad_channel_and_purpose(tmp_path):
    path = write_csv(tmp_path / "c.csv", f"{CONTACTS}\n2024-01-01,P1,P2,pigeon,gossip,5")
    assert errors_of("contacts", path) == [(2, "channel"), (2, "purpose")]


def test_bad_quality_rating(tmp_path):
    path = write_csv(
        tmp_path / "s.csv",
        "service_id,name,service_type,la_code,status,quality_rating\nS1,A,t,E06000004,active,6\nS2,B,t,E06000004,active,0\nS3,C,t,E06000004,active,good",
    )
    assert errors_of("services", path) == [
        (2, "quality_rating"),
        (3, "quality_rating"),
        (4, "quality_rating"),
    ]


def test_bad_service_status(tmp_path):
    path = write_csv(
        tmp_path / "s.csv", "service_id,name,service_type,la_code,status\nS1,A,t,E06000004,open"
    )
    assert errors_of("services", path) == [(2, "status")]


def test_blank_required_field(tmp_path):
    path = write_csv(
        tmp_path / "sr.csv",
        "response_id,wave,instrument,la_code,organisation,respondent_id,question_id,answer\nR1,W1,gp,E06000004,A81001,,q1,\nR1,W1,dentist,E06000004,A81001,,,4",
    )
    assert errors_of("survey_responses", path) == [
        (2, "answer"),
        (3, "instrument"),
        (3, "question_id"),
    ]


def test_epraccur_with_wrong_column_count(tmp_path):
    path = tmp_path / "epraccur.csv"
    path.write_text(
        '"A81001","THE SURGERY","Y63","QHM","1 HIGH ST","","STOCKTON","","","TS18 1HU","19740401","","A"\n'
    )
    errors = error_list("practices", path)
    assert [(e.row, e.column) for e in errors] == [(None, None)]
    assert "27 columns" in errors[0].reason


def test_epraccur_postcode_without_council(tmp_path):
    from .test_published_layouts import epraccur_row

    path = tmp_path / "epraccur.csv"
    path.write_text(
        epraccur_row("A81001", postcode="TS18 1HU")
        + "\n"
        + epraccur_row("A81002", postcode="TS19 9ZZ")
        + "\n"
    )
    errors = error_list("practices", path, la_code_by_postcode={"TS18 1HU": "E06000004"})
    assert [(e.row, e.column) for e in errors] == [(2, "column 10 (postcode)")]


def test_quin_age_negative_count_reports_the_file_row(tmp_path):
    path = write_csv(
        tmp_path / "q.csv",
        """
        PUBLICATION,EXTRACT_DATE,ORG_TYPE,ORG_CODE,ONS_CODE,POSTCODE,SEX,AGE_GROUP_5,NUMBER_OF_PATIENTS
        X,01-Apr-17,ICB,QHM,E54000050,NA,ALL,ALL,100
        X,01-Apr-17,GP,A81001,NA,TS18 1HU,MALE,65_69,-5
        """,
    )
    assert errors_of("registered_patients", path) == [(3, "NUMBER_OF_PATIENTS")]


def test_cld_errors_name_cld_columns(tmp_path):
    path = write_csv(
        tmp_path / "cld.csv",
        """
        LA_Code,LA_Person_Unique_Identifier,GP_Practice_Code,Date_of_Birth,Event_Type,Event_Reference,Event_Start_Date,Event_End_Date,Service_Type,Service_Component
        E06000004,LA-1,A81001,1940-01-01,Service,S1,2024-01-01,,Long term support: Spaceship,
        E06000004,LA-2,A8100X,1940-01-01,Service,S2,2024-01-01,2023-12-01,Long term support: Nursing care,Nursing Care
        """,
    )
    # An unknown service type is kept as given and flagged, not refused (DHSC's cleaning).
    assert errors_of("events", path) == [
        (3, "GP_Practice_Code"),
        (3, "Event_End_Date"),
    ]


def test_cld_without_person_identifier(tmp_path):
    path = write_csv(
        tmp_path / "cld.csv",
        "LA_Code,Date_of_Birth,Event_Type,Event_Reference,Event_Start_Date\nE06000004,1940-01-01,Request,R1,2024-01-01",
    )
    errors = error_list("events", path)
    assert [(e.row, e.column) for e in errors] == [(None, None)]
    assert "LA_Person_Unique_Identifier" in errors[0].reason


def test_every_error_is_reported_not_just_the_first(tmp_path):
    rows = "\n".join(f"E0600000{i},,North East" for i in range(1, 6))
    path = write_csv(tmp_path / "la.csv", f"{LA}\n{rows}")
    assert errors_of("local_authorities", path) == [(r, "name") for r in range(2, 7)]


def test_error_cap_counts_the_rest(tmp_path):
    rows = "\n".join("BAD,x,y" for _ in range(1500))
    path = write_csv(tmp_path / "la.csv", f"{LA}\n{rows}")
    with pytest.raises(data.ValidationError) as caught:
        data.read("local_authorities", path)
    assert len(caught.value.errors) == 1000
    assert caught.value.total == 1500 + 1499  # bad codes, then duplicates of row 2
    assert "more" in str(caught.value)


def test_message_and_errors_csv(tmp_path):
    path = write_csv(tmp_path / "la.csv", f"{LA}\nE0600004,A,B")
    with pytest.raises(data.ValidationError) as caught:
        data.read("local_authorities", path)
    assert "row 2, column la_code" in str(caught.value)
    out = tmp_path / "errors.csv"
    data.write_errors_csv(caught.value.errors, out)
    lines = out.read_text().splitlines()
    assert lines[0] == "file,row,column,value,reason"
    assert lines[1].startswith("la.csv,2,la_code,E0600004,")
