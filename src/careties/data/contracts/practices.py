"""GP practices: careties' layout, or NHS Digital's ``epraccur.csv`` as published.

``epraccur.csv`` has no header row and no council: practices are assigned to
a council through ``la_code_by_postcode`` (postcode -> ONS code) or
``default_la_code`` (``careties import practices epraccur.csv --la-code ...``);
otherwise ``la_code`` stays null, which the store refuses, so load the careties
layout instead. Only prescribing setting 4 (GP practice) rows are kept: the
file also lists out-of-hours services, prisons and walk-in centres.
"""

from __future__ import annotations

import re

import polars as pl

from careties.data import spellings
from careties.data.context import ReadContext
from careties.data.contracts.common import finish, la_code, practice_code
from careties.data.layouts import Layout, Mapped
from careties.data.validate import check_duplicates, check_pattern, flag, map_codes, require

KIND = "practices"

#: UK postcode, outward and inward parts (the space is restored on output).
POSTCODE_PATTERN = re.compile(r"^[A-Z]{1,2}[0-9][A-Z0-9]? ?[0-9][A-Z]{2}$")

EPRACCUR_COLUMNS = (
    "practice_code",
    "name",
    "national_grouping",
    "high_level_health_geography",
    "address_1",
    "address_2",
    "address_3",
    "address_4",
    "address_5",
    "postcode",
    "open_date",
    "close_date",
    "status",
    "organisation_sub_type",
    "commissioner",
    "join_provider_date",
    "left_provider_date",
    "telephone",
    "null_1",
    "null_2",
    "null_3",
    "amended_record_indicator",
    "null_4",
    "provider_purchaser",
    "null_5",
    "prescribing_setting",
    "null_6",
)
GP_PRESCRIBING_SETTING = "4"

LAYOUTS = [
    Layout(
        KIND,
        "careties",
        required=("practice_code", "name", "postcode", "la_code"),
        optional=("status",),
    ),
    Layout(
        KIND,
        "epraccur",
        required=EPRACCUR_COLUMNS,
        positional=EPRACCUR_COLUMNS,
        labels={
            name: f"column {i + 1} ({name.replace('_', ' ')})"
            for i, name in enumerate(EPRACCUR_COLUMNS)
        },
    ),
]


def looks_headerless(first_row: list[str | None]) -> bool:
    """epraccur's first cell is an ODS code; a header's first cell is a name."""
    first = (first_row[0] or "").strip().upper() if first_row else ""
    return bool(re.match(r"^[A-Z][0-9A-Z]{4,5}$", first)) and len(first_row) > 10


def convert(mapped: Mapped, ctx: ReadContext) -> pl.DataFrame:
    """Check codes and postcodes; for epraccur keep GP practices and assign councils."""
    frame = mapped.frame
    if mapped.layout.name == "epraccur":
        frame = frame.filter(pl.col("prescribing_setting") == GP_PRESCRIBING_SETTING)
        frame = _assign_la_code(frame, ctx)
    # A practice list is the reference for practice codes: format checks only.
    frame = practice_code(frame, ctx, referential=False)
    require(frame, ctx, ["name"])
    frame = frame.with_columns(pl.col("postcode").str.to_uppercase().str.replace_all(r"\s+", ""))
    check_pattern(frame, ctx, "postcode", POSTCODE_PATTERN, "not a valid UK postcode")
    frame = frame.with_columns(pl.col("postcode").str.replace(r"^(.+)(\d[A-Z]{2})$", "$1 $2"))
    if "status" in frame.columns:
        frame = map_codes(
            frame, ctx, "status", spellings.PRACTICE_STATUSES, "practice status", "ACDP"
        )
    if mapped.layout.name != "epraccur":
        frame = la_code(frame, ctx)
    elif (
        ctx.default_la_code is not None
        or ctx.la_code_by_postcode is not None
        or ctx.la_code_by_practice is not None
    ):
        flag(
            frame,
            ctx,
            "postcode",
            pl.col("la_code").is_null(),
            "no council for this postcode: add it to the postcode mapping or give a default council (--la-code)",
        )
        frame = la_code(frame, ctx, required=False)
    check_duplicates(frame, ctx, ("practice_code",))
    # Optional means optional: a practice list without a status lists open practices.
    status = pl.col("status") if "status" in frame.columns else pl.lit(None, pl.String)
    frame = frame.with_columns(status.fill_null("A").alias("status"))
    return finish(frame, KIND)


def _assign_la_code(frame: pl.DataFrame, ctx: ReadContext) -> pl.DataFrame:
    by_postcode = pl.lit(None, dtype=pl.String)
    if ctx.la_code_by_postcode:
        table = {k.upper().replace(" ", ""): v for k, v in ctx.la_code_by_postcode.items()}
        by_postcode = (
            pl.col("postcode")
            .str.to_uppercase()
            .str.replace_all(r"\s+", "")
            .replace_strict(table, default=None, return_dtype=pl.String)
        )
    by_practice = pl.lit(None, dtype=pl.String)
    if ctx.la_code_by_practice:
        table = {k.upper().strip(): v for k, v in ctx.la_code_by_practice.items()}
        by_practice = (
            pl.col("practice_code")
            .str.to_uppercase()
            .str.strip_chars()
            .replace_strict(table, default=None, return_dtype=pl.String)
        )
    return frame.with_columns(
        pl.coalesce(by_practice, by_postcode, pl.lit(ctx.default_la_code, dtype=pl.String)).alias(
            "la_code"
        )
    )
