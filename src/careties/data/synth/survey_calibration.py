"""How close the synthetic surveys come to the seeds' published figures, wave by wave."""

from __future__ import annotations

import polars as pl

from careties.data.synth.scales import SURVEY_WAVES
from careties.data.synth.survey_parameters import wave1_share


def _share(
    frame: pl.DataFrame, instrument: str, question: str, answers: tuple[str, ...], wave: str
) -> float | None:
    rows = frame.filter(
        (pl.col("wave") == wave)
        & (pl.col("instrument") == instrument)
        & (pl.col("question_id") == question)
    )
    if rows.height == 0:
        return None
    return round(rows["answer"].is_in(list(answers)).mean(), 3)


#: What each check counts (instrument, question, the answers counted) and how the
#: seed put it; the target is the share the generator draws those answers with.
CHECKS: dict[str, tuple[str, str, tuple[str, ...], str]] = {
    "gp_relationship_poor": ("gp", "relationship_asc", ("1", "2"), "over half"),
    "gp_judge_better": ("gp", "judge_better", ("gp",), "41%"),
    "gp_telecare_know_nothing": ("gp", "knowledge_telecare", ("know_nothing",), "half"),
    "gp_exercise_classes_know_nothing": (
        "gp",
        "knowledge_exercise_classes",
        ("know_nothing",),
        "a third",
    ),
    "gp_social_support_know_nothing": (
        "gp",
        "knowledge_social_support",
        ("know_nothing",),
        "a third",
    ),
    "gp_want_closer_links": ("gp", "want_closer_links", ("yes",), "92%"),
    "gp_help_intervene_earlier": ("gp", "help_intervene_earlier", ("yes",), "76%"),
    "gp_admitted_too_early": ("gp", "admitted_too_early", ("yes",), "a third"),
    "older_turn_to_first_family": ("older_person", "turn_to_first", ("family",), "family first"),
    "older_turn_to_first_gp": ("older_person", "turn_to_first", ("gp",), "GP next after family"),
}


def calibration(frame: pl.DataFrame) -> dict:
    """The seeds' figures, the generator's targets, and what each wave achieved."""
    out: dict[str, dict] = {}
    for name, (instrument, question, answers, seed) in CHECKS.items():
        out[name] = {
            "instrument": instrument,
            "question_id": question,
            "answers": list(answers),
            "target": wave1_share(instrument, question, answers),
            "seed_figure": seed,
            **{
                wave: _share(frame, instrument, question, answers, wave) for wave, _ in SURVEY_WAVES
            },
        }
    return out
