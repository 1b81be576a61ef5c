"""Each kind's careties layout reads into exactly its canonical frame."""

from __future__ import annotations

import datetime as dt

import polars as pl
import pytest

import careties.data as data
from careties.data.frames import CANONICAL, KINDS

from .helpers import write_csv

KEY = b"test-key-0123456789"

GOOD = {
    "local_authorities": """
        la_code,name,region
        E09000001,City of London,London
        E10000006,Cumbria,North West
    """,
    "practices": """
        practice_code,name,postcode,la_code,status
        A81001,The Densham Surgery,ts18 1hu,E06000004,Active
        A81002,Queens Park Medical Centre,TS18 2AW,E06000004,C
    """,
    "registered_patients": """
        practice_code,extract_date,sex,age_band,patients
        A81001,2024-04-01,FEMALE,65_69,120
        A81001,2024-04-01,male,95+,3
    """,
    "population": """
        la_code,year,population_65_plus
        E06000004,2023,35000
        E06000004,2022,34500
    """,
    "professionals": """
        professional_id,role,organisation,la_code
        P001,GP,A81001,E06000004
        P002,Social worker,ASC-NORTH,E06000004
        P003,Occupational therapist,asc_north,E06000004
    """,
    "events": """
        event_reference,person_id,date_of_birth,la_code,event_type,start_date,end_date,service_type,route_of_access,practice_code,professional_id,event_outcome
        EV1,person-1,1940-06-15,E06000004,Request,2024-01-10,2024-01-11,,Discharge from Hospital,A81001,P001,Progress to support planning or services
        EV2,person-1,1940-06-15,E06000004,service,2024-02-01,,Long-term residential,community,A81001,,
        EV3,person-2,15/03/1950,E06000004,Service,2024-02-01,,Reablement or short-term,,,,
    """,
    "contacts": """
        contact_date,from_professional,to_professional,channel,purpose,minutes
        2024-03-01,P001,P002,Telephone,case discussion,15
        2024-03-01,P001,P002,Telephone,case discussion,15
        2024-03-02,P002,P003,MDT,referral,45
    """,
    "survey_responses": """
        response_id,wave,instrument,la_code,organisation,respondent_id,question_id,answer
        R1,2025-W1,gp,E06000004,A81001,P001,rc_1,4
        R1,2025-W1,gp,E06000004,A81001,P001,rc_2,5
        R2,2025-W1,older person,E06000004,,,op_1,3
    """,
    "services": """
        service_id,name,service_type,description,eligibility,cost,contact,area,la_code,quality_rating,status
        S1,Tea and Chat,social_support,A weekly club,65+,Free,+44 1642 000000,Stockton,E06000004,4,active
        S2,Falls class,exercise_classes,,,,,,E06000004,,Temporarily closed
    """,
    "emergency_admissions": """
        la_code,month,practice_code,admissions_65_plus
        E06000004,2025-04,,120
        E06000004,2025-04-01,A81001,31
    """,
    "discharges": """
        la_code,month,discharges,discharged_on_ready_date,mean_delay_days_others
        E06000004,2025-04,900,780,5.2
        E06000004,2025-05,880,880,
    """,
    "practice_deprivation": """
        practice_code,deprivation_score
        A81001,31.4
        A81002,12.0
    """,
}


@pytest.mark.parametrize("kind", KINDS)
def test_careties_layout_reads_into_canonical_frame(tmp_path, kind):
    frame = data.read(
        kind, write_csv(tmp_path / f"{kind}.csv", GOOD[kind]), pseudonymisation_key=KEY
    )
    assert frame.schema == pl.Schema(CANONICAL[kind])
    assert frame.height >= 2


def test_codes_are_normalised_from_human_spellings(tmp_path):
    professionals = data.read("professionals", write_csv(tmp_path / "p.csv", GOOD["professionals"]))
    assert professionals["role"].to_list() == ["gp", "social_worker", "occupational_therapist"]
    assert professionals["organisation"].to_list() == ["A81001", "ASC-NORTH", "ASC_NORTH"]
    practices = data.read("practices", write_csv(tmp_path / "pr.csv", GOOD["practices"]))
    assert practices["status"].to_list() == ["A", "C"]
    assert practices["postcode"].to_list() == ["TS18 1HU", "TS18 2AW"]


def test_events_derive_age_and_map_codes(tmp_path):
    frame = data.read(
        "events", write_csv(tmp_path / "e.csv", GOOD["events"]), pseudonymisation_key=KEY
    )
    assert frame["age"].to_list() == [83, 83, 73]
    assert frame["service_type"].to_list() == [None, "long_term_residential", "reablement"]
    assert frame["route_of_access"].to_list() == ["discharge_from_hospital", "community", None]
    assert frame["end_date"].to_list() == [dt.date(2024, 1, 11), None, None]
    assert "person_id" not in frame.columns


def test_events_accept_age_instead_of_date_of_birth(tmp_path):
    path = write_csv(
        tmp_path / "e.csv",
        """
        event_reference,person_id,age,la_code,event_type,start_date
        EV1,p1,81,E06000004,request,2024-01-10
        """,
    )
    assert data.read("events", path)["age"].to_list() == [81]


def test_contacts_derive_stable_distinct_references(tmp_path):
    path = write_csv(tmp_path / "c.csv", GOOD["contacts"])
    first = data.read("contacts", path)["contact_reference"].to_list()
    again = data.read("contacts", path)["contact_reference"].to_list()
    assert first == again
    assert len(set(first)) == 3
    frame = data.read("contacts", path)
    assert frame["channel"].to_list() == ["phone", "phone", "multidisciplinary_meeting"]


def test_services_map_status_and_rating(tmp_path):
    frame = data.read("services", write_csv(tmp_path / "s.csv", GOOD["services"]))
    assert frame["status"].to_list() == ["active", "temporarily closed"]
    assert frame["quality_rating"].to_list() == [4, None]
