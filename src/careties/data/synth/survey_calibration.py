"""How close the synthetic surveys come to the seeds' published figures, wave by wave."""

from __future__ import annotations

import polars as pl

from careties.data.synth.scales import SURVEY_WAVES


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


def calibration(frame: pl.DataFrame) -> dict:
    """The seeds' figures, the generator's targets, and what each wave achieved."""
    checks = {
        "gp_relationship_poor": ("gp", "relationship_asc", ("1", "2"), 0.53, "over half"),
        "gp_judge_better": ("gp", "judge_better", ("gp",), 0.41, "41%"),
        "gp_telecare_know_nothing": ("gp", "knowledge_telecare", ("know_nothing",), 0.50, "half"),
        "gp_exercise_classes_know_nothing": (
            "gp",
            "knowledge_exercise_classes",
            ("know_nothing",),
            0.33,
            "a third",
        ),
        "gp_social_support_know_nothing": (
            "gp",
            "knowledge_social_support",
            ("know_nothing",),
            0.33,
            "a third",
        ),
        "gp_want_closer_links": ("gp", "want_closer_links", ("yes",), 0.92, "92%"),
        "gp_help_intervene_earlier": ("gp", "help_intervene_earlier", ("yes",), 0.76, "76%"),
        "gp_admitted_too_early": ("gp", "admitted_too_early", ("yes",), 0.33, "a third"),
        "older_turn_to_first_family": (
            "older_person",
            "turn_to_first",
            ("family",),
            0.55,
            "family first",
        ),
        "older_turn_to_first_gp": (
            "older_person",
            "turn_to_first",
            ("gp",),
            0.22,
            "GP next after family",
        ),
    }
    out: dict[str, dict] = {}
    for name, (instrument, question, answers, target, seed) in checks.items():
        out[name] = {
            "instrument": instrument,
            "question_id": question,
            "answers": list(answers),
            "target": target,
            "seed_figure": seed,
            **{
                wave: _share(frame, instrument, question, answers, wave) for wave, _ in SURVEY_WAVES
            },
        }
    return out
