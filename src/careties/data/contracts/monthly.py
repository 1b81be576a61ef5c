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
from careties.data.validate import convert, future_check, parse_dates, range_checks

MONTH_REASON = "not a month: write it as YYYY-MM (or a date in the month, YYYY-MM-DD)"


def to_month(frame: pl.DataFrame, ctx: ReadContext, column: str = "month") -> pl.DataFrame:
    """Parse ``YYYY-MM`` or any accepted date into the first day of its month; no future months."""
    text = frame.get_column(column)
    with_day = text.str.replace(r"^(\d{4})-(\d{1,2})$", "$1-$2-01")
    parsed = parse_dates(with_day).dt.month_start()
    this_month = future_check(ctx, "month", latest=ctx.today.replace(day=1))
    return convert(frame, ctx, column, parsed, MONTH_REASON, [this_month])


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
    finite = pl.when(value.is_finite()).then(value)
    return convert(frame, ctx, column, finite, "not a number", range_checks(minimum, maximum))
