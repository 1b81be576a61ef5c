"""Optional means optional: every kind imports into the store with its optional columns absent.

Before, ``local_authorities`` without ``region`` and ``practices`` without
``status`` reached the database as nulls and failed on a NOT NULL constraint
with a traceback. One test per kind that has optional columns (docs/data.md).
"""

from __future__ import annotations

from pathlib import Path

import pytest

from careties.web.store.models import CareEvent, LocalAuthority, Practice, Service
from careties.web.store.services import import_file

pytestmark = pytest.mark.django_db

LA = "E10000019"


def _file(tmp_path: Path, name: str, text: str) -> Path:
    path = tmp_path / name
    path.write_text(text)
    return path


def _councils(tmp_path):
    import_file(
        "local_authorities", _file(tmp_path, "la.csv", f"la_code,name\n{LA},Lincolnshire\n")
    )


def test_local_authorities_without_region_take_it_from_the_lookup(tmp_path):
    _councils(tmp_path)
    assert LocalAuthority.objects.get(la_code=LA).region == "East Midlands"


def test_practices_without_status_are_open(tmp_path):
    _councils(tmp_path)
    import_file(
        "practices",
        _file(tmp_path, "p.csv", f"practice_code,name,postcode,la_code\nA81001,One,LN1 1AA,{LA}\n"),
    )
    assert Practice.objects.get(practice_code="A81001").status == "A"


def test_population_without_18_64(tmp_path):
    _councils(tmp_path)
    result = import_file(
        "population",
        _file(tmp_path, "pop.csv", f"la_code,year,population_65_plus\n{LA},2024,180000\n"),
    )
    assert result.rows == 1


def test_events_with_only_required_columns(tmp_path):
    _councils(tmp_path)
    import_file(
        "events",
        _file(
            tmp_path,
            "ev.csv",
            f"event_reference,person_id,la_code,event_type,start_date,age\nE1,P1,{LA},request,2024-01-01,80\n",
        ),
    )
    assert CareEvent.objects.get(event_reference="E1").client_type == "service_user"


def test_cld_events_with_blank_optional_fields(tmp_path):
    _councils(tmp_path)
    import_file(
        "events",
        _file(
            tmp_path,
            "cld.csv",
            "LA_Code,LA_Person_Unique_Identifier,Date_of_Birth,Client_Type,Event_Type,Event_Reference,Event_Start_Date\n"
            "503,P1,,Service User,Request,R1,2024-01-01\n",
        ),
    )
    event = CareEvent.objects.get(event_reference="R1")
    assert event.age is None and event.la_code == LA


def test_contacts_without_reference(tmp_path):
    _councils(tmp_path)
    import_file(
        "professionals",
        _file(
            tmp_path,
            "pr.csv",
            f"professional_id,role,organisation,la_code\nGP1,gp,A81001,{LA}\nSW1,social_worker,T1,{LA}\n",
        ),
    )
    result = import_file(
        "contacts",
        _file(
            tmp_path,
            "c.csv",
            "contact_date,from_professional,to_professional,channel,purpose,minutes\n"
            "2024-01-01,GP1,SW1,phone,referral,10\n",
        ),
    )
    assert result.rows == 1


def test_services_without_optional_columns(tmp_path):
    _councils(tmp_path)
    import_file(
        "services",
        _file(
            tmp_path,
            "s.csv",
            f"service_id,name,service_type,la_code,status\nS1,Club,social_support,{LA},active\n",
        ),
    )
    assert Service.objects.get(service_id="S1").description == ""


def test_emergency_admissions_without_practice(tmp_path):
    _councils(tmp_path)
    result = import_file(
        "emergency_admissions",
        _file(tmp_path, "ea.csv", f"la_code,month,admissions_65_plus\n{LA},2024-04,120\n"),
    )
    assert result.rows == 1


def test_practice_deprivation_without_year(tmp_path):
    _councils(tmp_path)
    import_file(
        "practices",
        _file(tmp_path, "p.csv", f"practice_code,name,postcode,la_code\nA81001,One,LN1 1AA,{LA}\n"),
    )
    result = import_file(
        "practice_deprivation",
        _file(tmp_path, "dep.csv", "practice_code,deprivation_score\nA81001,23.4\n"),
    )
    assert result.rows == 1


def test_survey_responses_with_blank_organisation_and_respondent(tmp_path):
    _councils(tmp_path)
    result = import_file(
        "survey_responses",
        _file(
            tmp_path,
            "sr.csv",
            "response_id,wave,instrument,la_code,organisation,respondent_id,question_id,answer\n"
            f"R1,2025-W1,older_person,{LA},,,op_q1,3\n",
        ),
    )
    assert result.rows == 1
