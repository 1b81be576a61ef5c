"""Relational coordination between GPs and adult social care, in both directions.

Relational coordination (RC) is Gittell's measure of how well two groups
coordinate their work: four dimensions of communication (frequent, timely,
accurate, problem-solving) and three of relationship (shared goals, shared
knowledge, mutual respect), each answered on a 1-5 scale about the other group
(Gittell JH et al. 2000, Medical Care 38(8):807-819; Gittell JH 2002,
Management Science 48(11):1408-1426). A respondent's RC index is the mean of
the dimensions they answered; a group's index is the mean of its respondents'
indices, and its dimension scores the means of each dimension.

GPs rate social workers (``gp_to_social_care``, GP survey) and social care
staff rate GPs (``social_care_to_gp``, social worker survey), so each tie is
measured from both ends. The two ends compared (the trust gap) are in
:mod:`careties.relations.surveys.trust`.
"""

from __future__ import annotations

import math
from collections.abc import Sequence

import polars as pl

from careties import labels
from careties.relations.surveys.instruments import RC_DIMENSIONS
from careties.relations.surveys.privacy import MIN_RESPONDENTS, suppress_small_groups
from careties.relations.surveys.reliability import ReliabilityError, cronbach_alpha_interval
from careties.relations.surveys.responses import (
    RESPONSE_KEYS,
    answers_wide,
    as_columns,
    check_responses,
)

#: Who rates whom: each direction of relational coordination and the survey
#: (instrument) its answers come from.
DIRECTIONS: dict[str, str] = {
    "gp_to_social_care": "gp",
    "social_care_to_gp": "social_worker",
}

#: Band limits for an RC score on the 1-5 scale: below 3.5 weak, 3.5 to 4.0
#: moderate, above 4.0 strong. These are the cut-offs commonly reported for
#: Relational Coordination Analytics' colour-coded RC maps; careties could not
#: check them against an RCA publication (see docs/surveys.md), so they are
#: kept here, in one place, to be changed if RCA's current guidance differs.
RC_WEAK_BELOW = 3.5
RC_STRONG_ABOVE = 4.0

#: The dimensions and the index in words, from the one map of codes to words.
RC_LABELS: dict[str, str] = dict(labels.RC_DIMENSIONS)


def rc_band(score: pl.Expr | float | None) -> pl.Expr | str | None:
    """``"weak"`` (< 3.5), ``"moderate"`` (3.5 to 4.0) or ``"strong"`` (> 4.0) for an RC score.

    Takes a number (returns a string, or None for None/NaN) or a Polars
    expression (returns an expression).
    """
    if isinstance(score, pl.Expr):
        return (
            pl.when(score.is_null() | score.is_nan())
            .then(None)
            .when(score < RC_WEAK_BELOW)
            .then(pl.lit("weak"))
            .when(score <= RC_STRONG_ABOVE)
            .then(pl.lit("moderate"))
            .otherwise(pl.lit("strong"))
        )
    if score is None or math.isnan(score):
        return None
    if score < RC_WEAK_BELOW:
        return "weak"
    return "moderate" if score <= RC_STRONG_ABOVE else "strong"


def _instrument_for(direction: str) -> str:
    if direction not in DIRECTIONS:
        raise ValueError(
            f"Unknown direction {direction!r}; use " + " or ".join(repr(d) for d in DIRECTIONS)
        )
    return DIRECTIONS[direction]


def respondent_rc_scores(
    responses: pl.DataFrame, direction: str, extra_keys: Sequence[str] = ()
) -> pl.DataFrame:
    """One row per respondent: the seven dimensions (Float64, 1-5) and their mean, ``rc_index``.

    Answers outside 1-5 or not numbers count as not answered. Respondents who
    answered no RC question are left out.
    """
    instrument = _instrument_for(direction)
    wide = answers_wide(
        responses,
        instrument,
        RC_DIMENSIONS,
        extra_keys=[c for c in extra_keys if c not in RESPONSE_KEYS],
    )
    score = [pl.col(d).cast(pl.Float64, strict=False).alias(d) for d in RC_DIMENSIONS]
    wide = wide.with_columns(score).with_columns(
        [
            pl.when(pl.col(d).is_between(1, 5)).then(pl.col(d)).otherwise(None).alias(d)
            for d in RC_DIMENSIONS
        ]
    )
    return wide.with_columns(pl.mean_horizontal(RC_DIMENSIONS).alias("rc_index")).filter(
        pl.col("rc_index").is_not_null()
    )


def _alpha(group: pl.DataFrame) -> tuple[float | None, float | None, float | None]:
    try:
        result = cronbach_alpha_interval(group.select(RC_DIMENSIONS))
    except ReliabilityError:
        return None, None, None
    return result.alpha, result.lower, result.upper


ALPHA_SCHEMA: dict[str, pl.DataType] = {
    "alpha": pl.Float64,
    "alpha_lower": pl.Float64,
    "alpha_upper": pl.Float64,
}


def relational_coordination(
    responses: pl.DataFrame,
    direction: str = "gp_to_social_care",
    by: str | Sequence[str] | None = ("la_code",),
    min_respondents: int = MIN_RESPONDENTS,
) -> pl.DataFrame:
    """Relational coordination scores per group, in one direction, with reliability and band.

    ``direction``: ``"gp_to_social_care"`` (GPs about social workers, from the
    GP survey) or ``"social_care_to_gp"`` (social care staff about GPs). ``by``
    groups the respondents: ``("la_code",)`` for the council, ``"organisation"``
    for each practice (GP direction) or team (social care direction), with
    ``"wave"`` added to follow change; None pools everyone.

    Columns: the ``by`` columns, ``direction``, ``n`` (respondents), the seven
    dimension means ``rc_frequent`` ... ``rc_mutual_respect``, ``rc_index``
    (mean of respondents' indices), ``band`` (:func:`rc_band`), ``alpha``
    (Cronbach's alpha of the seven items among respondents who answered all
    seven; null when it cannot be computed), ``alpha_lower``/``alpha_upper`` (Feldt's
    95% interval, :func:`~careties.relations.surveys.reliability.feldt_interval`) and
    ``suppressed``. Groups of fewer
    than ``min_respondents`` are suppressed: every value null.

    References: Gittell et al. (2000) Medical Care 38(8):807-819 for the
    measure; Cronbach (1951) Psychometrika 16:297-334 for alpha.
    """
    check_responses(responses)
    by_columns = as_columns(by)
    scores = respondent_rc_scores(responses, direction, extra_keys=by_columns)
    aggregates = [
        pl.len().cast(pl.Int64).alias("n"),
        *[pl.col(d).mean().alias(d) for d in RC_DIMENSIONS],
        pl.col("rc_index").mean().alias("rc_index"),
    ]
    if by_columns:
        summary = scores.group_by(by_columns, maintain_order=True).agg(aggregates)
        alphas = [
            (*key, *_alpha(group))
            for key, group in scores.group_by(by_columns, maintain_order=True)
        ]
        alpha_frame = pl.DataFrame(
            alphas,
            schema={**{c: scores.schema[c] for c in by_columns}, **ALPHA_SCHEMA},
            orient="row",
        )
        summary = summary.join(alpha_frame, on=by_columns, how="left", nulls_equal=True)
        summary = summary.sort(by_columns, nulls_last=True)
    else:
        summary = scores.select(aggregates).with_columns(
            pl.lit(value, dtype=pl.Float64).alias(name)
            for name, value in zip(ALPHA_SCHEMA, _alpha(scores), strict=True)
        )
    summary = summary.with_columns(
        pl.lit(direction).alias("direction"),
        rc_band(pl.col("rc_index")).alias("band"),
    )
    summary = suppress_small_groups(
        summary, "n", [*RC_DIMENSIONS, "rc_index", "band", *ALPHA_SCHEMA], min_respondents
    )
    return summary.select(
        [*by_columns, "direction", "n", *RC_DIMENSIONS, "rc_index", "band", *ALPHA_SCHEMA]
        + ["suppressed"]
    )
