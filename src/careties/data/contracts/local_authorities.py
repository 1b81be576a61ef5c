"""Councils: ONS code, name, region."""

from __future__ import annotations

import polars as pl

from careties.data import councils
from careties.data.context import ReadContext
from careties.data.contracts.common import finish, la_code
from careties.data.layouts import Layout, Mapped
from careties.data.validate import check_duplicates, require

KIND = "local_authorities"
LAYOUTS = [Layout(KIND, "careties", required=("la_code", "name"), optional=("region",))]


def convert(mapped: Mapped, ctx: ReadContext) -> pl.DataFrame:
    """Check codes and names; the council list is what every other file refers to."""
    frame = mapped.frame
    # A council list is the reference itself, so its codes are never "unknown".
    frame = la_code(frame, ctx, referential=False)
    require(frame, ctx, ["name"])
    check_duplicates(frame, ctx, ("la_code",))
    # Optional means optional: a blank or absent region is the council's region
    # in careties' shipped lookup (councils.csv), else blank.
    given = pl.col("region") if "region" in frame.columns else pl.lit(None, pl.String)
    regions = {row["ons_code"]: row["region"] for row in councils.councils()}
    known = pl.col("la_code").replace_strict(regions, default=None, return_dtype=pl.String)
    frame = frame.with_columns(pl.coalesce(given, known, pl.lit("")).alias("region"))
    return finish(frame, KIND)
