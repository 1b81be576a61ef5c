"""Figures and columns that several sections draw the same way, read from a frame by name.

A section's chart function gets the *disclosed* frame; these helpers turn its
columns into the lists ``careties.web.charts`` draws, so a bar with its
interval, a Making Data Count chart or a line per group is written once; a
section whose chart is exactly one of them binds its columns by name
(``chart=partial(interval_bars, category="label", value="percent", ...)``)
rather than wrapping it in a function of its own. The column sets are the
tables that stand on more than one page (ASCOF 2C for one council and for the
region, survey indicators for one council and side by side).
"""

from __future__ import annotations

from typing import Any

import polars as pl

from careties.web import charts
from careties.web.presenters.base import Column


def interval_columns(
    kind: str, *, lower: str = "lower", upper: str = "upper", digits: int = 1
) -> list[Column]:
    """The two bounds of a 95% interval, as every table labels them."""
    return [Column(lower, "95% lower", kind, digits), Column(upper, "95% upper", kind, digits)]


#: ASCOF 2C's figures for a council and year: the measure, its counts, rate and interval.
ASCOF_COLUMNS: tuple[Column, ...] = (
    Column("measure", "Measure"),
    Column("admissions_65_plus", "Admissions 65+", "count"),
    Column("population_65_plus", "Population 65+", "count"),
    Column("rate_per_100k", "Per 100,000", "rate"),
    *interval_columns("rate", lower="lower_95", upper="upper_95"),
)

#: A survey indicator: who said yes among those who answered, with its Wilson interval.
INDICATOR_COLUMNS: tuple[Column, ...] = (
    Column("label", "Indicator"),
    Column("numerator", "Yes", "count"),
    Column("denominator", "Answered", "count"),
    Column("percent", "Percent", "percent"),
    *interval_columns("percent"),
)


def interval_bars(
    shown: pl.DataFrame,
    category: str,
    value: str,
    name: str,
    *,
    lower: str = "lower",
    upper: str = "upper",
    **options: Any,
) -> dict:
    """One bar per row of ``shown`` with its interval; ``options`` go to ``charts.bar_chart``."""
    return charts.bar_chart(
        shown[category].to_list(),
        {name: shown[value].to_list()},
        errors={name: (shown[lower].to_list(), shown[upper].to_list())},
        **options,
    )


def spc_figure(
    chart: pl.DataFrame,
    *,
    date: str = "date",
    value: str = "value",
    title: str,
    y_title: str,
    period: str = "Month",
) -> dict:
    """A Making Data Count chart from the columns ``careties.stats.spc`` returns."""
    return charts.spc_chart(
        chart[date].to_list(),
        chart[value].to_list(),
        chart["mean"].to_list(),
        chart["lower_process_limit"].to_list(),
        chart["upper_process_limit"].to_list(),
        chart["point_type"].to_list(),
        title=title,
        y_title=y_title,
        period=period,
    )


def lines_by(
    shown: pl.DataFrame,
    x: str,
    group: str,
    value: str,
    *,
    groups: list[str] | None = None,
    **options: Any,
) -> dict:
    """One line per ``group`` across the sorted values of ``x``; a gap where a group has none.

    ``groups`` fixes which lines and in what order (default: as they appear);
    ``options`` go to ``charts.line_chart``.
    """
    xs = sorted(shown[x].unique().to_list())
    names = groups if groups is not None else shown[group].unique(maintain_order=True).to_list()
    series = {}
    for name in names:
        part = dict(shown.filter(pl.col(group) == name).select(x, value).iter_rows())
        series[name] = [part.get(point) for point in xs]
    return charts.line_chart(xs, series, **options)
