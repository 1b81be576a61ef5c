"""Relational coordination between GPs and adult social care, in both directions, and the trust gap.

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
measured from both ends.
"""

from __future__ import annotations

import math
from collections.abc import Sequence

import polars as pl

from careties.relations.surveys.instruments import RC_DIMENSIONS
from careties.relations.surveys.privacy import MIN_RESPONDENTS, suppress_small_groups
from careties.relations.surveys.reliability import ReliabilityError, cronbach_alpha_interval
from careties.relations.surveys.responses import (
    RESPONSE_KEYS,
    answers_wide,
    as_columns,
    check_responses,
)
from careties.stats.differences import (
    newcombe_difference,
    two_proportion_p_value,
    welch_difference,
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

RC_LABELS: dict[str, str] = {
    "rc_frequent": "Frequent communication",
    "rc_timely": "Timely communication",
    "rc_accurate": "Accurate communication",
    "rc_problem_solving": "Problem-solving communication",
    "rc_shared_goals": "Shared goals",
    "rc_shared_knowledge": "Shared knowledge",
    "rc_mutual_respect": "Mutual respect",
    "rc_index": "Relational coordination index",
}


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


TRUST_GAP_COLUMNS: tuple[str, ...] = (
    "measure",
    "label",
    "scale",
    "gp_view",
    "social_care_view",
    "gap",
    "lower",
    "upper",
    "p_value",
    "n_gp",
    "n_social_care",
    "suppressed",
)


def trust_gap(
    responses: pl.DataFrame,
    by: str | Sequence[str] | None = None,
    min_respondents: int = MIN_RESPONDENTS,
    confidence: float = 0.95,
) -> pl.DataFrame:
    """Mirror questions compared: how GPs see social care against how social care sees GPs.

    One row per measure (and per ``by`` group, e.g. ``"wave"`` or
    ``"la_code"``; both surveys share these, but not ``organisation``):

    * ``relationship``: mean rating of the relationship (GP ``relationship_asc``
      against social care ``relationship_gp``), 1-5;
    * the seven RC dimensions and ``rc_index``, each side about the other, 1-5;
    * ``relationship_poor``: percent rating it poor or unsatisfactory (1-2);
    * ``own_profession_judges_better``: percent of GPs who say the GP judges
      the need for residential care better, against percent of social care
      staff who say the social worker does.

    ``gap`` is ``gp_view - social_care_view``: for RC, above zero means GPs
    rate social workers higher than social workers rate GPs. ``lower`` and
    ``upper`` bound the gap: Welch's t interval for means, Newcombe's method 10
    for percentages (in percentage points); ``p_value`` from Welch's t test or
    the two-proportion z test. A row is suppressed when either side has fewer
    than ``min_respondents`` answering.
    """
    check_responses(responses)
    by_columns = as_columns(by)
    if "organisation" in by_columns:
        raise ValueError(
            "The trust gap compares GPs with social care staff, who belong to different "
            "organisations; group by la_code or wave instead"
        )
    extra = [c for c in by_columns if c not in RESPONSE_KEYS]
    gp = respondent_rc_scores(responses, "gp_to_social_care", extra_keys=by_columns).join(
        answers_wide(responses, "gp", ["relationship_asc", "judge_better"], extra).select(
            "response_id", "relationship_asc", "judge_better"
        ),
        on="response_id",
        how="full",
        coalesce=True,
    )
    gp = _fill_keys(gp, answers_wide(responses, "gp", [], extra), by_columns)
    sc = respondent_rc_scores(responses, "social_care_to_gp", extra_keys=by_columns).join(
        answers_wide(responses, "social_worker", ["relationship_gp", "judge_better"], extra).select(
            "response_id", "relationship_gp", "judge_better"
        ),
        on="response_id",
        how="full",
        coalesce=True,
    )
    sc = _fill_keys(sc, answers_wide(responses, "social_worker", [], extra), by_columns)
    gp = gp.with_columns(
        pl.col("relationship_asc").cast(pl.Float64, strict=False).alias("relationship"),
    )
    sc = sc.with_columns(
        pl.col("relationship_gp").cast(pl.Float64, strict=False).alias("relationship"),
    )
    if by_columns:
        keys = (
            pl.concat([gp.select(by_columns), sc.select(by_columns)])
            .unique()
            .sort(by_columns, nulls_last=True)
            .rows()
        )
    else:
        keys = [()]
    rows = []
    for key in keys:
        gp_group, sc_group = gp, sc
        for column, value in zip(by_columns, key, strict=True):
            gp_group = gp_group.filter(pl.col(column).eq_missing(value))
            sc_group = sc_group.filter(pl.col(column).eq_missing(value))
        for measure in ("relationship", *RC_DIMENSIONS, "rc_index"):
            a = gp_group.get_column(measure).drop_nulls().drop_nans().to_numpy()
            b = sc_group.get_column(measure).drop_nulls().drop_nans().to_numpy()
            d, lower, upper, p = welch_difference(a, b, confidence)
            rows.append(
                (
                    *key,
                    measure,
                    RC_LABELS.get(measure, "Working relationship, mean rating"),
                    "mean 1-5",
                    float(a.mean()) if len(a) else None,
                    float(b.mean()) if len(b) else None,
                    d,
                    lower,
                    upper,
                    p,
                    len(a),
                    len(b),
                )
            )
        rows.append(
            _proportion_row(
                key,
                "relationship_poor",
                "Rating the relationship poor or unsatisfactory",
                gp_group.get_column("relationship"),
                sc_group.get_column("relationship"),
                lambda s: s <= 2,
                confidence,
            )
        )
        rows.append(
            _proportion_row(
                key,
                "own_profession_judges_better",
                "Think their own profession judges the need for residential care better",
                gp_group.get_column("judge_better"),
                sc_group.get_column("judge_better"),
                None,
                confidence,
            )
        )
    schema = {c: responses.schema.get(c, pl.String) for c in by_columns}
    schema.update(
        measure=pl.String,
        label=pl.String,
        scale=pl.String,
        gp_view=pl.Float64,
        social_care_view=pl.Float64,
        gap=pl.Float64,
        lower=pl.Float64,
        upper=pl.Float64,
        p_value=pl.Float64,
        n_gp=pl.Int64,
        n_social_care=pl.Int64,
    )
    frame = pl.DataFrame(rows, schema=schema, orient="row").with_columns(
        [pl.col(c).fill_nan(None) for c in ("gap", "lower", "upper", "p_value")]
    )
    too_small = pl.min_horizontal("n_gp", "n_social_care") < min_respondents
    hidden = [
        "gp_view",
        "social_care_view",
        "gap",
        "lower",
        "upper",
        "p_value",
        "n_gp",
        "n_social_care",
    ]
    return frame.with_columns(
        [pl.when(too_small).then(None).otherwise(pl.col(c)).alias(c) for c in hidden]
        + [too_small.alias("suppressed")]
    ).select([*by_columns, *TRUST_GAP_COLUMNS])


def _fill_keys(
    frame: pl.DataFrame, submissions: pl.DataFrame, by_columns: list[str]
) -> pl.DataFrame:
    """After a full join, take grouping keys from the submission list for every respondent."""
    keep = [c for c in frame.columns if c not in by_columns]
    return frame.select(keep).join(
        submissions.select(["response_id", *by_columns]), on="response_id", how="left"
    )


def _proportion_row(
    key: tuple,
    measure: str,
    label: str,
    gp_values: pl.Series,
    sc_values: pl.Series,
    success,
    confidence: float,
) -> tuple:
    gp_values = gp_values.drop_nulls()
    sc_values = sc_values.drop_nulls()
    if success is None:  # own profession: GPs saying "gp", social care saying "social_worker"
        x1 = int((gp_values == "gp").sum())
        x2 = int((sc_values == "social_worker").sum())
    else:
        gp_values = gp_values.drop_nans()
        sc_values = sc_values.drop_nans()
        x1 = int(success(gp_values).sum())
        x2 = int(success(sc_values).sum())
    n1, n2 = len(gp_values), len(sc_values)
    if n1 and n2:
        d, lower, upper = newcombe_difference(x1, n1, x2, n2, confidence)
        p = two_proportion_p_value(x1, n1, x2, n2)
        values = (100 * x1 / n1, 100 * x2 / n2, 100 * d, 100 * lower, 100 * upper, p)
    else:
        values = (None,) * 6
    return (*key, measure, label, "percent", *values, n1, n2)
