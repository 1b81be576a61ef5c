"""The trust gap: the mirror questions of the GP and social care surveys compared.

How GPs rate social care against how social care rates GPs, on the overall relationship,
each relational coordination dimension and who judges better (see :func:`trust_gap`).
"""

from __future__ import annotations

from collections.abc import Sequence

import polars as pl

from careties.relations.surveys.coordination import RC_LABELS, respondent_rc_scores
from careties.relations.surveys.instruments import RC_DIMENSIONS
from careties.relations.surveys.privacy import MIN_RESPONDENTS, suppress_small_groups
from careties.relations.surveys.responses import (
    RESPONSE_KEYS,
    answers_wide,
    as_columns,
    check_responses,
    result_frame,
)
from careties.stats.differences import percentage_point_difference, welch_difference

#: One row of the comparison after the ``by`` columns, with the types.
_ROW_SCHEMA: dict[str, pl.DataType] = {
    "measure": pl.String,
    "label": pl.String,
    "scale": pl.String,
    "gp_view": pl.Float64,
    "social_care_view": pl.Float64,
    "gap": pl.Float64,
    "lower": pl.Float64,
    "upper": pl.Float64,
    "p_value": pl.Float64,
    "n_gp": pl.Int64,
    "n_social_care": pl.Int64,
}
TRUST_GAP_COLUMNS: tuple[str, ...] = (*_ROW_SCHEMA, "suppressed")

#: Each side of the mirror: its survey, the direction it rates, its relationship question.
_SIDES = (
    ("gp", "gp_to_social_care", "relationship_asc"),
    ("social_worker", "social_care_to_gp", "relationship_gp"),
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
    gp, sc = (_side(responses, *side, by_columns) for side in _SIDES)
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
    frame = result_frame(rows, responses, by_columns, _ROW_SCHEMA).with_columns(
        [pl.col(c).fill_nan(None) for c in ("gap", "lower", "upper", "p_value")]
    )
    values = ["gp_view", "social_care_view", "gap", "lower", "upper", "p_value"]
    counts = ["n_gp", "n_social_care"]
    return suppress_small_groups(frame, counts, values, min_respondents).select(
        [*by_columns, *TRUST_GAP_COLUMNS]
    )


def _side(
    responses: pl.DataFrame,
    instrument: str,
    direction: str,
    relationship_question: str,
    by_columns: list[str],
) -> pl.DataFrame:
    """One side's respondents: RC scores about the other side, relationship rating, who judges.

    A full join keeps respondents who answered only the RC questions or only
    the others; their grouping keys come from the submission list.
    """
    extra = [c for c in by_columns if c not in RESPONSE_KEYS]
    questions = [relationship_question, "judge_better"]
    answers = answers_wide(responses, instrument, questions, extra)
    side = respondent_rc_scores(responses, direction, extra_keys=by_columns).join(
        answers.select("response_id", *questions), on="response_id", how="full", coalesce=True
    )
    side = _fill_keys(side, answers_wide(responses, instrument, [], extra), by_columns)
    relationship = pl.col(relationship_question).cast(pl.Float64, strict=False)
    return side.with_columns(relationship.alias("relationship"))


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
        gap = percentage_point_difference(x1, n1, x2, n2, confidence)
        values = (100 * x1 / n1, 100 * x2 / n2, *gap)
    else:
        values = (None,) * 6
    return (*key, measure, label, "percent", *values, n1, n2)
