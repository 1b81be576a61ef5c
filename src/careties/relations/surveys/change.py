"""How a survey indicator changed between two waves, with an interval and a test.

The methods are general and live in :mod:`careties.stats.differences`
(statsmodels and SciPy): Newcombe's hybrid score interval and the pooled
two-proportion z test for percentages, Welch's t for means of 1-5 scores. This
module only picks the counts or scores of each wave and group and suppresses
small groups.
"""

from __future__ import annotations

import math
from collections.abc import Iterator, Sequence

import polars as pl

from careties.errors import NotEnoughData
from careties.relations.surveys.coordination import respondent_rc_scores
from careties.relations.surveys.indicators import headline_indicators, indicator_definitions
from careties.relations.surveys.instruments import RC_DIMENSIONS
from careties.relations.surveys.privacy import MIN_RESPONDENTS, suppress_small_groups
from careties.relations.surveys.responses import as_columns, check_responses, result_frame
from careties.stats.differences import (
    newcombe_difference,
    percentage_point_difference,
    two_proportion_p_value,
    welch_difference,
)

__all__ = [
    "CHANGE_COLUMNS",
    "newcombe_difference",
    "two_proportion_p_value",
    "wave_change",
    "welch_difference",
]

#: What :func:`wave_change` returns after the ``by`` columns, with the types.
CHANGE_SCHEMA: dict[str, pl.DataType] = {
    "indicator": pl.String,
    "wave_from": pl.String,
    "wave_to": pl.String,
    "value_from": pl.Float64,
    "value_to": pl.Float64,
    "difference": pl.Float64,
    "lower": pl.Float64,
    "upper": pl.Float64,
    "p_value": pl.Float64,
    "method": pl.String,
    "n_from": pl.Int64,
    "n_to": pl.Int64,
    "suppressed": pl.Boolean,
}
CHANGE_COLUMNS: tuple[str, ...] = tuple(CHANGE_SCHEMA)


def wave_change(
    responses: pl.DataFrame,
    indicator: str,
    wave_from: str,
    wave_to: str,
    by: str | Sequence[str] | None = None,
    direction: str = "gp_to_social_care",
    min_respondents: int = MIN_RESPONDENTS,
    confidence: float = 0.95,
) -> pl.DataFrame:
    """How an indicator changed from ``wave_from`` to ``wave_to``, with an interval and a test.

    ``indicator`` is either a headline indicator id (see
    :func:`~careties.relations.surveys.indicators.headline_indicators`, e.g.
    ``"gp_relationship_poor"``) or a relational coordination measure,
    ``"rc_index"`` or one of the seven ``rc_*`` dimensions, read in
    ``direction``.

    * Proportions (percent): difference ``to - from`` in percentage points with
      Newcombe's method 10 interval (Newcombe 1998) and the two-proportion z
      test; ``method`` is ``"newcombe_wilson; two-proportion z"``.
    * RC means (1-5): difference of respondent means with Welch's t interval
      and test; ``method`` is ``"welch t"``.

    The waves are treated as independent samples; a respondent who answered
    both waves makes the tests conservative. Columns: the ``by`` columns, then
    :data:`CHANGE_COLUMNS`. A group with fewer than ``min_respondents`` in
    either wave is suppressed (values null, ``suppressed`` True).
    """
    check_responses(responses)
    by_columns = as_columns(by)
    if "wave" in by_columns:
        raise ValueError("wave_change compares two waves; do not group by wave as well")
    two_waves = responses.filter(pl.col("wave").is_in([wave_from, wave_to]))
    if indicator == "rc_index" or indicator in RC_DIMENSIONS:
        rows = _mean_change(
            two_waves, indicator, wave_from, wave_to, by_columns, direction, confidence
        )
    else:
        rows = _proportion_change(two_waves, indicator, wave_from, wave_to, by_columns, confidence)
    frame = result_frame(rows, responses, by_columns, CHANGE_SCHEMA)
    values = ["value_from", "value_to", "difference", "lower", "upper", "p_value"]
    return suppress_small_groups(frame, ["n_from", "n_to"], values, min_respondents).select(
        [*by_columns, *CHANGE_COLUMNS]
    )


def _nan_to_none(value: float) -> float | None:
    return None if value is None or (isinstance(value, float) and math.isnan(value)) else value


def _proportion_change(
    responses: pl.DataFrame,
    indicator: str,
    wave_from: str,
    wave_to: str,
    by_columns: list[str],
    confidence: float,
) -> list[tuple]:
    counts = headline_indicators(responses, min_respondents=1, by=[*by_columns, "wave"])
    counts = counts.filter(pl.col("indicator") == indicator)
    if counts.is_empty():
        # A known indicator whose survey has no answers in these waves (the older
        # people's indicators with GP-only waves) is too little data, not a mistake.
        instruments = {d.id: d.instrument for d in indicator_definitions(())}
        if indicator.startswith("gp_know_nothing_"):
            instruments[indicator] = "gp"
        if indicator not in instruments:
            raise ValueError(
                f"Unknown indicator {indicator!r}: use a headline indicator id, 'rc_index' or an rc_* dimension"
            )
        survey = instruments[indicator].replace("_", " ")
        raise NotEnoughData(
            f"Neither wave {wave_from} nor wave {wave_to} has answers from the {survey} survey, "
            f"so {indicator} cannot be compared."
        )
    rows = []
    for key, selected in _groups(counts, by_columns):
        before = selected.filter(pl.col("wave") == wave_from)
        after = selected.filter(pl.col("wave") == wave_to)
        x1, n1 = _counts(before)
        x2, n2 = _counts(after)
        if n1 and n2:
            change = percentage_point_difference(x2, n2, x1, n1, confidence)
            values = (100 * x1 / n1, 100 * x2 / n2, *change)
        else:
            values = (None,) * 6
        rows.append(
            (
                *key,
                indicator,
                wave_from,
                wave_to,
                *values,
                "newcombe_wilson; two-proportion z",
                n1,
                n2,
                False,
            )
        )
    return rows


def _groups(frame: pl.DataFrame, by_columns: list[str]) -> Iterator[tuple[tuple, pl.DataFrame]]:
    """Each ``by`` group's key and rows, in order of appearance (one group when no ``by``)."""
    keys = frame.select(by_columns).unique(maintain_order=True).rows() if by_columns else [()]
    for key in keys:
        selected = frame
        for column, value in zip(by_columns, key, strict=True):
            selected = selected.filter(pl.col(column).eq_missing(value))
        yield key, selected


def _counts(frame: pl.DataFrame) -> tuple[int | None, int | None]:
    if frame.is_empty():
        return None, None
    row = frame.row(0, named=True)
    return row["numerator"], row["denominator"]


def _mean_change(
    responses: pl.DataFrame,
    indicator: str,
    wave_from: str,
    wave_to: str,
    by_columns: list[str],
    direction: str,
    confidence: float,
) -> list[tuple]:
    scores = respondent_rc_scores(responses, direction, extra_keys=by_columns)
    scores = scores.filter(pl.col(indicator).is_not_null())
    rows = []
    for key, selected in _groups(scores, by_columns):
        before = selected.filter(pl.col("wave") == wave_from).get_column(indicator).to_numpy()
        after = selected.filter(pl.col("wave") == wave_to).get_column(indicator).to_numpy()
        d, lower, upper, p = welch_difference(after, before, confidence)
        values = (
            float(before.mean()) if len(before) else None,
            float(after.mean()) if len(after) else None,
            _nan_to_none(d),
            _nan_to_none(lower),
            _nan_to_none(upper),
            _nan_to_none(p),
        )
        rows.append(
            (
                *key,
                indicator,
                wave_from,
                wave_to,
                *values,
                "welch t",
                len(before),
                len(after),
                False,
            )
        )
    return rows
