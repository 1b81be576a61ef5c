"""Small-number suppression and anonymisation: NHS England's rule, in one place, configurable."""

from __future__ import annotations

import polars as pl
import pytest
from django.test import override_settings

from careties.web import disclosure
from careties.web.accounts.models import Role
from careties.web.disclosure import Disclosure, Policy, RateSpec, Rule

from .factories import make_user

SUPPRESSING = Policy(suppress_small_numbers=True, anonymise_practices=False)


@pytest.mark.parametrize(
    ("count", "shown"),
    [(0, 0), (1, None), (7, None), (8, 10), (10, 10), (12, 10), (13, 15), (22, 20), (23, 25)],
)
def test_counts_follow_nhs_england_rule(count, shown):
    assert disclosure.suppress_count(count) == shown


def test_frame_counts_are_suppressed_and_flagged():
    frame = pl.DataFrame({"practice_code": ["A", "B", "C"], "count": [0, 5, 23]})
    shown = disclosure.apply(frame, Disclosure(counts=("count",)), SUPPRESSING)
    shown = shown.sort("practice_code")  # rows are re-ordered by the shown count (tests/web/test_disclosure_intervals.py)
    assert shown["count"].to_list() == [0, None, 25]
    assert disclosure.is_suppressed(shown, "count").to_list() == [False, True, False]


def test_rates_are_recomputed_from_rounded_figures_and_hidden_with_either_part():
    frame = pl.DataFrame(
        {
            "count": [23, 3, 40],
            "patients": [1002, 1000, 6],
            "rate": [22.954, 3.0, 6666.7],
            "lower": [14.5, 0.6, 4000.0],
        }
    )
    spec = Disclosure(
        counts=("count", "patients"),
        rates=(RateSpec("rate", "count", "patients", 1000, 2, intervals=("lower",)),),
    )
    shown = disclosure.apply(frame, spec, SUPPRESSING)
    # 25 / 1000 x 1000, from the rounded figures, not 22.95 from the raw ones.
    assert shown["rate"].to_list() == [25.0, None, None]
    # The interval, too, from the rounded count (25 events, Byar: PHEindicatormethods'
    # byars_lower(25) = 16.174), not 14.5 from the true one, which would give 23 back.
    assert shown["lower"].to_list() == [16.17, None, None]
    assert disclosure.is_suppressed(shown, "rate").to_list() == [False, True, True]


def test_council_level_figures_are_not_suppressed():
    frame = pl.DataFrame({"admissions": [3]})
    shown = disclosure.apply(
        frame, Disclosure(level="council", counts=("admissions",)), SUPPRESSING
    )
    assert shown["admissions"].to_list() == [3]


def test_council_roles_see_small_numbers_below_council_level():
    frame = pl.DataFrame({"count": [3]})
    shown = disclosure.apply(frame, Disclosure(counts=("count",)), Policy.unrestricted())
    assert shown["count"].to_list() == [3]


def test_survey_results_from_fewer_than_five_are_never_shown_even_unrestricted():
    frame = pl.DataFrame({"answered": [4, 5], "percent": [50.0, 60.0]})
    spec = Disclosure(level="council", respondents="answered", survey_values=("percent",))
    shown = disclosure.apply(frame, spec, Policy.unrestricted())
    assert shown["percent"].to_list() == [None, 60.0]


@override_settings(
    CARETIES_SUPPRESSION={"threshold": 9, "rounding": 10, "min_survey_respondents": 10}
)
def test_rule_is_configurable_in_settings():
    rule = Rule.from_settings()
    assert (rule.threshold, rule.rounding, rule.min_survey_respondents) == (9, 10, 10)
    frame = pl.DataFrame({"count": [9, 14]})
    shown = disclosure.apply(frame, Disclosure(counts=("count",)), Policy(True, False, rule=rule))
    assert sorted(shown["count"].to_list(), key=str) == [10, None]


def test_other_practices_become_stable_pseudonyms_and_own_practice_stays():
    frame = pl.DataFrame(
        {"practice_code": ["A81001", "A81002"], "practice_name": ["Mine", "Theirs"]}
    )
    policy = Policy(False, True, own_practice="A81001")
    shown = disclosure.apply(
        frame, Disclosure(practice_columns=("practice_code", "practice_name")), policy
    )
    assert shown.row(0) == ("A81001", "Mine")
    pseudonym = disclosure.practice_pseudonym("A81002")
    assert shown.row(1) == (pseudonym, pseudonym)
    assert "A81002" not in pseudonym and pseudonym == disclosure.practice_pseudonym("A81002")


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("role", "suppressed", "anonymised"),
    [
        (Role.SYSTEM_ADMIN, False, False),
        (Role.COUNCIL_LEAD, False, False),
        (Role.COUNCIL_ANALYST, False, False),
        (Role.REGIONAL, True, True),
        (Role.PRACTICE, True, True),
        (Role.SOCIAL_WORKER, True, False),
    ],
)
def test_policy_per_role(role, suppressed, anonymised):
    user = make_user(f"p-{role}", role, la_codes=["E06000001"], practice_code="A81001")
    policy = Policy.for_user(user, "E06000001")
    assert policy.suppress_small_numbers is suppressed
    assert policy.anonymise_practices is anonymised


@pytest.mark.django_db
def test_council_roles_are_suppressed_outside_their_council():
    user = make_user("lead-x", Role.COUNCIL_LEAD, la_codes=["E06000001"])
    assert Policy.for_user(user, "E06000002").suppress_small_numbers
