"""Local services for sign-posting, after Open Referral UK's service record."""

from __future__ import annotations

import polars as pl

from careties.data import spellings
from careties.data.context import ReadContext
from careties.data.contracts.common import finish, la_code
from careties.data.layouts import Layout, Mapped
from careties.data.validate import check_duplicates, map_codes, require, to_int

KIND = "services"
LAYOUTS = [
    Layout(
        KIND,
        "careties",
        required=("service_id", "name", "service_type", "la_code", "status"),
        optional=("description", "eligibility", "cost", "contact", "area", "quality_rating"),
    )
]


def convert(mapped: Mapped, ctx: ReadContext) -> pl.DataFrame:
    """ORUK's required fields (id, name, status), a council, and a 1-5 rating when rated."""
    frame = mapped.frame
    require(frame, ctx, ["service_id", "name", "service_type", "status"])
    frame = la_code(frame, ctx)
    frame = map_codes(
        frame,
        ctx,
        "status",
        spellings.SERVICE_STATUSES,
        "status",
        ("active", "inactive", "defunct", "temporarily closed"),
    )
    if "quality_rating" in frame.columns:
        frame = to_int(
            frame,
            ctx,
            "quality_rating",
            minimum=1,
            maximum=5,
            below_reason="quality rating must be 1 to 5 (or blank)",
            above_reason="quality rating must be 1 to 5 (or blank)",
        )
    check_duplicates(frame, ctx, ("service_id",))
    # Optional means optional: no description is an empty one (the store keeps text).
    description = pl.col("description") if "description" in frame.columns else pl.lit(None)
    frame = frame.with_columns(description.cast(pl.String).fill_null("").alias("description"))
    return finish(frame, KIND)
