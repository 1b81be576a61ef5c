"""Reporting periods: financial years, months, or the whole span of the data.

Counts, denominators and charts must agree on what a period is, so the label
and the reference date used to pick a registration extract come from one place.
"""

from __future__ import annotations

from typing import Literal

import polars as pl

from careties.referrals.admissions import financial_year_label, financial_year_start

Period = Literal["financial_year", "month", "all"]
PERIODS: tuple[str, ...] = ("financial_year", "month", "all")


class PeriodError(ValueError):
    """An unknown reporting period was asked for."""


def check_period(period: str) -> None:
    """Raise :class:`PeriodError` unless ``period`` is one careties reports by."""
    if period not in PERIODS:
        raise PeriodError(f"period must be one of {', '.join(PERIODS)}; got {period!r}")


def period_label(date: pl.Expr, period: Period) -> pl.Expr:
    """``"2023-24"`` (financial year), ``"2023-06"`` (month) or ``"all"``."""
    check_period(period)
    if period == "financial_year":
        return financial_year_label(financial_year_start(date))
    if period == "month":
        return date.dt.strftime("%Y-%m")
    return pl.lit("all")


def period_midpoint(date: pl.Expr, period: Period) -> pl.Expr:
    """A date in the middle of the period, to pick the registration extract nearest to it.

    For ``"all"`` it is the date itself; callers take the latest.
    """
    check_period(period)
    if period == "financial_year":
        return pl.date(financial_year_start(date), 10, 1)
    if period == "month":
        return pl.date(date.dt.year(), date.dt.month(), 15)
    return date


def period_key(date: pl.Expr, period: Period) -> pl.Expr:
    """An integer standing for the period of ``date``: cheap to group on, labelled afterwards.

    The start year of the financial year (``2023`` for 2023-24), ``year * 100 + month``
    for months, ``0`` for the whole span. :func:`key_label` and :func:`key_midpoint`
    turn it back into the label and reference date of :func:`period_label` and
    :func:`period_midpoint`, so that the text is built once per group, not once per event.
    """
    check_period(period)
    if period == "financial_year":
        return financial_year_start(date).cast(pl.Int32)
    if period == "month":
        return (date.dt.year() * 100 + date.dt.month()).cast(pl.Int32)
    return pl.lit(0, pl.Int32)


def key_label(key: pl.Expr, period: Period) -> pl.Expr:
    """The label of a :func:`period_key`: ``"2023-24"``, ``"2023-06"`` or ``"all"``."""
    check_period(period)
    if period == "financial_year":
        return financial_year_label(key)
    if period == "month":
        return pl.format("{}-{}", key // 100, (key % 100).cast(pl.String).str.zfill(2))
    return pl.lit("all")


def key_midpoint(key: pl.Expr, period: Period) -> pl.Expr:
    """The reference date of a :func:`period_key` (null for the whole span: callers take the latest)."""
    check_period(period)
    if period == "financial_year":
        return pl.date(key, 10, 1)
    if period == "month":
        return pl.date(key // 100, key % 100, 15)
    return pl.lit(None, pl.Date)
