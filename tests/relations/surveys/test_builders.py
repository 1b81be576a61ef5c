"""Builders for survey response frames in the canonical long shape, used by the survey tests."""

from __future__ import annotations

import itertools
from collections.abc import Mapping

import polars as pl

from careties.data.frames import CANONICAL

_ids = itertools.count(1)

LA = "E06000001"


def submission(
    instrument: str,
    answers: Mapping[str, str | None],
    organisation: str | None = None,
    wave: str = "2025-W1",
    la_code: str = LA,
    respondent_id: str | None = None,
) -> list[dict[str, str | None]]:
    """The long-format rows of one submitted questionnaire."""
    response_id = f"R{next(_ids):06d}"
    return [
        {
            "response_id": response_id,
            "wave": wave,
            "instrument": instrument,
            "la_code": la_code,
            "organisation": organisation,
            "respondent_id": respondent_id,
            "question_id": question_id,
            "answer": answer,
        }
        for question_id, answer in answers.items()
    ]


def frame(*submissions: list[dict[str, str | None]]) -> pl.DataFrame:
    """A survey_responses frame from submissions made by :func:`submission`."""
    rows = [row for sub in submissions for row in sub]
    return pl.DataFrame(rows, schema=CANONICAL["survey_responses"], orient="row")


def rc_answers(*scores: int) -> dict[str, str]:
    """The seven rc_* answers, in Gittell's order, from seven scores."""
    dims = (
        "rc_frequent",
        "rc_timely",
        "rc_accurate",
        "rc_problem_solving",
        "rc_shared_goals",
        "rc_shared_knowledge",
        "rc_mutual_respect",
    )
    assert len(scores) == 7
    return {d: str(s) for d, s in zip(dims, scores, strict=True)}


def test_builder_makes_the_canonical_shape():
    responses = frame(submission("gp", {"relationship_asc": "3"}, organisation="A81001"))
    assert responses.schema == pl.Schema(CANONICAL["survey_responses"])
    assert responses.height == 1
