"""Reads for a wave's results page: its responses as a frame, scored by the surveys package.

Scoring is ``careties.relations.surveys``'s job; this module loads the wave's
rows (one query), asks for the headline indicators and relational
coordination, and hides every group smaller than the configured minimum.
"""

from __future__ import annotations

from dataclasses import dataclass, field

import polars as pl

from careties.errors import NotEnoughData
from careties.relations.surveys import (
    ROLE_LABELS,
    headline_indicators,
    relational_coordination,
    role_matrix,
)
from careties.web import selectors
from careties.web.store.models import SurveyResponse

from . import presenters
from .models import FreeTextComment, Wave

RC_DIRECTION = {"gp": "gp_to_social_care", "social_worker": "social_care_to_gp"}


@dataclass
class WaveResults:
    respondents: int
    overall: list[dict] = field(default_factory=list)
    by_organisation: dict[str, list[dict]] = field(default_factory=dict)
    coordination: list[dict] = field(default_factory=list)
    #: The roles survey: one row per rating role x rated role (floor per cell).
    roles: list[dict] = field(default_factory=list)
    unavailable: str = ""


def wave_responses(wave: Wave) -> pl.DataFrame:
    """The canonical rows of ``wave`` (its council, instrument and name)."""
    frame = selectors.load_frame("survey_responses", wave.la_code)
    return frame.filter((pl.col("wave") == wave.name) & (pl.col("instrument") == wave.instrument))


def respondent_count(wave: Wave) -> int:
    return (
        SurveyResponse.objects.filter(
            la_code=wave.la_code, wave=wave.name, instrument=wave.instrument
        )
        .values("response_id")
        .distinct()
        .count()
    )


def wave_results(wave: Wave) -> WaveResults:
    """Headline indicators for the council and per practice or team, and RC per group."""
    responses = wave_responses(wave)
    respondents = responses["response_id"].n_unique() if responses.height else 0
    results = WaveResults(respondents=respondents)
    if respondents < presenters.min_respondents():
        return results
    floor = presenters.min_respondents()
    try:
        if wave.instrument == "roles":
            results.roles = role_rows(role_matrix(responses, by=None, min_respondents=floor))
            return results
        results.overall = presenters.headline_rows(headline_indicators(responses, floor))
        if wave.instrument != "older_person":
            per_org = headline_indicators(responses, floor, by="organisation")
            for row in presenters.headline_rows(per_org):
                results.by_organisation.setdefault(row["organisation"] or "-", []).append(row)
            if wave.instrument in RC_DIRECTION:
                rc = relational_coordination(
                    responses,
                    RC_DIRECTION[wave.instrument],
                    by="organisation",
                    min_respondents=floor,
                )
                results.coordination = coordination_rows(rc, floor)
    except NotEnoughData as reason:
        # Too few answers to score is a state of the wave; any other error is a bug
        # and shows itself (an error page with an id), not a quiet blank.
        results.unavailable = f"Not enough answers yet to work out this wave's results: {reason}"
    return results


def coordination_rows(rc: pl.DataFrame, floor: int) -> list[dict]:
    rows = []
    for row in rc.iter_rows(named=True):
        hidden = bool(row["suppressed"]) or row["n"] is None or row["n"] < floor
        rows.append(
            {
                "organisation": row.get("organisation") or "-",
                "suppressed": hidden,
                "n": None if hidden else row["n"],
                "rc_index": None if hidden or row["rc_index"] is None else f"{row['rc_index']:.2f}",
                "band": None if hidden else row["band"],
            }
        )
    return rows


def role_rows(matrix: pl.DataFrame) -> list[dict]:
    """The role-by-role map as table rows; a suppressed cell shows no count or score."""
    return [
        {
            "rater": ROLE_LABELS.get(row["rater_role"], row["rater_role"]),
            "rated": ROLE_LABELS.get(row["rated_role"], row["rated_role"]),
            "suppressed": bool(row["suppressed"]),
            "n": row["n"],
            "rc_index": None if row["rc_index"] is None else f"{row['rc_index']:.2f}",
        }
        for row in matrix.iter_rows(named=True)
    ]


def comments_for(wave: Wave) -> list[str]:
    """The wave's comments in random order, never with whoever wrote them."""
    return list(
        FreeTextComment.objects.filter(wave=wave).order_by("?").values_list("text", flat=True)
    )
