"""Monthly emergency hospital admissions of residents aged 65 and over: BCF metric 1's numerator.

Councils receive these from their integrated care board (SUS-derived, as the
BCF metric data packs count them), by council of residence and often by GP
practice of registration. A row without a practice is the council's total;
careties stores it under the practice code ``ALL`` so a council total and its
practice rows share one natural key (a blank would not be unique in SQL).
"""

from __future__ import annotations

import polars as pl

from careties.data.context import ReadContext
from careties.data.contracts.common import finish, la_code, practice_code
from careties.data.contracts.monthly import to_month
from careties.data.layouts import Layout, Mapped
from careties.data.validate import check_duplicates, require, to_count

KIND = "emergency_admissions"
#: Practice code of a council-total row.
COUNCIL_TOTAL = "ALL"
LAYOUTS = [
    Layout(
        KIND,
        "careties",
        required=("la_code", "month", "admissions_65_plus"),
        optional=("practice_code",),
    )
]


def convert(mapped: Mapped, ctx: ReadContext) -> pl.DataFrame:
    """Known council, optional known practice, a past month, a whole non-negative count."""
    frame = la_code(mapped.frame, ctx)
    if "practice_code" not in frame.columns:
        frame = frame.with_columns(pl.lit(None, dtype=pl.String).alias("practice_code"))
    total = pl.col("practice_code").is_null() | (
        pl.col("practice_code").str.to_uppercase() == COUNCIL_TOTAL
    )
    frame = frame.with_columns(
        pl.when(total).then(None).otherwise(pl.col("practice_code")).alias("practice_code")
    )
    frame = practice_code(frame, ctx, required=False)
    require(frame, ctx, ["month", "admissions_65_plus"])
    frame = to_month(frame, ctx)
    frame = to_count(frame, ctx, "admissions_65_plus")
    frame = frame.with_columns(pl.col("practice_code").fill_null(COUNCIL_TOTAL))
    check_duplicates(frame, ctx, ("la_code", "month", "practice_code"))
    return finish(frame, KIND)
