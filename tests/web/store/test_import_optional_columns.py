"""Optional means optional: every kind imports into the store with its optional columns absent.

Before, ``local_authorities`` without ``region`` and ``practices`` without
``status`` reached the database as nulls and failed on a NOT NULL constraint
with a traceback. One test per kind that has optional columns (docs/data.md).
"""

from __future__ import annotations

import pytest

from careties.web.store.models import CareEvent, LocalAuthority, Practice, Service

from .conftest import LINCOLNSHIRE as LA

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("lincolnshire")]


def test_local_authorities_without_region_take_it_from_the_lookup():
    assert LocalAuthority.objects.get(la_code=LA).region == "East Midlands"


def test_practices_without_status_are_open(imported):
    imported("practices", f"practice_code,name,postcode,la_code\nA81001,One,LN1 1AA,{LA}\n")
    assert Practice.objects.get(practice_code="A81001").status == "A"


def test_population_without_18_64(imported):
    result = imported("population", f"la_code,year,population_65_plus\n{LA},2024,180000\n")
    assert result.rows == 1


def test_events_with_only_required_columns(imported):
    imported(
        "events",
        f"event_reference,person_id,la_code,event_type,start_date,age\nE1,P1,{LA},request,2024-01-01,80\n",
    )
    assert CareEvent.objects.get(event_reference="E1").client_type == "service_user"


def test_cld_events_with_blank_optional_fields(imported):
    imported(
        "events",
        "LA_Code,LA_Person_Unique_Identifier,Date_of_Birth,Client_Type,Event_Type,Event_Reference,Event_Start_Date\n"
        "503,P1,,Service User,Request,R1,2024-01-01\n",
    )
    event = CareEvent.objects.get(event_reference="R1")
    assert event.age is None and event.la_code == LA


def test_contacts_without_reference(imported):
    imported(
        "professionals",
        f"professional_id,role,organisation,la_code\nGP1,gp,A81001,{LA}\nSW1,social_worker,T1,{LA}\n",
    )
    result = imported(
        "contacts",
        "contact_date,from_professional,to_professional,channel,purpose,minutes\n"
        "2024-01-01,GP1,SW1,phone,referral,10\n",
    )
    assert result.rows == 1


def test_services_without_optional_columns(imported):
    imported(
        "services",
        f"service_id,name,service_type,la_code,status\nS1,Club,social_support,{LA},active\n",
    )
    assert Service.objects.get(service_id="S1").description == ""


def test_emergency_admissions_without_practice(imported):
    result = imported(
        "emergency_admissions", f"la_code,month,admissions_65_plus\n{LA},2024-04,120\n"
    )
    assert result.rows == 1


def test_practice_deprivation_without_year(imported):
    imported("practices", f"practice_code,name,postcode,la_code\nA81001,One,LN1 1AA,{LA}\n")
    result = imported("practice_deprivation", "practice_code,deprivation_score\nA81001,23.4\n")
    assert result.rows == 1


def test_survey_responses_with_blank_organisation_and_respondent(imported):
    result = imported(
        "survey_responses",
        "response_id,wave,instrument,la_code,organisation,respondent_id,question_id,answer\n"
        f"R1,2025-W1,older_person,{LA},,,op_q1,3\n",
    )
    assert result.rows == 1
