"""Relational coordination between every pair of roles: the role-by-role map.

From the ``roles`` survey (``definitions/roles.v1.yaml``): each respondent names their own
role (``own_role``) and rates every role they work with, their own included, on Gittell's
seven dimensions (question ids ``rc_<dimension>__<rated role>``). A respondent's score for
a rated role is the mean of the dimensions they answered about it; a cell of the map
(rater role x rated role) is the mean over the respondents who rated that role, with its
respondent count. Cells with fewer than ``min_respondents`` respondents are suppressed per
cell, so a role with few staff never has its views shown (Gittell, Seidner & Wimbush
2010, Organization Science 21(2):490-506, for role-by-role measurement; Gittell et al.
2000, Medical Care 38(8):807-819, for the dimensions).
"""

from __future__ import annotations

from collections.abc import Sequence

import polars as pl

from careties import labels
from careties.data import codes
from careties.relations.surveys.instruments import RC_DIMENSIONS
from careties.relations.surveys.privacy import MIN_RESPONDENTS, suppress_small_groups
from careties.relations.surveys.responses import as_columns, check_responses

#: Roles that answer the roles survey, in the order the map shows them.
RESPONDENT_ROLES: tuple[str, ...] = codes.SURVEY_RESPONDENT_ROLES
#: Roles rated: every respondent role, and older people and their carers.
RATED_ROLES: tuple[str, ...] = codes.SURVEY_RATED_ROLES

#: Their words, from the one map of codes to words (careties.labels).
ROLE_LABELS: dict[str, str] = {role: labels.ROLES[role] for role in RATED_ROLES}

#: Which agency each role belongs to (within- and across-agency cells).
ROLE_AGENCY: dict[str, str] = {
    **dict.fromkeys(("gp", "practice_nurse", "practice_manager", "hospital_consultant"), "health"),
    **dict.fromkeys(("hospital_discharge_team", "district_nurse"), "health"),
    **dict.fromkeys(
        ("social_worker", "occupational_therapist", "reablement_worker"), "social_care"
    ),
    "care_home_manager": "care_home",
    "older_people_and_carers": "people",
}

INSTRUMENT = "roles"


def role_ratings(
    responses: pl.DataFrame, keys: Sequence[str] = ("la_code", "wave")
) -> pl.DataFrame:
    """One row per respondent x rated role: ``response_id``, ``keys``, ``rater_role``,
    ``rated_role``, the seven dimensions (1-5, null when not answered) and ``rc_index``
    (their mean). Answers outside 1-5 count as not answered; a respondent without a valid
    ``own_role`` is left out, and so is a role they rated on no dimension."""
    check_responses(responses)
    keys = [k for k in as_columns(keys) if k != "response_id"]
    rows = responses.filter(pl.col("instrument") == INSTRUMENT)
    own = rows.filter(
        (pl.col("question_id") == "own_role") & pl.col("answer").is_in(list(RESPONDENT_ROLES))
    ).select("response_id", *keys, rater_role=pl.col("answer"))
    parts = pl.col("question_id").str.split_exact("__", 1)
    scores = (
        rows.filter(pl.col("question_id").str.contains("__", literal=True))
        .with_columns(
            dimension=parts.struct.field("field_0"),
            rated_role=parts.struct.field("field_1"),
            value=pl.col("answer").str.strip_chars().cast(pl.Float64, strict=False),
        )
        .filter(
            pl.col("dimension").is_in(list(RC_DIMENSIONS))
            & pl.col("rated_role").is_in(list(RATED_ROLES))
            & pl.col("value").is_between(1, 5)
        )
        .select("response_id", "rated_role", "dimension", "value")
    )
    if scores.is_empty() or own.is_empty():
        schema = {
            "response_id": pl.String,
            **{k: responses.schema[k] for k in keys},
            "rater_role": pl.String,
            "rated_role": pl.String,
            **dict.fromkeys(RC_DIMENSIONS, pl.Float64),
            "rc_index": pl.Float64,
        }
        return pl.DataFrame(schema=schema)
    wide = scores.pivot(
        on="dimension",
        index=["response_id", "rated_role"],
        values="value",
        aggregate_function="first",
    )
    for dimension in RC_DIMENSIONS:
        if dimension not in wide.columns:
            wide = wide.with_columns(pl.lit(None, dtype=pl.Float64).alias(dimension))
    return (
        own.join(wide, on="response_id", how="inner")
        .with_columns(rc_index=pl.mean_horizontal(list(RC_DIMENSIONS)))
        .select("response_id", *keys, "rater_role", "rated_role", *RC_DIMENSIONS, "rc_index")
    )


def role_matrix(
    responses: pl.DataFrame,
    by: str | Sequence[str] | None = ("la_code", "wave"),
    min_respondents: int = MIN_RESPONDENTS,
) -> pl.DataFrame:
    """The role-by-role map: one row per ``by`` x rater role x rated role that anyone rated.

    Columns: ``by``, ``rater_role``, ``rated_role``, ``within_agency`` (the two roles
    share an agency), ``n`` (respondents in the cell), the seven dimension means,
    ``rc_index`` and ``suppressed``. A cell with fewer than ``min_respondents``
    respondents has every value null, ``n`` included (the floor applies per cell).
    """
    by_columns = as_columns(by)
    ratings = role_ratings(responses, by_columns)
    keys = [*by_columns, "rater_role", "rated_role"]
    summary = ratings.group_by(keys).agg(
        pl.len().cast(pl.Int64).alias("n"),
        *[pl.col(d).mean() for d in RC_DIMENSIONS],
        pl.col("rc_index").mean(),
    )
    summary = summary.with_columns(
        within_agency=pl.col("rater_role").replace_strict(ROLE_AGENCY, default=None)
        == pl.col("rated_role").replace_strict(ROLE_AGENCY, default=None),
        _rater=pl.col("rater_role").replace_strict(
            {r: i for i, r in enumerate(RATED_ROLES)}, default=99, return_dtype=pl.Int64
        ),
        _rated=pl.col("rated_role").replace_strict(
            {r: i for i, r in enumerate(RATED_ROLES)}, default=99, return_dtype=pl.Int64
        ),
    )
    summary = summary.sort([*by_columns, "_rater", "_rated"]).drop("_rater", "_rated")
    summary = suppress_small_groups(summary, "n", [*RC_DIMENSIONS, "rc_index"], min_respondents)
    return summary.select(*keys, "within_agency", "n", *RC_DIMENSIONS, "rc_index", "suppressed")


def role_pair_trend(
    responses: pl.DataFrame,
    rater_role: str,
    rated_role: str,
    by: str | Sequence[str] | None = ("la_code",),
    min_respondents: int = MIN_RESPONDENTS,
) -> pl.DataFrame:
    """One pair of roles over the waves, both directions: ``rater_role`` about
    ``rated_role`` and back, one row per wave and direction (the drill-down of the map)."""
    for role in (rater_role, rated_role):
        if role not in RATED_ROLES:
            raise ValueError(f"Unknown role {role!r}; the roles are {', '.join(RATED_ROLES)}")
    matrix = role_matrix(responses, [*as_columns(by), "wave"], min_respondents)
    pair = ((pl.col("rater_role") == rater_role) & (pl.col("rated_role") == rated_role)) | (
        (pl.col("rater_role") == rated_role) & (pl.col("rated_role") == rater_role)
    )
    return matrix.filter(pair).sort("wave", "rater_role")


def role_matrix_change(
    responses: pl.DataFrame,
    before: str,
    after: str,
    by: str | Sequence[str] | None = ("la_code",),
    min_respondents: int = MIN_RESPONDENTS,
) -> pl.DataFrame:
    """The map at two waves side by side: one row per cell rated in either wave, with
    ``n_before, rc_before, n_after, rc_after`` and ``change`` (null unless both waves pass
    the floor for that cell), and ``suppressed_before`` / ``suppressed_after`` (rated in that
    wave but by fewer than ``min_respondents``: a hidden value, not a missing one)."""
    by_columns = as_columns(by)
    keys = [*by_columns, "rater_role", "rated_role"]
    matrix = role_matrix(
        responses.filter(pl.col("wave").is_in([before, after])),
        [*by_columns, "wave"],
        min_respondents,
    )

    def side(wave: str, suffix: str) -> pl.DataFrame:
        return matrix.filter(pl.col("wave") == wave).select(
            *keys,
            pl.col("n").alias(f"n_{suffix}"),
            pl.col("rc_index").alias(f"rc_{suffix}"),
            pl.col("suppressed").alias(f"suppressed_{suffix}"),
        )

    joined = side(before, "before").join(
        side(after, "after"), on=keys, how="full", coalesce=True, nulls_equal=True
    )
    return joined.with_columns(
        pl.col("suppressed_before", "suppressed_after").fill_null(False),
        change=pl.col("rc_after") - pl.col("rc_before"),
    ).sort(keys)
