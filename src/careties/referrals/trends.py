"""Monthly admissions per council and per practice, on XmR (SPC) charts.

A single month's count says little; a run of months says whether a change is
signal or noise. Months with no admissions are filled with zero (a gap would
change every moving range after it), and the chart itself comes from
:func:`careties.stats.spc.spc` (Making Data Count rules), with improvement
``"down"``: fewer admissions is better.
"""

from __future__ import annotations

import warnings
from typing import Literal

import polars as pl

from careties.stats.spc import SPCWarning, spc

Level = Literal["council", "practice"]


def monthly_admissions(admissions: pl.DataFrame, level: Level = "council") -> pl.DataFrame:
    """Admissions per calendar month, zero-filled over the span of the data.

    ``admissions`` is :func:`careties.referrals.admissions.new_admissions`.
    Columns: ``la_code``, ``practice_code`` (practice level only), ``month``
    (first day of the month, a date) and ``admissions``.
    """
    keys = ["la_code"] if level == "council" else ["la_code", "practice_code"]
    dated = (
        admissions.filter(pl.col("practice_code").is_not_null())
        if level == "practice"
        else admissions
    )
    dated = dated.with_columns(pl.col("start_date").dt.truncate("1mo").alias("month"))
    counts = dated.group_by([*keys, "month"]).agg(pl.len().cast(pl.Int64).alias("admissions"))
    if counts.is_empty():
        return counts
    months = pl.DataFrame(
        {
            "month": pl.date_range(
                counts["month"].min(), counts["month"].max(), interval="1mo", eager=True
            )
        }
    )
    return (
        counts.select(keys)
        .unique()
        .join(months, how="cross")
        .join(counts, on=[*keys, "month"], how="left")
        .with_columns(pl.col("admissions").fill_null(0))
        .sort([*keys, "month"])
    )


def admissions_spc(
    monthly: pl.DataFrame, *, target: float | None = None, min_points: int = 2
) -> pl.DataFrame:
    """An XmR chart per series of :func:`monthly_admissions` (council or practice).

    Series shorter than ``min_points`` are skipped (no moving range). Charts of
    fewer than 13 points are drawn but flagged ``short_period`` by
    :func:`careties.stats.spc.spc`; careties does not repeat its warning once per
    practice. Returns the SPC columns with the series keys in front.
    """
    keys = [k for k in ("la_code", "practice_code") if k in monthly.columns]
    parts = []
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", SPCWarning)
        for key_values, series in monthly.group_by(keys, maintain_order=True):
            if series.height < min_points:
                continue
            chart = spc(
                series["admissions"].cast(pl.Float64).to_numpy(),
                dates=series["month"].to_list(),
                improvement="down",
                target=target,
            )
            parts.append(
                chart.with_columns(
                    [pl.lit(v).alias(k) for k, v in zip(keys, key_values, strict=True)]
                ).select([*keys, *chart.columns])
            )
    if not parts:
        return pl.DataFrame()
    return pl.concat(parts, how="diagonal_relaxed")
