"""Patients registered at each GP practice, by sex and five-year age band.

Accepted as careties' own layout or as NHS Digital publishes "Patients
Registered at a GP Practice": the five-year file (``gp-reg-pat-prac-quin-age``,
every organisation level stacked: only ``ORG_TYPE = GP`` rows are kept, and the
``ALL`` age total is dropped because careties sums bands itself) or the
single-year file (``gp-reg-pat-prac-all``: ages are banded into five-year bands,
95 and over as ``95+``, and summed).
"""

from __future__ import annotations

import polars as pl

from careties.data import codes, spellings
from careties.data.context import ReadContext
from careties.data.contracts.common import finish, practice_code
from careties.data.layouts import Layout, Mapped
from careties.data.validate import check_duplicates, map_codes, require, to_count, to_date, to_int

KIND = "registered_patients"

QUIN_AGE = (
    "publication",
    "extract_date",
    "org_type",
    "org_code",
    "ons_code",
    "postcode",
    "sex",
    "age_group_5",
    "number_of_patients",
)
SINGLE_AGE_REQUIRED = ("extract_date", "code", "sex", "age", "number_of_patients")
SINGLE_AGE_OPTIONAL = (
    "publication",
    "type",
    "sub_icb_location_code",
    "ons_sub_icb_location_code",
    "ccg_code",
    "ons_ccg_code",
    "postcode",
)

LAYOUTS = [
    Layout(
        KIND, "careties", required=("practice_code", "extract_date", "sex", "age_band", "patients")
    ),
    Layout(
        KIND,
        "gp-reg-pat-prac-quin-age",
        required=QUIN_AGE,
        signature=("org_type", "age_group_5"),
        allow_extra=True,
    ),
    Layout(
        KIND,
        "gp-reg-pat-prac-all",
        required=SINGLE_AGE_REQUIRED,
        optional=SINGLE_AGE_OPTIONAL,
        signature=("code", "age", "number_of_patients"),
        allow_extra=True,
    ),
]


def convert(mapped: Mapped, ctx: ReadContext) -> pl.DataFrame:
    """Rename a published layout to careties' columns, then check it as careties' own."""
    frame = mapped.frame
    name = mapped.layout.name
    if name == "gp-reg-pat-prac-quin-age":
        frame = frame.filter(pl.col("org_type").str.strip_chars().str.to_uppercase() == "GP")
        frame = frame.filter(pl.col("age_group_5").str.strip_chars().str.to_uppercase() != "ALL")
        frame = frame.rename(
            {
                "org_code": "practice_code",
                "age_group_5": "age_band",
                "number_of_patients": "patients",
            }
        )
        _relabel(
            ctx,
            {
                "org_code": "practice_code",
                "age_group_5": "age_band",
                "number_of_patients": "patients",
            },
        )
    elif name == "gp-reg-pat-prac-all":
        if "type" in frame.columns:
            frame = frame.filter(pl.col("type").str.strip_chars().str.to_uppercase() == "GP")
        frame = frame.filter(pl.col("age").str.strip_chars().str.to_uppercase() != "ALL")
        frame = frame.rename({"code": "practice_code", "number_of_patients": "patients"})
        _relabel(ctx, {"code": "practice_code", "number_of_patients": "patients"})

    frame = practice_code(frame, ctx)
    require(frame, ctx, ["extract_date", "sex", "patients"])
    frame = to_date(frame, ctx, "extract_date")
    frame = map_codes(frame, ctx, "sex", spellings.SEXES, "sex", codes.SEXES)
    frame = to_count(frame, ctx, "patients")
    if name == "gp-reg-pat-prac-all":
        frame = _band_single_ages(frame, ctx)
        check_duplicates(frame, ctx, ("practice_code", "extract_date", "sex", "age"))
        frame = frame.group_by(
            ["practice_code", "extract_date", "sex", "age_band"], maintain_order=True
        ).agg(pl.col("patients").sum())
    else:
        require(frame, ctx, ["age_band"])
        frame = map_codes(frame, ctx, "age_band", spellings.AGE_BANDS, "age band", codes.AGE_BANDS)
        check_duplicates(frame, ctx, ("practice_code", "extract_date", "sex", "age_band"))
    return finish(frame, KIND)


def _relabel(ctx: ReadContext, renames: dict[str, str]) -> None:
    for old, new in renames.items():
        if old in ctx.labels:
            ctx.labels[new] = ctx.labels.pop(old)


def _band_single_ages(frame: pl.DataFrame, ctx: ReadContext) -> pl.DataFrame:
    """0..94 -> ``"0_4"``..``"90_94"``; 95 and over (or ``95+``) -> ``"95+"``."""
    require(frame, ctx, ["age"])
    over_95 = pl.col("age").str.replace_all(r"\s", "").is_in(["95+", "95PLUS", "95andover"])
    frame = frame.with_columns(
        over_95.alias("__95"), pl.when(over_95).then(None).otherwise(pl.col("age")).alias("age")
    )
    frame = to_int(
        frame,
        ctx,
        "age",
        minimum=0,
        maximum=120,
        below_reason="negative age",
        above_reason="age over 120",
    )
    low = (pl.col("age") // 5) * 5
    band = (
        pl.when(pl.col("__95") | (pl.col("age") >= 95))
        .then(pl.lit("95+"))
        .otherwise(pl.format("{}_{}", low, low + 4))
    )
    return frame.with_columns(band.alias("age_band")).drop("__95")
