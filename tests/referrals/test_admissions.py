"""The ASCOF 2C counting rule, case by case (DHSC's Client Level Data method)."""

from __future__ import annotations

from careties.referrals.admissions import (
    SELF_FUNDED_OUTCOME,
    ascof_measure_name,
    new_admissions,
)

from .helpers import events


def refs(frame) -> list[str]:
    return sorted(frame["event_reference"].to_list())


def test_a_first_residential_service_at_65_plus_is_an_admission():
    result = new_admissions(events({"person_key": "P1", "start_date": "2023-06-01"}))
    assert refs(result) == ["EV1"]
    assert result["financial_year"].to_list() == ["2023-24"]


def test_under_65_at_start_is_excluded():
    result = new_admissions(
        events(
            {"person_key": "P1", "start_date": "2023-06-01", "age": 64},
            {"person_key": "P2", "start_date": "2023-06-01", "age": 65},
        )
    )
    assert refs(result) == ["EV2"]


def test_self_funded_outcome_is_excluded_whatever_its_case():
    result = new_admissions(
        events(
            {"person_key": "P1", "start_date": "2023-06-01", "event_outcome": SELF_FUNDED_OUTCOME},
            {
                "person_key": "P2",
                "start_date": "2023-06-01",
                "event_outcome": SELF_FUNDED_OUTCOME.upper(),
            },
        )
    )
    assert result.is_empty()


def test_self_funded_placement_still_counts_as_earlier_care():
    # Funds run out: the council takes over a placement the person was already in.
    result = new_admissions(
        events(
            {
                "person_key": "P1",
                "start_date": "2022-01-01",
                "end_date": "2023-05-31",
                "event_outcome": SELF_FUNDED_OUTCOME,
            },
            {"person_key": "P1", "start_date": "2023-06-01"},
        )
    )
    assert result.is_empty()


def test_move_from_residential_to_nursing_is_not_an_admission():
    result = new_admissions(
        events(
            {"person_key": "P1", "start_date": "2022-04-10", "end_date": "2023-09-30"},
            {
                "person_key": "P1",
                "start_date": "2023-10-01",
                "service_type": "long_term_nursing",
            },
        )
    )
    # Only the 2022-23 admission counts; the move in 2023-24 does not.
    assert refs(result) == ["EV1"]
    assert result["financial_year"].to_list() == ["2022-23"]


def test_care_ending_364_days_before_is_earlier_care_365_is_not():
    result = new_admissions(
        events(
            # ended 364 days before: not new
            {"person_key": "P1", "start_date": "2020-01-01", "end_date": "2022-06-02"},
            {"person_key": "P1", "start_date": "2023-06-01"},
            # ended exactly 365 days before: new again
            {"person_key": "P2", "start_date": "2020-01-01", "end_date": "2022-06-01"},
            {"person_key": "P2", "start_date": "2023-06-01"},
        )
    )
    new_in_2023 = result.filter(result["financial_year"] == "2023-24")
    assert refs(new_in_2023) == ["EV4"]


def test_open_earlier_service_means_not_new():
    result = new_admissions(
        events(
            {"person_key": "P1", "start_date": "2019-01-01", "end_date": None},
            {"person_key": "P1", "start_date": "2023-06-01"},
        )
    )
    assert "EV2" not in refs(result)


def test_non_residential_services_are_not_earlier_care_and_not_admissions():
    result = new_admissions(
        events(
            {"person_key": "P1", "start_date": "2023-04-01", "service_type": "home_care"},
            {"person_key": "P1", "start_date": "2023-06-01"},
            {"person_key": "P2", "start_date": "2023-06-01", "event_type": "assessment"},
        )
    )
    assert refs(result) == ["EV2"]


def test_one_count_per_person_per_year():
    result = new_admissions(
        events(
            {"person_key": "P1", "start_date": "2023-05-01", "end_date": "2023-05-10"},
            # re-admitted after a short stay at home: new by the 365-day rule only if the
            # earlier one ended a year before, so this one is not new anyway
            {"person_key": "P1", "start_date": "2023-08-01"},
            # two services starting the same day: one person, one count
            {"person_key": "P2", "start_date": "2023-07-01"},
            {"person_key": "P2", "start_date": "2023-07-01", "service_type": "long_term_nursing"},
        )
    )
    assert result.height == 2
    assert sorted(result["person_key"].to_list()) == ["P1", "P2"]


def test_same_person_key_in_two_councils_is_two_people():
    result = new_admissions(
        events(
            {"person_key": "P1", "start_date": "2022-06-01", "la_code": "E06000001"},
            {"person_key": "P1", "start_date": "2023-06-01", "la_code": "E06000002"},
        )
    )
    assert result.height == 2


def test_financial_year_runs_april_to_march():
    result = new_admissions(
        events(
            {"person_key": "P1", "start_date": "2024-03-31"},
            {"person_key": "P2", "start_date": "2024-04-01"},
        )
    )
    assert dict(zip(result["person_key"], result["financial_year"], strict=True)) == {
        "P1": "2023-24",
        "P2": "2024-25",
    }


def test_measure_is_named_by_year():
    assert ascof_measure_name("2022-23") == "ASCOF 2A(2)"
    assert ascof_measure_name("2023-24") == "ASCOF 2C"
