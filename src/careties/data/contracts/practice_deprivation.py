"""Practice deprivation scores: who is admitted, by how deprived their practice's population is.

OHID publishes a deprivation score per GP practice in its National General
Practice Profiles on Fingertips (indicator 93553, "Deprivation score (IMD
2019)": the practice's registered population weighted average of its
neighbourhoods' Index of Multiple Deprivation scores). careties accepts that
Fingertips export as downloaded (other indicators, England and PCN rows are
skipped) and its own two-column layout. Higher scores are more deprived.
"""

from __future__ import annotations

import polars as pl

from careties.data.context import ReadContext
from careties.data.contracts.common import finish, practice_code
from careties.data.layouts import Layout, Mapped
from careties.data.validate import check_duplicates, require, to_number

KIND = "practice_deprivation"
#: Fingertips indicator of the practice deprivation score (IMD 2019).
FINGERTIPS_INDICATOR = "93553"
LAYOUTS = [
    Layout(KIND, "careties", required=("practice_code", "deprivation_score"), optional=("year",)),
    Layout(
        KIND,
        "OHID Fingertips practice profile",
        required=("indicator_id", "area_code", "area_type", "time_period", "value"),
        optional=("indicator_name",),
        signature=("indicator_id", "area_code", "area_type", "time_period", "value"),
        allow_extra=True,
    ),
]


def _from_fingertips(frame: pl.DataFrame) -> pl.DataFrame:
    """The practice rows of indicator 93553, renamed to careties' columns."""
    rows = frame.filter(
        (pl.col("indicator_id") == FINGERTIPS_INDICATOR)
        & pl.col("area_type").str.to_lowercase().str.starts_with("gp")
    )
    return rows.rename(
        {"area_code": "practice_code", "value": "deprivation_score", "time_period": "year"}
    )


def convert(mapped: Mapped, ctx: ReadContext) -> pl.DataFrame:
    """A known practice and a score from 0 to 100 (the IMD score's range)."""
    frame = mapped.frame
    if mapped.layout.name != "careties":
        frame = _from_fingertips(frame)
    if "year" not in frame.columns:
        frame = frame.with_columns(pl.lit(None, dtype=pl.String).alias("year"))
    frame = practice_code(frame, ctx)
    require(frame, ctx, ["deprivation_score"])
    frame = to_number(frame, ctx, "deprivation_score", minimum=0, maximum=100)
    check_duplicates(frame, ctx, ("practice_code",))
    return finish(frame, KIND)
