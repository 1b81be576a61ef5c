"""Checks shared by the Better Care Fund kinds: calendar months and decimal numbers.

NHS partners send monthly figures with the month written as ``2025-04``,
``2025-04-01`` or ``01/04/2025``; careties stores the first day of the month,
so a month is one value however it was spelt. Decimal figures (an average
delay in days, a deprivation score) get the same row-and-column errors as
whole counts.
"""

from __future__ import annotations

import polars as pl

from careties.data.context import ReadContext
from careties.data.validate import parse_dates

MONTH_REASON = "not a month: write it as YYYY-MM (or a date in the month, YYYY-MM-DD)"


def to_month(frame: pl.DataFrame, ctx: ReadContext, column: str = "month") -> pl.DataFrame:
    """Parse ``YYYY-MM`` or any accepted date into the first day of its month; no future months."""
    text = frame.get_column(column)
    with_day = text.str.replace(r"^(\d{4})-(\d{1,2})$", "$1-$2-01")
    parsed = parse_dates(with_day).dt.month_start()
    frame = frame.with_columns(parsed.alias("__month"))
    ctx.log.add_rows(
        frame,
        pl.col(column).is_not_null() & pl.col("__month").is_null(),
        column,
        MONTH_REASON,
        shown_as=ctx.label(column),
    )
    ctx.log.add_rows(
        frame,
        pl.col("__month") > pl.lit(ctx.today.replace(day=1)),
        column,
        f"month is in the future (today is {ctx.today.isoformat()})",
        shown_as=ctx.label(column),
    )
    return frame.with_columns(pl.col("__month").alias(column)).drop("__month")


def to_number(
    frame: pl.DataFrame,
    ctx: ReadContext,
    column: str,
    *,
    minimum: float | None = None,
    maximum: float | None = None,
) -> pl.DataFrame:
    """A finite decimal number, optionally within ``[minimum, maximum]``."""
    value = pl.col(column).str.replace_all(r"^\+", "").cast(pl.Float64, strict=False)
    frame = frame.with_columns(pl.when(value.is_finite()).then(value).alias("__num"))
    ctx.log.add_rows(
        frame,
        pl.col(column).is_not_null() & pl.col("__num").is_null(),
        column,
        "not a number",
        shown_as=ctx.label(column),
    )
    if minimum is not None:
        ctx.log.add_rows(
            frame,
            pl.col("__num") < minimum,
            column,
            f"must be at least {minimum:g}",
            shown_as=ctx.label(column),
        )
    if maximum is not None:
        ctx.log.add_rows(
            frame,
            pl.col("__num") > maximum,
            column,
            f"must be at most {maximum:g}",
            shown_as=ctx.label(column),
        )
    return frame.with_columns(pl.col("__num").alias(column)).drop("__num")
