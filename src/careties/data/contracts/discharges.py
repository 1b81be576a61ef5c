"""Monthly acute discharges by council of residence: BCF metric 2 (average discharge delay).

NHS England's discharge-ready-date collection gives, per month, the adult
patients discharged from acute hospitals, how many left on their discharge
ready date, and the average days of delay of those who did not. careties keeps
those three figures; the metric is computed from them (``careties.bcf.metrics``).
"""

from __future__ import annotations

import polars as pl

from careties.data.context import ReadContext
from careties.data.contracts.common import finish, la_code
from careties.data.contracts.monthly import to_month
from careties.data.layouts import Layout, Mapped
from careties.data.validate import check_duplicates, flag, require, to_count, to_number

KIND = "discharges"
LAYOUTS = [
    Layout(
        KIND,
        "careties",
        required=(
            "la_code",
            "month",
            "discharges",
            "discharged_on_ready_date",
            "mean_delay_days_others",
        ),
    )
]


def convert(mapped: Mapped, ctx: ReadContext) -> pl.DataFrame:
    """Counts whole and consistent (on the date <= all); the mean delay of the others >= 1 day."""
    frame = la_code(mapped.frame, ctx)
    require(frame, ctx, ["month", "discharges", "discharged_on_ready_date"])
    frame = to_month(frame, ctx)
    frame = to_count(frame, ctx, "discharges")
    frame = to_count(frame, ctx, "discharged_on_ready_date")
    flag(
        frame,
        ctx,
        "discharged_on_ready_date",
        pl.col("discharged_on_ready_date") > pl.col("discharges"),
        "more discharged on their discharge ready date than discharged in all",
    )
    # A delay is counted in whole days after the ready date, so the others wait a day or more.
    frame = to_number(frame, ctx, "mean_delay_days_others", minimum=0)
    others = pl.col("discharges") - pl.col("discharged_on_ready_date")
    delay = pl.col("mean_delay_days_others")
    for failing, reason in (
        (delay.is_null(), "required when some patients were not discharged on their ready date"),
        (delay < 1, "a delayed discharge is at least 1 day after the ready date"),
    ):
        flag(frame, ctx, "mean_delay_days_others", (others > 0) & failing, reason)
    frame = frame.with_columns(
        pl.when(others == 0)
        .then(pl.lit(0.0))
        .otherwise(pl.col("mean_delay_days_others"))
        .alias("mean_delay_days_others")
    )
    check_duplicates(frame, ctx, ("la_code", "month"))
    return finish(frame, KIND)
