"""The role builders: the council's answers to the survey of every role, for the wave, pair
or two waves chosen on the page."""

from __future__ import annotations

import polars as pl
import pytest
from tests.web import dashboard_data

from careties.relations.surveys import role_matrix
from careties.relations.surveys.privacy import MIN_RESPONDENTS
from careties.web.dashboard.builders import roles
from careties.web.disclosure import Policy, Rule
from careties.web.presenters.base import Context, NotAvailable
from careties.web.selectors import load_frame


@pytest.fixture
def council(db) -> str:
    return dashboard_data.load("tiny")["la_code"]


def _context(la_code: str, policy: Policy | None = None, **params: str) -> Context:
    return Context(
        user=None,
        la_code=la_code,
        la_codes=[la_code],
        policy=policy or Policy.unrestricted(),
        params=params,
    )


def test_the_map_is_the_council_s_answers_of_the_wave(council):
    ctx = _context(council)
    waves = roles.waves(ctx)
    assert len(waves) >= 2
    answers = load_frame("survey_responses", council).filter(pl.col("instrument") == "roles")
    expected = role_matrix(answers.filter(pl.col("wave") == waves[0]), by=("la_code",))
    assert roles.role_map(ctx, waves[0]).equals(expected)
    # A wave on the page that is not one of the council's is ignored, not obeyed.
    assert roles.chosen_wave(_context(council, wave="1999-W9"), "wave", waves[-1]) == waves[-1]
    assert roles.chosen_wave(_context(council, wave=waves[0]), "wave", waves[-1]) == waves[0]


def test_two_waves_use_the_higher_of_the_library_floor_and_the_council_s(council):
    strict = Policy(
        suppress_small_numbers=True,
        anonymise_practices=True,
        rule=Rule(min_survey_respondents=MIN_RESPONDENTS + 3),
    )
    _, before, after, floor = roles.role_change(_context(council))
    assert floor == MIN_RESPONDENTS and before < after
    change, _, _, stricter = roles.role_change(_context(council, strict))
    assert stricter == MIN_RESPONDENTS + 3
    assert (
        change["suppressed_after"].sum()
        >= roles.role_change(_context(council))[0]["suppressed_after"].sum()
    )


def test_a_council_without_the_survey_of_every_role_is_told_so(db):
    ctx = _context("E06000001")
    with pytest.raises(NotAvailable, match="survey of every role"):
        roles.answers(ctx)
