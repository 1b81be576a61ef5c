"""Files as NHS Digital and DHSC publish them, and the encodings Excel writes."""

from __future__ import annotations

import datetime as dt

import careties.data as data

from .helpers import write_csv, write_xlsx

KEY = b"test-key-0123456789"


def epraccur_row(
    code: str, setting: str = "4", postcode: str = "TS18 1HU", status: str = "A"
) -> str:
    cells = [code, "THE SURGERY", "Y63", "QHM", "1 HIGH ST", "", "STOCKTON", "", "", postcode]
    cells += ["19740401", "", status, "B", "16C", "20200401", "", "01642 000000"]
    cells += ["", "", "", "0", "", "16C", "", setting, ""]
    assert len(cells) == 27
    return ",".join(f'"{c}"' for c in cells)


def test_epraccur_keeps_gp_practices_and_assigns_default_council(tmp_path):
    path = tmp_path / "epraccur.csv"
    path.write_text(
        "\n".join(
            [
                epraccur_row("A81001"),
                epraccur_row("Y00001", setting="1"),
                epraccur_row("A81002", status="C"),
            ]
        )
        + "\n"
    )
    frame = data.read("practices", path, default_la_code="E06000004")
    assert frame["practice_code"].to_list() == ["A81001", "A81002"]
    assert frame["status"].to_list() == ["A", "C"]
    assert frame["la_code"].to_list() == ["E06000004", "E06000004"]
    assert data.detect_kind(path) == "practices"


def test_epraccur_without_council_leaves_la_code_null(tmp_path):
    path = tmp_path / "epraccur.csv"
    path.write_text(epraccur_row("A81001") + "\n")
    assert data.read("practices", path)["la_code"].to_list() == [None]


def test_epraccur_council_by_postcode(tmp_path):
    path = tmp_path / "epraccur.csv"
    path.write_text(epraccur_row("A81001", postcode="TS18 1HU") + "\n")
    frame = data.read("practices", path, la_code_by_postcode={"ts181hu": "E06000004"})
    assert frame["la_code"].to_list() == ["E06000004"]


QUIN = """
PUBLICATION,EXTRACT_DATE,ORG_TYPE,ORG_CODE,ONS_CODE,POSTCODE,SEX,AGE_GROUP_5,NUMBER_OF_PATIENTS
GP_PRAC_PAT_LIST,{d},Comm Region,Y56,E40000003,NA,ALL,ALL,9000000
GP_PRAC_PAT_LIST,{d},GP,A81001,NA,TS18 1HU,FEMALE,65_69,120
GP_PRAC_PAT_LIST,{d},GP,A81001,NA,TS18 1HU,FEMALE,ALL,4000
GP_PRAC_PAT_LIST,{d},GP,A81001,NA,TS18 1HU,MALE,95+,2
"""


def test_quin_age_in_each_published_date_format(tmp_path):
    for spelling in ("01-Apr-17", "01APR2017", "2017-04-01"):
        path = write_csv(tmp_path / "gp-reg-pat-prac-quin-age.csv", QUIN.format(d=spelling))
        frame = data.read("registered_patients", path)
        assert frame["extract_date"].to_list() == [dt.date(2017, 4, 1)] * 2
        assert frame["age_band"].to_list() == ["65_69", "95+"]
        assert frame["patients"].to_list() == [120, 2]


def test_single_age_file_is_banded(tmp_path):
    path = write_csv(
        tmp_path / "gp-reg-pat-prac-all.csv",
        """
        PUBLICATION,EXTRACT_DATE,TYPE,SUB_ICB_LOCATION_CODE,ONS_SUB_ICB_LOCATION_CODE,CODE,POSTCODE,SEX,AGE,NUMBER_OF_PATIENTS
        GP_PRAC_PAT_LIST,04JAN2021,GP,16C,E38000247,A81001,TS18 1HU,MALE,65,10
        GP_PRAC_PAT_LIST,04JAN2021,GP,16C,E38000247,A81001,TS18 1HU,MALE,69,5
        GP_PRAC_PAT_LIST,04JAN2021,GP,16C,E38000247,A81001,TS18 1HU,MALE,70,7
        GP_PRAC_PAT_LIST,04JAN2021,GP,16C,E38000247,A81001,TS18 1HU,MALE,95+,1
        GP_PRAC_PAT_LIST,04JAN2021,GP,16C,E38000247,A81001,TS18 1HU,MALE,ALL,23
        """,
    )
    frame = data.read("registered_patients", path)
    assert dict(zip(frame["age_band"], frame["patients"], strict=True)) == {
        "65_69": 15,
        "70_74": 7,
        "95+": 1,
    }
    assert frame["extract_date"].unique().to_list() == [dt.date(2021, 1, 4)]


CLD_HEADER = (
    "LA_Code,LA_Person_Unique_Identifier,NHS_Number,GP_Practice_Code,Gender,Date_of_Birth,Client_Type,"
    "Event_Type,Event_Reference,Event_Start_Date,Event_End_Date,Event_Outcome,Request_Route_of_Access,"
    "Service_Type,Service_Component,Delivery_Mechanism"
)


def test_cld_release_1_and_2_spellings(tmp_path):
    path = write_csv(
        tmp_path / "cld.csv",
        CLD_HEADER
        + """
        E06000004,LA-1,9434765919,A81001,Female,1940-06-15,Service user,Request,R1,2024-01-10,2024-01-12,Progress to support planning or services,Community / Other route,,,
        E06000004,LA-1,9434765919,A81001,Female,1940-06-15,Service user,Service,S1,2024-02-01,,,,Long Term Support: Residential Care,Residential Care,
        E06000004,,943 476 5870,A81002,Male,1935-01-01,Service user,Service,S2,2024-02-01,,,,Long term support: Nursing care,Nursing Care,
        E06000004,LA-3,,,Male,1950-01-01,Service user,Service,S3,2024-02-01,,,,Long term support: Community,Home Support,Direct to provider
        E06000004,LA-4,,,Male,1950-01-01,Service user,Service,S4,2024-02-01,,,,Long Term Support: Community,Direct Payment,
        E06000004,LA-5,,,Male,1950-01-01,Service user,Service,S5,2024-02-01,,,,Short Term Support: ST-Max,Reablement,
        E06000004,LA-6,,,Male,1950-01-01,Service user,Service,S6,2024-02-01,,,,Long term support: Residential care,Short Term Residential Care,
        E06000004,LA-7,,,Male,1950-01-01,Service user,Request,R7,2024-02-01,,,Discharge from Hospital,,,
        E06000004,LA-8,,,Male,1950-01-01,Service user,Request,R8,2024-02-01,,,Self-Funder,,,
        """,
    )
    frame = data.read("events", path, pseudonymisation_key=KEY)
    assert frame["service_type"].to_list() == [
        None,
        "long_term_residential",
        "long_term_nursing",
        "home_care",
        "direct_payment",
        "reablement",
        "other",
        None,
        None,
    ]
    assert frame["route_of_access"].to_list()[0] == "community"
    assert frame["route_of_access"].to_list()[-2:] == ["discharge_from_hospital", "other"]
    assert frame["age"].to_list()[:2] == [83, 83]
    assert frame["person_key"][0] == frame["person_key"][1]
    assert frame["person_key"][2] == data.pseudonymise(["9434765870"], KEY)[0]
    text = frame.write_csv()
    for raw in ("LA-1", "9434765919", "9434765870", "LA-3"):
        assert raw not in text


def test_cp1252_file(tmp_path):
    path = write_csv(
        tmp_path / "la.csv",
        """
        la_code,name,region
        E06000004,Stockton-on-Tees – Café,North East
        """,
        encoding="cp1252",
    )
    assert data.read("local_authorities", path)["name"].to_list() == ["Stockton-on-Tees – Café"]


def test_utf8_bom_file_and_messy_headers(tmp_path):
    path = write_csv(
        tmp_path / "la.csv",
        """
        \ufeff LA Code ,Name,REGION
        E06000004,Stockton-on-Tees,North East
        """,
        encoding="utf-8",
    )
    assert data.read("local_authorities", path)["la_code"].to_list() == ["E06000004"]


def test_xlsx_with_numbers_and_dates(tmp_path):
    path = write_xlsx(
        tmp_path / "patients.xlsx",
        {
            "registered_patients": [
                ["practice_code", "extract_date", "sex", "age_band", "patients"],
                ["A81001", dt.datetime(2024, 4, 1), "FEMALE", "65_69", 120],
                ["A81001", dt.date(2024, 4, 1), "MALE", "65_69", 110.0],
            ],
            "Notes": [["This workbook was prepared by ..."]],
        },
    )
    frame = data.read("registered_patients", path)
    assert frame["patients"].to_list() == [120, 110]
    assert frame["extract_date"].to_list() == [dt.date(2024, 4, 1)] * 2


def test_xlsx_with_one_sheet_of_data(tmp_path):
    path = write_xlsx(
        tmp_path / "anything.xlsx",
        {
            "Sheet1": [
                ["la_code", "name", "region"],
                ["E06000004", "Stockton-on-Tees", "North East"],
            ],
            "Sheet2": [],
        },
    )
    assert data.read("local_authorities", path).height == 1


def test_detect_kind(tmp_path):
    path = write_csv(tmp_path / "x.csv", QUIN.format(d="2017-04-01"))
    assert data.detect_kind(path) == "registered_patients"
    path = write_csv(tmp_path / "y.csv", CLD_HEADER + "\n")
    assert data.detect_kind(path) == "events"
