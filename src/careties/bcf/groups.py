"""Who is admitted to care homes: ASCOF 2C admissions by age band, sex and ethnicity (from CLD).

Age bands and sex have denominators (the council's practices' registered
patients 65+, latest extract), so they are rates per 100,000; ethnicity has
none careties holds, so it is counts and shares of admissions, said so. The
CLD person fields are kept as given (``gender``, ``ethnicity``); a blank is
"Not recorded".
"""

from __future__ import annotations

import polars as pl

from careties.referrals.admissions import new_admissions
from careties.referrals.rates import persons

PER = 100_000
AGE_GROUPS = (("65-74", 65, 74), ("75-84", 75, 84), ("85+", 85, 200))
NOT_RECORDED = "Not recorded"


def _age_group(age: pl.Expr) -> pl.Expr:
    expr = pl.lit(None, pl.String)
    for label, low, high in reversed(AGE_GROUPS):
        expr = pl.when(age.is_between(low, high)).then(pl.lit(label)).otherwise(expr)
    return expr


def _band_group(band: pl.Expr) -> pl.Expr:
    low = pl.when(band == "95+").then(95).otherwise(band.str.split("_").list.first().cast(pl.Int64))
    return _age_group(low)


def _sex(gender: pl.Expr) -> pl.Expr:
    text = gender.cast(pl.String).str.to_lowercase().str.strip_chars()
    return (
        pl.when(text.str.starts_with("f"))
        .then(pl.lit("FEMALE"))
        .when(text.str.starts_with("m"))
        .then(pl.lit("MALE"))
        .otherwise(pl.lit(NOT_RECORDED))
    )


def latest_year_admissions(events: pl.DataFrame, la_code: str) -> tuple[str | None, pl.DataFrame]:
    """The latest financial year's ASCOF 2C admissions, with the event's person fields."""
    council = events.filter(pl.col("la_code") == la_code)
    if council.is_empty():
        return None, council
    admitted = new_admissions(council)
    if admitted.is_empty():
        return None, admitted
    year = admitted["financial_year"].max()
    fields = [c for c in ("gender", "ethnicity") if c in council.columns]
    admitted = admitted.filter(pl.col("financial_year") == year).join(
        council.select("event_reference", *fields), on="event_reference", how="left"
    )
    return year, admitted


def _registered(registered: pl.DataFrame, practices: pl.DataFrame, la_code: str) -> pl.DataFrame:
    codes = practices.filter(pl.col("la_code") == la_code)["practice_code"]
    rows = registered.filter(pl.col("practice_code").is_in(codes.to_list()))
    if rows.is_empty():
        return rows
    return rows.filter(pl.col("extract_date") == rows["extract_date"].max())


def by_age_band(
    admitted: pl.DataFrame, registered: pl.DataFrame, practices, la_code
) -> pl.DataFrame:
    """``group, admissions, registered, rate_per_100k`` for 65-74, 75-84, 85+."""
    rows = _registered(registered, practices, la_code)
    denominators = (
        persons(
            rows.lazy().with_columns(_band_group(pl.col("age_band")).alias("group")), ("group",)
        )
        .collect()
        .rename({"patients": "registered"})
    )
    counts = admitted.group_by(_age_group(pl.col("age")).alias("group")).agg(
        pl.len().alias("admissions")
    )
    return _rates(counts, denominators, [g for g, _, _ in AGE_GROUPS])


def by_sex(admitted: pl.DataFrame, registered: pl.DataFrame, practices, la_code) -> pl.DataFrame:
    """``group, admissions, registered, rate_per_100k`` for FEMALE, MALE (and Not recorded)."""
    rows = _registered(registered, practices, la_code).filter(
        pl.col("sex").is_in(["FEMALE", "MALE"]) & _band_group(pl.col("age_band")).is_not_null()
    )
    denominators = rows.group_by(pl.col("sex").alias("group")).agg(
        pl.col("patients").sum().alias("registered")
    )
    gender = pl.col("gender") if "gender" in admitted.columns else pl.lit(None, pl.String)
    counts = admitted.group_by(_sex(gender).alias("group")).agg(pl.len().alias("admissions"))
    rates = _rates(counts, denominators, ["FEMALE", "MALE", NOT_RECORDED])
    if counts.filter(pl.col("group") != NOT_RECORDED).is_empty():
        # No admission records a sex: a rate of 0 would be a falsehood, not a finding.
        rates = rates.with_columns(pl.lit(None, pl.Float64).alias("rate_per_100k"))
    return rates


def by_ethnicity(admitted: pl.DataFrame) -> pl.DataFrame:
    """``group, admissions, share``: no denominator, so shares of admissions, not rates."""
    ethnicity = (
        pl.col("ethnicity").cast(pl.String).fill_null(NOT_RECORDED)
        if "ethnicity" in admitted.columns
        else pl.lit(NOT_RECORDED)
    )
    counts = admitted.group_by(ethnicity.alias("group")).agg(pl.len().alias("admissions"))
    return counts.with_columns(
        (pl.col("admissions") / pl.col("admissions").sum()).alias("share")
    ).sort("admissions", descending=True)


def _rates(counts: pl.DataFrame, denominators: pl.DataFrame, order: list[str]) -> pl.DataFrame:
    grid = pl.DataFrame({"group": order})
    return (
        grid.join(counts, on="group", how="left")
        .join(denominators, on="group", how="left")
        .with_columns(
            pl.col("admissions").fill_null(0),
            (pl.col("admissions").fill_null(0) / pl.col("registered") * PER).alias("rate_per_100k"),
        )
        .filter((pl.col("admissions") > 0) | pl.col("registered").is_not_null())
    )
