"""Reading the long ``survey_responses`` frame: checks, filters and the wide view.

The canonical frame (``careties.data.frames.CANONICAL["survey_responses"]``)
has one row per answer. Scoring mostly needs one row per respondent with a
column per question, which :func:`answers_wide` builds.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence

import polars as pl

from careties.relations.surveys.instruments import SERVICE_TYPES

REQUIRED_COLUMNS: tuple[str, ...] = (
    "response_id",
    "wave",
    "instrument",
    "la_code",
    "organisation",
    "question_id",
    "answer",
)

#: Columns that describe a whole submission, the same on each of its rows.
RESPONSE_KEYS: tuple[str, ...] = ("response_id", "wave", "instrument", "la_code", "organisation")


class SurveyDataError(ValueError):
    """The survey responses frame is not in the shape careties expects."""


def check_responses(responses: pl.DataFrame) -> None:
    """Raise :class:`SurveyDataError` if a column of the canonical frame is missing."""
    missing = [c for c in REQUIRED_COLUMNS if c not in responses.columns]
    if missing:
        raise SurveyDataError(
            "The survey responses are missing the column(s) "
            + ", ".join(missing)
            + "; load them through careties.data so they have the survey_responses shape"
        )


def as_columns(by: str | Sequence[str] | None) -> list[str]:
    """Normalise a ``by`` argument (None, one name, or several) to a list."""
    if by is None:
        return []
    if isinstance(by, str):
        return [by]
    return list(by)


def result_frame(
    rows: Sequence[tuple],
    responses: pl.DataFrame,
    by_columns: Sequence[str],
    columns: Mapping[str, pl.DataType],
) -> pl.DataFrame:
    """A scoring function's rows as a frame: the ``by`` columns typed as in ``responses``, then ``columns``.

    Typing the frame from its declared columns keeps an empty result (no
    group, no wave) the same shape as a full one.
    """
    schema = {c: responses.schema.get(c, pl.String) for c in by_columns}
    schema.update(columns)
    return pl.DataFrame(rows, schema=schema, orient="row")


def answers_wide(
    responses: pl.DataFrame,
    instrument: str,
    question_ids: Sequence[str] | None = None,
    extra_keys: Sequence[str] = (),
) -> pl.DataFrame:
    """One row per submission of ``instrument``, one String column per question.

    Keeps the submission keys (:data:`RESPONSE_KEYS`) and any ``extra_keys``.
    Questions nobody answered still get a column (all null), so callers can
    rely on it. Blank answers count as not answered.
    """
    check_responses(responses)
    keys = list(dict.fromkeys([*RESPONSE_KEYS, *extra_keys]))
    rows = responses.filter(pl.col("instrument") == instrument)
    if question_ids is not None:
        rows = rows.filter(pl.col("question_id").is_in(list(question_ids)))
    rows = rows.with_columns(
        pl.when(pl.col("answer").str.strip_chars() == "")
        .then(None)
        .otherwise(pl.col("answer").str.strip_chars())
        .alias("answer")
    )
    submissions = (
        responses.filter(pl.col("instrument") == instrument)
        .select(keys)
        .unique(subset=["response_id"], keep="first", maintain_order=True)
    )
    if rows.height:
        wide = rows.pivot(
            on="question_id", index="response_id", values="answer", aggregate_function="first"
        )
        wide = submissions.join(wide, on="response_id", how="left")
    else:
        wide = submissions
    for question_id in question_ids or ():
        if question_id not in wide.columns:
            wide = wide.with_columns(pl.lit(None, dtype=pl.String).alias(question_id))
    return wide


def services_asked(responses: pl.DataFrame, prefix: str) -> list[str]:
    """Service types present in the data as ``<prefix><service>`` question ids.

    The standard types come first in their fixed order, then the council's own
    in alphabetical order, so tables are laid out the same way every time.
    """
    found = {
        q[len(prefix) :]
        for q in responses.get_column("question_id").unique().to_list()
        if q is not None and q.startswith(prefix)
    }
    standard = [s for s in SERVICE_TYPES if s in found]
    return standard + sorted(found - set(standard))
