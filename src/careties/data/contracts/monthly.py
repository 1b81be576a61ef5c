"""The check shared by the Better Care Fund kinds: calendar months.

NHS partners send monthly figures with the month written as ``2025-04``,
``2025-04-01`` or ``01/04/2025``; careties stores the first day of the month,
so a month is one value however it was spelt. (Decimal figures are
``careties.data.validate.to_number``.)
"""

from __future__ import annotations

import polars as pl

from careties.data.context import ReadContext
from careties.data.validate import convert, future_check, parse_dates

MONTH_REASON = "not a month: write it as YYYY-MM (or a date in the month, YYYY-MM-DD)"


def to_month(frame: pl.DataFrame, ctx: ReadContext, column: str = "month") -> pl.DataFrame:
    """Parse ``YYYY-MM`` or any accepted date into the first day of its month; no future months."""
    text = frame.get_column(column)
    with_day = text.str.replace(r"^(\d{4})-(\d{1,2})$", "$1-$2-01")
    parsed = parse_dates(with_day).dt.month_start()
    this_month = future_check(ctx, "month", latest=ctx.today.replace(day=1))
    return convert(frame, ctx, column, parsed, MONTH_REASON, [this_month])
