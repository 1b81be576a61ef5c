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
from careties.data.contracts.monthly import to_month, to_number
from careties.data.layouts import Layout, Mapped
from careties.data.validate import check_duplicates, require, to_int

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
    frame = to_int(frame, ctx, "discharges", minimum=0, below_reason="negative count")
    frame = to_int(frame, ctx, "discharged_on_ready_date", minimum=0, below_reason="negative count")
    ctx.log.add_rows(
        frame,
        pl.col("discharged_on_ready_date") > pl.col("discharges"),
        "discharged_on_ready_date",
        "more discharged on their discharge ready date than discharged in all",
        shown_as=ctx.label("discharged_on_ready_date"),
    )
    # A delay is counted in whole days after the ready date, so the others wait a day or more.
    frame = to_number(frame, ctx, "mean_delay_days_others", minimum=0)
    others = pl.col("discharges") - pl.col("discharged_on_ready_date")
    ctx.log.add_rows(
        frame,
        (others > 0) & pl.col("mean_delay_days_others").is_null(),
        "mean_delay_days_others",
        "required when some patients were not discharged on their ready date",
        shown_as=ctx.label("mean_delay_days_others"),
    )
    ctx.log.add_rows(
        frame,
        (others > 0) & (pl.col("mean_delay_days_others") < 1),
        "mean_delay_days_others",
        "a delayed discharge is at least 1 day after the ready date",
        shown_as=ctx.label("mean_delay_days_others"),
    )
    frame = frame.with_columns(
        pl.when(others == 0)
        .then(pl.lit(0.0))
        .otherwise(pl.col("mean_delay_days_others"))
        .alias("mean_delay_days_others")
    )
    check_duplicates(frame, ctx, ("la_code", "month"))
    return finish(frame, KIND)
