"""Small-number suppression and practice anonymisation: the one place both happen.

Every table a page, JSON endpoint or export shows passes through :func:`apply`,
which the section framework (``careties.web.presenters.base``) calls itself:
presenters hand it raw frames and a :class:`Disclosure` saying which columns are
counts, rates, practices or survey results, so no view can forget it.

The rule is NHS England's statistical disclosure control (REFERENCE.md): 0 stays
0; 1 to ``threshold`` (7) is shown as ``*``; every other count is rounded to the
nearest ``rounding`` (5); rates and percentages are recomputed from the rounded
figures, and are ``*`` where either part is suppressed. It applies to figures
below council level shown to anyone outside the council role
(:func:`careties.web.access.sees_small_numbers`). Survey results from fewer than
``min_survey_respondents`` (5) people are never shown, to anyone.

An interval attached to a suppressed rate is blanked too, and every other
interval is recomputed from the rounded counts the role sees: an interval from
the true count could be inverted to give the count back (Byar's interval of a
rounded cell recovered its true count every time). Rows of a table ordered by
a count or rate are re-ordered by the value shown, ties and ``*`` rows by
their label, so a row's position tells nothing the figures do not.

Suppressed cells hold null in the frame and ``True`` in a companion column
``_suppressed_<column>``, so a table prints ``*`` and a chart simply leaves the
point out.
"""

from __future__ import annotations

import hashlib
import hmac
import re
from dataclasses import dataclass, field
from typing import Literal

import polars as pl
from django.conf import settings

from careties.stats.intervals import rate_ci, wilson_ci
from careties.web import access, size_bands

Level = Literal["national", "council", "below_council"]

SUPPRESSED = "*"
PRACTICE_CODE = re.compile(r"[A-Z][0-9]{5}")
FLAG_PREFIX = "_suppressed_"


@dataclass(frozen=True)
class Rule:
    """The disclosure rule's parameters (``settings.CARETIES_SUPPRESSION``)."""

    threshold: int = 7
    rounding: int = 5
    min_survey_respondents: int = 5

    @classmethod
    def from_settings(cls) -> Rule:
        configured = getattr(settings, "CARETIES_SUPPRESSION", {}) or {}
        return cls(
            threshold=int(configured.get("threshold", cls.threshold)),
            rounding=int(configured.get("rounding", cls.rounding)),
            min_survey_respondents=int(
                configured.get("min_survey_respondents", cls.min_survey_respondents)
            ),
        )


@dataclass(frozen=True)
class Policy:
    """What one user may see of one council's figures."""

    suppress_small_numbers: bool
    anonymise_practices: bool
    own_practice: str | None = None
    rule: Rule = field(default_factory=Rule)

    @classmethod
    def for_user(cls, user, la_code: str | None) -> Policy:
        """The policy for ``user`` looking at ``la_code`` (None: several councils)."""
        return cls(
            suppress_small_numbers=not access.sees_small_numbers(user, la_code),
            anonymise_practices=access.sees_practices_anonymised(user),
            own_practice=access.own_practice(user),
            rule=Rule.from_settings(),
        )

    @classmethod
    def unrestricted(cls) -> Policy:
        """For tests and the command line: counts as they are."""
        return cls(suppress_small_numbers=False, anonymise_practices=False)


@dataclass(frozen=True)
class RateSpec:
    """A rate shown as ``numerator / denominator x multiplier``, with its interval columns."""

    column: str
    numerator: str
    denominator: str
    multiplier: float = 1.0
    digits: int = 1
    intervals: tuple[str, ...] = ()
    #: How the intervals are recomputed from the shown counts: "byar" (a count of
    #: events over a population, PHE's method) or "wilson" (a proportion).
    interval_method: Literal["byar", "wilson"] = "byar"


@dataclass(frozen=True)
class Disclosure:
    """What a table's columns are, for the rule to know what to do with them."""

    level: Level = "below_council"
    counts: tuple[str, ...] = ()
    rates: tuple[RateSpec, ...] = ()
    practice_columns: tuple[str, ...] = ()
    #: Column holding the number of respondents behind a survey row.
    respondents: str | None = None
    #: Survey result columns blanked when respondents are too few.
    survey_values: tuple[str, ...] = ()


def suppress_count(count: int | None, rule: Rule | None = None) -> int | None:
    """One count under the rule: ``None`` means shown as ``*``."""
    rule = rule or Rule()
    if count is None:
        return None
    if count == 0:
        return 0
    if 0 < count <= rule.threshold:
        return None
    return int(rule.rounding * ((count / rule.rounding) + 0.5).__floor__())


def practice_pseudonym(practice_code: str) -> str:
    """A stable label for a practice shown as an anonymised benchmark.

    Keyed with the site's secret so the label cannot be turned back into a code
    by hashing the public list of practices.
    """
    digest = hmac.new(
        settings.SECRET_KEY.encode(), practice_code.encode(), hashlib.sha256
    ).hexdigest()
    return f"Practice {digest[:5].upper()}"


def flag(column: str) -> str:
    return f"{FLAG_PREFIX}{column}"


def _suppressed_count(column: str, rule: Rule) -> pl.Expr:
    value = pl.col(column)
    rounded = ((value / rule.rounding) + 0.5).floor() * rule.rounding
    return (
        pl.when(value.is_null())
        .then(None)
        .when(value == 0)
        .then(0)
        .when(value <= rule.threshold)
        .then(None)
        .otherwise(rounded)
        .cast(pl.Int64)
        .alias(column)
    )


def apply(frame: pl.DataFrame, disclosure: Disclosure, policy: Policy) -> pl.DataFrame:
    """The frame as ``policy`` may see it; adds ``_suppressed_<column>`` flags.

    This is the only function that decides what a user sees of a figure.
    """
    rule = policy.rule
    out = frame
    flags: dict[str, pl.Expr] = {}
    suppress = policy.suppress_small_numbers and disclosure.level == "below_council"
    if suppress:
        counts = [c for c in disclosure.counts if c in out.columns]
        for column in counts:
            value = pl.col(column)
            flags[column] = (value.is_not_null() & (value > 0) & (value <= rule.threshold)).alias(
                flag(column)
            )
        out = out.with_columns(list(flags.values())).with_columns(
            [_suppressed_count(c, rule) for c in counts]
        )
        for rate in disclosure.rates:
            if rate.column not in out.columns:
                continue
            hidden = pl.lit(False)
            for part in (rate.numerator, rate.denominator):
                if flag(part) in out.columns:
                    hidden = hidden | pl.col(flag(part))
            recomputed = pl.when(pl.col(rate.denominator) > 0).then(
                (pl.col(rate.numerator) / pl.col(rate.denominator) * rate.multiplier).round(
                    rate.digits
                )
            )
            out = out.with_columns(hidden.alias(flag(rate.column)))
            out = out.with_columns(
                pl.when(pl.col(flag(rate.column)))
                .then(None)
                .otherwise(recomputed)
                .cast(pl.Float64)
                .alias(rate.column)
            )
            out = _recomputed_intervals(out, rate)
    if disclosure.respondents and disclosure.respondents in out.columns:
        too_few = pl.col(disclosure.respondents) < rule.min_survey_respondents
        for column in disclosure.survey_values:
            if column not in out.columns:
                continue
            previous = pl.col(flag(column)) if flag(column) in out.columns else pl.lit(False)
            out = out.with_columns(
                (previous | too_few).alias(flag(column)),
            ).with_columns(
                pl.when(pl.col(flag(column))).then(None).otherwise(pl.col(column)).alias(column)
            )
    if policy.anonymise_practices and disclosure.practice_columns:
        anonymised = _anonymised_rows(out, disclosure.practice_columns, policy.own_practice)
        out = size_bands.band(frame, out, anonymised, disclosure.rates)
        out = _anonymise(out, disclosure.practice_columns, policy.own_practice)
    if suppress:
        out = _ordered_by_shown(frame, out, disclosure)
    return out


def _recomputed_intervals(out: pl.DataFrame, rate: RateSpec) -> pl.DataFrame:
    """Intervals from the shown (rounded) counts; blank beside a ``*``."""
    present = [c for c in rate.intervals if c in out.columns]
    if not present:
        return out
    numerator = out[rate.numerator].cast(pl.Float64).fill_null(float("nan")).to_numpy()
    denominator = out[rate.denominator].cast(pl.Float64).fill_null(float("nan")).to_numpy()
    usable = (denominator > 0) & (numerator >= 0)
    safe_num = numerator.copy()
    safe_den = denominator.copy()
    safe_num[~usable] = 0.0
    safe_den[~usable] = 1.0
    if rate.interval_method == "wilson":
        lower, upper = wilson_ci(safe_num, safe_den)
        lower, upper = lower * rate.multiplier, upper * rate.multiplier
    else:
        _, lower, upper = rate_ci(safe_num, safe_den, multiplier=rate.multiplier)
    bounds = {present[0]: lower, present[-1]: upper} if len(present) > 1 else {present[0]: lower}
    hidden = out[flag(rate.column)].fill_null(False).to_numpy() | ~usable
    columns = []
    for column, values in bounds.items():
        series = pl.Series(column, values, dtype=pl.Float64).round(rate.digits)
        columns.append(pl.when(pl.Series(hidden)).then(None).otherwise(series).alias(column))
        columns.append(pl.col(flag(rate.column)).alias(flag(column)))
    return out.with_columns(columns)


def _monotonic(series: pl.Series) -> bool:
    values = series.drop_nulls()
    if values.len() < 2 or not values.dtype.is_numeric():
        return False
    return bool(values.is_sorted()) or bool(values.is_sorted(descending=True))


def _ordered_by_shown(
    original: pl.DataFrame, out: pl.DataFrame, disclosure: Disclosure
) -> pl.DataFrame:
    """Re-sort a table ordered by a hidden-to-some value by what is shown instead."""
    candidates = [r.column for r in disclosure.rates] + list(disclosure.counts)
    key = next((c for c in candidates if c in original.columns and _monotonic(original[c])), None)
    if key is None or out.height < 2:
        return out
    values = original[key].drop_nulls()
    descending = not values.is_sorted() and values.is_sorted(descending=True)
    labels = [
        c for c in out.columns if out.schema[c] == pl.String and not c.startswith(FLAG_PREFIX)
    ]
    return out.sort(
        [key, *labels], descending=[descending] + [False] * len(labels), nulls_last=True
    )


def _anonymised_rows(
    frame: pl.DataFrame, columns: tuple[str, ...], own_practice: str | None
) -> pl.Series:
    """Rows whose practice the role sees under a pseudonym."""
    code_column = next((c for c in columns if c in {"practice_code", "node_id"}), columns[0])
    if code_column not in frame.columns:
        return pl.Series([False] * frame.height, dtype=pl.Boolean)
    return pl.Series(
        [
            bool(code and code != own_practice and PRACTICE_CODE.fullmatch(code))
            for code in frame[code_column].cast(pl.String).to_list()
        ],
        dtype=pl.Boolean,
    )


def _anonymise(
    frame: pl.DataFrame, columns: tuple[str, ...], own_practice: str | None
) -> pl.DataFrame:
    """Replace other practices' codes and names with their pseudonym; keep one's own.

    Only rows whose code is a GP practice's (ODS: letter + 5 digits) change: a
    social care team in the same column is not a practice.
    """
    code_column = next((c for c in columns if c in {"practice_code", "node_id"}), columns[0])
    if code_column not in frame.columns:
        return frame
    codes = frame[code_column].cast(pl.String).to_list()
    pseudonyms = [
        practice_pseudonym(code)
        if code and code != own_practice and PRACTICE_CODE.fullmatch(code)
        else None
        for code in codes
    ]
    replace = pl.Series("_pseudonym", pseudonyms, dtype=pl.String)
    out = frame.with_columns(replace)
    out = out.with_columns(
        [
            pl.coalesce(pl.col("_pseudonym"), pl.col(c).cast(pl.String)).alias(c)
            for c in columns
            if c in frame.columns
        ]
    )
    return out.drop("_pseudonym")


def is_suppressed(frame: pl.DataFrame, column: str) -> pl.Series:
    """Which rows of ``column`` are suppressed (all False where nothing was)."""
    name = flag(column)
    if name in frame.columns:
        return frame[name].fill_null(False)
    return pl.Series(name, [False] * frame.height, dtype=pl.Boolean)


def visible_columns(frame: pl.DataFrame) -> list[str]:
    """The frame's columns without the suppression flags."""
    return [c for c in frame.columns if not c.startswith(FLAG_PREFIX)]
