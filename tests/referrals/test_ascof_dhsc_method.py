"""ASCOF 2C and 2B numerators on a hand-written CLD file of edge cases, one test per rule.

Each test names the step of DHSC's published SQL it follows:
DataS-DHSC/ASC-CLD-LA-Dashboard, ``ASCOF_measures/Create_ASCOF_2B2C_2425_Onwards.sql``
(steps 1 to 4), with the cleaning before it in ``Stored_procedures/``
(``GetDerivedFields``, ``FilterToEventsInPeriod``) and
``ASCOF_measures/Create_personal_details_table.sql``. The file is
``tests/data/files/cld_ascof_edge_cases.csv``: Lincolnshire (integer LA code 503),
financial year 2024-25; each service's ``Event_Reference`` names its case.
"""

from __future__ import annotations

from pathlib import Path

import polars as pl
import pytest

import careties.data as data
from careties.referrals.admissions import new_admissions
from careties.referrals.ascof import ascof_2b, ascof_2c

FILE = Path(__file__).parents[1] / "data" / "files" / "cld_ascof_edge_cases.csv"
KEY = b"test-key"
LINCOLNSHIRE = "E10000019"


@pytest.fixture(scope="module")
def events() -> pl.DataFrame:
    return data.read("events", FILE, pseudonymisation_key=KEY)


@pytest.fixture(scope="module")
def counted(events) -> set[str]:
    """Event references of the new admissions counted in 2024-25, any adult age."""
    admitted = new_admissions(events, min_age=None)
    return set(admitted.filter(pl.col("financial_year") == "2024-25")["event_reference"])


def test_numerators_2c_and_2b(events):
    """Step 4 (#Numerators): 4 people 65+ and 1 person 18-64 on this file."""
    population = pl.DataFrame(
        {
            "la_code": [LINCOLNSHIRE],
            "year": [2024],
            "population_65_plus": [200_000],
            "population_18_64": [450_000],
        }
    )
    c = ascof_2c(events, population).filter(pl.col("financial_year") == "2024-25")
    b = ascof_2b(events, population).filter(pl.col("financial_year") == "2024-25")
    assert c["la_code"].to_list() == [LINCOLNSHIRE]
    assert c["admissions_65_plus"].to_list() == [4]
    assert c["rate_per_100k"].to_list() == [2.0]
    assert b["admissions_18_64"].to_list() == [1]
    assert b["rate_per_100k"].to_list() == [round(1 / 450_000 * 100_000, 1)]
    assert b["measure"].to_list() == ["ASCOF 2B"]


def test_a_plain_new_admission_counts(counted):
    """Steps 1-3: a service user's first long-term residential care in the year is new."""
    assert "NEW_PLAIN" in counted


def test_carers_are_left_out(counted):
    """Step 1: ``Client_Type_Cleaned = 'Service user'`` (release 1 'Carer' maps to a carer)."""
    assert "CARER" not in counted


def test_blank_client_type_is_left_out(counted):
    """Step 1: a blank Client_Type is not 'Service user'."""
    assert "NO_CLIENT_TYPE" not in counted


def test_no_date_of_birth_is_left_out(counted):
    """Step 1: ``b.Der_Birth_Date IS NOT NULL``."""
    assert "NO_BIRTH_DATE" not in counted


def test_died_before_the_period_is_left_out(counted):
    """Step 1: ``b.Date_of_Death >= @ReportingPeriodStartDate OR b.Date_of_Death IS NULL``."""
    assert "DIED_BEFORE_PERIOD" not in counted


def test_service_starting_after_death_is_left_out(counted):
    """FilterToEventsInPeriod: ``Date_of_Death >= Event_Start_Date``."""
    assert "STARTS_AFTER_DEATH" not in counted


def test_short_term_component_is_left_out(counted):
    """Step 1: ``Service_Component_Cleaned NOT LIKE '%Short%'``."""
    assert "SHORT_TERM_COMPONENT" not in counted


def test_release_1_self_funded_wording_is_left_out(events, counted):
    """Step 2: ``Event_Outcome_Cleaned <> 'NFA: Self-funded client or under 12wk disregard'``,
    after GetDerivedFields maps release 1's wording to release 2."""
    row = events.filter(pl.col("event_reference") == "SELF_FUNDED_R1")
    assert row["event_outcome"].to_list() == ["NFA: Self-funded client or under 12wk disregard"]
    assert "SELF_FUNDED_R1" not in counted


def test_earlier_care_ended_within_365_days_is_not_new(counted):
    """Step 3: ``DATEDIFF(DAY, b.Der_Event_End_Date, a.Event_Start_Date) < 365`` -> 'Existing'."""
    assert "AFTER_RECENT" not in counted


def test_earlier_care_ended_365_days_or_more_before_is_new(counted):
    """Step 3: earlier care ended 365+ days before the start does not make it 'Existing'."""
    assert "AFTER_LONG_AGO" in counted


def test_move_from_open_residential_to_nursing_is_not_new(counted):
    """Step 3: ``OR b.Der_Event_End_Date IS NULL`` -- earlier care still open."""
    assert "MOVE_TO_NURSING" not in counted


def test_two_council_ids_one_nhs_number_is_one_person(counted):
    """GetDerivedFields: ``Der_NHS_LA_Combined_Person_ID`` is the NHS number first."""
    assert "TWO_IDS_FIRST" in counted
    assert "TWO_IDS_SECOND" not in counted


def test_age_counts_from_the_first_of_the_birth_month(events, counted):
    """Step 1: ``FLOOR(DATEDIFF(DAY, Der_Birth_Date, Event_Start_Date) / 365.25)`` with
    ``Der_Birth_Date`` = birth year and month, day 01 (personal details table).
    Born 20 Sep 1959, admitted 10 Sep 2024: 64 by the calendar, 65 by DHSC."""
    row = events.filter(pl.col("event_reference") == "BIRTH_MONTH_65")
    assert row["age"].to_list() == [65]
    assert "BIRTH_MONTH_65" in counted


def test_under_18_is_left_out(counted):
    """Step 4: ``WHERE Der_Age_Event_Start >= 18``."""
    assert "UNDER_18" not in counted


def test_working_age_counts_in_2b_only(events):
    """Step 4: ``'18 to 64'`` band -> ASCOF 2B, not 2C."""
    over_65 = set(new_admissions(events)["event_reference"])
    assert "WORKING_AGE" not in over_65


def test_admission_before_the_period_is_not_in_it(counted):
    """Step 2: ``Event_Start_Date BETWEEN @ReportingPeriodStartDate AND @ReportingPeriodEndDate``."""
    assert "BEFORE_PERIOD" not in counted
