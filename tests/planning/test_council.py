"""The council report's optional inputs (issue 20: errors show themselves).

Surveys and contacts are optional inputs to the targeting list: missing, they are
left out with a note. A bug in computing them (here a renamed column) is not a
missing input and must fail loudly, not vanish from the report.
"""

from __future__ import annotations

from functools import cache

import polars as pl
import pytest

from careties.data.synth import generate
from careties.planning.council import council_referrals


@cache
def _tiny():
    return generate("tiny", seed=3)


def _council(frames: dict[str, pl.DataFrame]) -> str:
    return frames["events"]["la_code"][0]


def test_with_surveys_and_contacts_the_report_uses_both_without_notes():
    frames = dict(_tiny().frames)
    report = council_referrals(frames, _council(frames))
    targeting = report.targeting.frame
    assert targeting["rc_score"].null_count() < targeting.height
    assert targeting["network_influence"].null_count() < targeting.height
    assert not [n for n in report.notes if "could not be computed" in n]


def test_without_surveys_or_contacts_they_are_left_out_and_the_report_stands():
    frames = {k: v for k, v in _tiny().frames.items() if k not in {"survey_responses", "contacts"}}
    report = council_referrals(frames, _council(frames))
    targeting = report.targeting.frame
    assert targeting.height > 0
    assert targeting["rc_score"].null_count() == targeting.height
    assert targeting["network_influence"].null_count() == targeting.height


@pytest.mark.parametrize(
    ("kind", "column"), [("survey_responses", "question_id"), ("contacts", "from_professional")]
)
def test_a_broken_optional_input_fails_loudly_instead_of_vanishing(kind, column):
    frames = dict(_tiny().frames)
    frames[kind] = frames[kind].rename({column: f"renamed_{column}"})
    with pytest.raises(Exception) as raised:  # noqa: B017 - any error, as long as it shows
        council_referrals(frames, _council(frames))
    assert column in str(raised.value)
