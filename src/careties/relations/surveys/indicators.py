"""Headline survey indicators: the Home Truths figures, each a proportion with its interval.

The indicators are those the Home Truths programme reported (iMPOWER 2012;
interim evaluation with INLOGOV, University of Birmingham, 2013): GPs' view of
their relationship with adult social care, whether they think they judge a
patient's need for residential care better than a social worker, what they
know of local services, and whom older people turn to for advice.

Each is a count of respondents (numerator) out of those who answered the
question (denominator), with a Wilson score interval (careties.stats). Groups
with fewer than ``min_respondents`` answering are suppressed.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass

import numpy as np
import polars as pl

from careties.relations.surveys.privacy import MIN_RESPONDENTS, suppress_small_groups
from careties.relations.surveys.responses import (
    RESPONSE_KEYS,
    answers_wide,
    as_columns,
    check_responses,
    result_frame,
    services_asked,
)
from careties.stats import wilson_ci

#: What :func:`headline_indicators` returns after the ``by`` columns, with the types.
INDICATOR_SCHEMA: dict[str, pl.DataType] = {
    "indicator": pl.String,
    "label": pl.String,
    "instrument": pl.String,
    "numerator": pl.Int64,
    "denominator": pl.Int64,
    "percent": pl.Float64,
    "lower": pl.Float64,
    "upper": pl.Float64,
    "suppressed": pl.Boolean,
}
INDICATOR_COLUMNS: tuple[str, ...] = tuple(INDICATOR_SCHEMA)

#: What the Home Truths programme found, in percent, to set a council's figures
#: against. Source: Mangan C, "Could a lack of trust between professionals
#: undermine health and social care integration?" (INLOGOV blog on the Home
#: Truths interim evaluation, 2013); 59% judge-better figure from the original
#: Home Truths report as quoted by Cooper J (iMPOWER, Community Care, 2014).
HOME_TRUTHS_FIGURES: dict[str, float] = {
    "gp_relationship_poor": 50.0,  # "over half"
    "gp_judge_better": 41.0,  # interim evaluation (59% in the original 2012 report)
    "gp_know_nothing_telecare": 50.0,
    "gp_know_nothing_exercise_classes": 33.3,
    "gp_know_nothing_social_support": 33.3,
    "gp_want_closer_links": 92.0,
    "gp_help_intervene_earlier": 76.0,
    "gp_admitted_too_early": 33.3,
}


@dataclass(frozen=True)
class Indicator:
    """A headline proportion: who counts (success) among those who answered."""

    id: str
    label: str
    instrument: str
    questions: tuple[str, ...]
    success: Callable[[], pl.Expr]
    answered: Callable[[], pl.Expr]


def _equals(question: str, value: str) -> Callable[[], pl.Expr]:
    return lambda: pl.col(question) == value


def _is_in(question: str, values: Sequence[str]) -> Callable[[], pl.Expr]:
    return lambda: pl.col(question).is_in(list(values))


def _answered(question: str) -> Callable[[], pl.Expr]:
    return lambda: pl.col(question).is_not_null()


def _yes(indicator_id: str, label: str, instrument: str, question: str) -> Indicator:
    return Indicator(
        indicator_id, label, instrument, (question,), _equals(question, "yes"), _answered(question)
    )


def indicator_definitions(services: Sequence[str]) -> tuple[Indicator, ...]:
    """The headline indicators, with one "knows nothing" indicator per service type."""
    gp: list[Indicator] = [
        Indicator(
            "gp_relationship_poor",
            "GPs rating their relationship with adult social care poor or unsatisfactory",
            "gp",
            ("relationship_asc",),
            _is_in("relationship_asc", ("1", "2")),
            _answered("relationship_asc"),
        ),
        Indicator(
            "gp_judge_better",
            "GPs who think they judge a patient's need for residential care better than a social worker",
            "gp",
            ("judge_better",),
            _equals("judge_better", "gp"),
            _answered("judge_better"),
        ),
    ]
    for service in services:
        question = f"knowledge_{service}"
        gp.append(
            Indicator(
                f"gp_know_nothing_{service}",
                f"GPs who know nothing about {service.replace('_', ' ')}",
                "gp",
                (question,),
                _equals(question, "know_nothing"),
                _answered(question),
            )
        )
    gp += [
        _yes(
            "gp_want_closer_links",
            "GPs who want closer links with adult social care",
            "gp",
            "want_closer_links",
        ),
        _yes(
            "gp_help_intervene_earlier",
            "GPs who could be helped to intervene earlier to delay or avoid residential care",
            "gp",
            "help_intervene_earlier",
        ),
        _yes(
            "gp_admitted_too_early",
            "GPs who think some patients went into residential care before they needed to",
            "gp",
            "admitted_too_early",
        ),
    ]
    older = [
        Indicator(
            "older_turn_to_gp",
            "Older people who would turn to their GP for advice about care (first or second)",
            "older_person",
            ("turn_to_first", "turn_to_second"),
            lambda: (
                (pl.col("turn_to_first") == "gp")
                | (pl.col("turn_to_second") == "gp").fill_null(False)
            ),
            _answered("turn_to_first"),
        ),
        Indicator(
            "older_turn_to_gp_after_family",
            "Older people who would turn first to family and then to their GP",
            "older_person",
            ("turn_to_first", "turn_to_second"),
            lambda: (
                (pl.col("turn_to_first") == "family")
                & (pl.col("turn_to_second") == "gp").fill_null(False)
            ),
            _answered("turn_to_first"),
        ),
        _yes(
            "older_planned_future_care",
            "Older people who have planned for the care they may need",
            "older_person",
            "planned_future_care",
        ),
    ]
    return tuple(gp + older)


def headline_indicators(
    responses: pl.DataFrame,
    min_respondents: int = MIN_RESPONDENTS,
    by: str | Sequence[str] | None = None,
    confidence: float = 0.95,
) -> pl.DataFrame:
    """Every headline indicator, as a percentage with a Wilson interval and its counts.

    Columns: the ``by`` columns (if any), then ``indicator``, ``label``,
    ``instrument``, ``numerator``, ``denominator`` (respondents who answered),
    ``percent``, ``lower``, ``upper`` (percent, Wilson score interval at
    ``confidence``) and ``suppressed``. ``by`` groups the figures, for example
    ``"wave"`` or ``("wave", "organisation")``; without it all rows are pooled,
    so pass ``by="wave"`` when the frame holds more than one wave.

    A row whose denominator is below ``min_respondents`` has ``suppressed``
    True and every count and figure null. Indicators of an instrument with no
    responses in the frame are left out. One "know nothing" indicator is made
    per service type found in the GP responses (``knowledge_<service>``),
    including the council's own.

    Method: Wilson EB (1927) J Am Stat Assoc 22:209-212, as in
    PHEindicatormethods' ``phe_proportion`` (careties.stats.wilson_ci).
    """
    check_responses(responses)
    by_columns = as_columns(by)
    services = services_asked(responses.filter(pl.col("instrument") == "gp"), "knowledge_")
    extra_keys = [c for c in by_columns if c not in RESPONSE_KEYS]
    parts: list[pl.DataFrame] = []
    wide_cache: dict[str, pl.DataFrame] = {}
    present = set(responses.get_column("instrument").unique().to_list())
    for indicator in indicator_definitions(services):
        if indicator.instrument not in present:
            continue
        if indicator.instrument not in wide_cache:
            wide_cache[indicator.instrument] = answers_wide(
                responses, indicator.instrument, extra_keys=extra_keys
            )
        wide = wide_cache[indicator.instrument]
        for question in indicator.questions:
            if question not in wide.columns:
                wide = wide.with_columns(pl.lit(None, dtype=pl.String).alias(question))
        answered = indicator.answered()
        aggregates = [
            (indicator.success().fill_null(False) & answered)
            .sum()
            .cast(pl.Int64)
            .alias("numerator"),
            answered.sum().cast(pl.Int64).alias("denominator"),
        ]
        counts = (
            wide.group_by(by_columns).agg(aggregates) if by_columns else wide.select(aggregates)
        )
        parts.append(
            counts.with_columns(
                pl.lit(indicator.id).alias("indicator"),
                pl.lit(indicator.label).alias("label"),
                pl.lit(indicator.instrument).alias("instrument"),
            )
        )
    if not parts:
        return result_frame([], responses, by_columns, INDICATOR_SCHEMA)
    counts = pl.concat(parts, how="diagonal_relaxed")
    counts = counts.with_columns(pl.int_range(pl.len()).alias("_order"))
    result = with_wilson(counts, "numerator", "denominator", confidence)
    result = suppress_small_groups(
        result, "denominator", ["numerator", "percent", "lower", "upper"], min_respondents
    )
    return result.sort([*by_columns, "_order"], nulls_last=True).select(
        [*by_columns, *INDICATOR_COLUMNS]
    )


def with_wilson(
    frame: pl.DataFrame, numerator: str, denominator: str, confidence: float = 0.95
) -> pl.DataFrame:
    """Add ``percent``, ``lower`` and ``upper`` (0-100) from counts, by careties.stats.wilson_ci.

    Rows with a zero or null denominator get nulls.
    """
    x = frame.get_column(numerator).cast(pl.Float64).to_numpy(allow_copy=True).copy()
    n = frame.get_column(denominator).cast(pl.Float64).to_numpy(allow_copy=True).copy()
    valid = ~np.isnan(n) & (n > 0) & ~np.isnan(x)
    percent = np.full(len(n), np.nan)
    lower = np.full(len(n), np.nan)
    upper = np.full(len(n), np.nan)
    if valid.any():
        lo, hi = wilson_ci(x[valid], n[valid], confidence=confidence)
        percent[valid] = 100.0 * x[valid] / n[valid]
        lower[valid] = 100.0 * np.asarray(lo)
        upper[valid] = 100.0 * np.asarray(hi)
    return frame.with_columns(
        pl.Series("percent", percent).fill_nan(None),
        pl.Series("lower", lower).fill_nan(None),
        pl.Series("upper", upper).fill_nan(None),
    )
