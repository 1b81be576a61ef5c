"""Mid-year population estimates aged 65+, per council: the ASCOF denominator."""

from __future__ import annotations

import polars as pl

from careties.data.context import ReadContext
from careties.data.contracts.common import finish, la_code
from careties.data.layouts import Layout, Mapped
from careties.data.validate import check_duplicates, require, to_int

KIND = "population"
LAYOUTS = [
    Layout(
        KIND,
        "careties",
        required=("la_code", "year", "population_65_plus"),
        optional=("population_18_64",),
    )
]


def convert(mapped: Mapped, ctx: ReadContext) -> pl.DataFrame:
    """Whole, non-negative counts for plausible years."""
    frame = la_code(mapped.frame, ctx)
    require(frame, ctx, ["year", "population_65_plus"])
    frame = to_int(
        frame,
        ctx,
        "year",
        minimum=1990,
        maximum=ctx.today.year,
        below_reason="year before 1990",
        above_reason="year is in the future",
    )
    frame = to_int(frame, ctx, "population_65_plus", minimum=0, below_reason="negative count")
    if "population_18_64" in frame.columns:
        frame = to_int(frame, ctx, "population_18_64", minimum=0, below_reason="negative count")
    check_duplicates(frame, ctx, ("la_code", "year"))
    return finish(frame, KIND)
