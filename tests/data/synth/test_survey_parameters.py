"""The synthetic surveys' shares: distributions, and the calibration targets read from them."""

from __future__ import annotations

import pytest

from careties.data.synth.survey_calibration import CHECKS
from careties.data.synth.survey_parameters import (
    GP_ITEMS,
    SOCIAL_WORKER_ITEMS,
    TURN_TO,
    wave1_share,
)


@pytest.mark.parametrize(
    ("instrument", "item"),
    [("gp", i) for i in GP_ITEMS] + [("social_worker", i) for i in SOCIAL_WORKER_ITEMS],
    ids=lambda v: getattr(v, "question_id", v),
)
def test_every_item_shares_out_all_its_answers(instrument, item):
    assert wave1_share(instrument, item.question_id, item.answers) == pytest.approx(1.0)


def test_older_peoples_first_choices_share_out_everyone():
    assert wave1_share("older_person", "turn_to_first", TURN_TO) == pytest.approx(1.0)


def test_a_target_counts_only_the_answers_named():
    poor = wave1_share("gp", "relationship_asc", ("1", "2"))
    assert 0.5 < poor < 1.0  # "over half", not everyone
    assert wave1_share("gp", "relationship_asc", ("1",)) < poor


def test_every_calibration_check_has_a_target_from_the_generator():
    for instrument, question, answers, _seed in CHECKS.values():
        assert 0.0 < wave1_share(instrument, question, answers) < 1.0


def test_a_question_not_drawn_from_shares_has_no_target():
    with pytest.raises(KeyError):
        wave1_share("gp", "no_such_question", ("yes",))
