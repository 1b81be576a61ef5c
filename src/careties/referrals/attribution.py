"""Who referred each admission: the professional and practice behind it.

Step 1 of the highest-potential-referrers method (``careties.referrals.referrers``):
each new permanent admission (the ASCOF 2C rule) goes to the professional and
practice on the service event; where the service event names no one, to those
on the person's latest earlier request, assessment or review within 365 days
(GP-originated requests reach social care as "Community / Other route", so the
referrer is often only on the request).
"""

from __future__ import annotations

import datetime as dt

import polars as pl

from careties.referrals.admissions import new_admissions

ATTRIBUTION_LOOKBACK_DAYS = 365


def age_band(age: pl.Expr) -> pl.Expr:
    """NHS Digital's five-year band for an age of 65 or more (``"65_69"`` ... ``"95+"``)."""
    lower = (age.clip(65, 95) // 5) * 5
    return pl.when(lower >= 95).then(pl.lit("95+")).otherwise(pl.format("{}_{}", lower, lower + 4))


def attribute_admissions(
    events: pl.DataFrame,
    admissions: pl.DataFrame | None = None,
    *,
    lookback_days: int = ATTRIBUTION_LOOKBACK_DAYS,
) -> pl.DataFrame:
    """Admissions with the referring professional and practice filled in where the data allow.

    Keeps the service event's own ``professional_id`` and ``practice_code``;
    fills gaps from the same person's latest earlier non-service event
    (request, assessment, review) within ``lookback_days``. Adds ``attributed_from``:
    ``"service"``, ``"earlier event"`` or null (no referrer known).
    """
    if admissions is None:
        admissions = new_admissions(events)
    # Only people whose admission names no one need their earlier events read:
    # filtering on them first keeps this cheap on a national file.
    unnamed_mask = pl.col("professional_id").is_null() | pl.col("practice_code").is_null()
    unnamed = admissions.filter(unnamed_mask)
    named = admissions.filter(~unnamed_mask).with_columns(
        pl.lit("service").alias("attributed_from")
    )
    earlier = (
        events.lazy()
        .filter(
            pl.col("service_type").is_null()
            & (pl.col("event_type") != "service")
            & pl.col("start_date").is_not_null()
            & (pl.col("professional_id").is_not_null() | pl.col("practice_code").is_not_null())
            & pl.col("person_key").is_in(unnamed["person_key"].unique().implode())
        )
        .select(
            "la_code",
            "person_key",
            pl.col("start_date").alias("_earlier_date"),
            pl.col("professional_id").alias("_earlier_professional"),
            pl.col("practice_code").alias("_earlier_practice"),
        )
        .sort("_earlier_date")
        .collect()
    )
    joined = unnamed.sort("start_date").join_asof(
        earlier,
        left_on="start_date",
        right_on="_earlier_date",
        by=["la_code", "person_key"],
        strategy="backward",
        tolerance=dt.timedelta(days=lookback_days),
        check_sortedness=False,
    )
    filled = joined.with_columns(
        pl.when(pl.col("professional_id").is_not_null())
        .then(pl.lit("service"))
        .when(pl.col("_earlier_professional").is_not_null())
        .then(pl.lit("earlier event"))
        .alias("attributed_from"),
        pl.coalesce("professional_id", "_earlier_professional").alias("professional_id"),
        pl.coalesce("practice_code", "_earlier_practice").alias("practice_code"),
    ).drop("_earlier_date", "_earlier_professional", "_earlier_practice")
    # Admissions that name both were complete already; the order is by start date, as before.
    return pl.concat([named, filled]).sort("start_date", maintain_order=True)
