"""One row per practice for the relationship-admissions model, from the frames a council loaded.

Joins the practice's registered list (size, 65+ list as exposure, share aged 85+ as age
mix; latest extract), its admissions of older people (counted over whatever period the
admissions frame covers), its relationship measures and, where loaded, its deprivation
score. Kept apart from :mod:`careties.relations.linkage` so the model can be fitted to any
panel an analyst brings.
"""

from __future__ import annotations

import polars as pl

from careties.data.codes import AGE_BANDS_65_PLUS

OLDEST_BANDS = ("85_89", "90_94", "95+")


def practice_lists(registered_patients: pl.DataFrame) -> pl.DataFrame:
    """``practice_code, list_size, list_65_plus, share_85_plus, log_list_size`` from the
    latest extract of each practice (``sex == "ALL"`` rows if present, else every sex)."""
    if registered_patients.is_empty():
        return pl.DataFrame(
            schema={
                "practice_code": pl.String,
                "list_size": pl.Int64,
                "list_65_plus": pl.Int64,
                "share_85_plus": pl.Float64,
                "log_list_size": pl.Float64,
            }
        )
    latest = registered_patients.filter(
        pl.col("extract_date") == pl.col("extract_date").max().over("practice_code")
    )
    if (latest["sex"] == "ALL").any():
        latest = latest.filter(pl.col("sex") == "ALL")
    return (
        latest.group_by("practice_code")
        .agg(
            list_size=pl.col("patients").sum().cast(pl.Int64),
            list_65_plus=pl.col("patients")
            .filter(pl.col("age_band").is_in(AGE_BANDS_65_PLUS))
            .sum()
            .cast(pl.Int64),
            oldest=pl.col("patients").filter(pl.col("age_band").is_in(OLDEST_BANDS)).sum(),
        )
        .with_columns(
            share_85_plus=pl.when(pl.col("list_65_plus") > 0)
            .then(pl.col("oldest") / pl.col("list_65_plus"))
            .otherwise(None),
            log_list_size=pl.col("list_size").cast(pl.Float64).log(),
        )
        .drop("oldest")
        .sort("practice_code")
    )


def practice_panel(
    practices: pl.DataFrame,
    registered_patients: pl.DataFrame,
    admissions: pl.DataFrame,
    measures: pl.DataFrame | None = None,
    deprivation: pl.DataFrame | None = None,
    count_column: str | None = None,
) -> pl.DataFrame:
    """The model's panel: ``practice_code, la_code``, the lists (:func:`practice_lists`),
    ``admissions`` (rows of ``admissions`` per practice, or the sum of ``count_column``;
    0 for a practice with none), the columns of ``measures`` (``practice_code`` plus any
    of ``rc_score, knowledge_share, social_care_tie_strength, health_score``) and
    ``deprivation_score`` when ``deprivation`` is given."""
    counted = admissions.filter(pl.col("practice_code").is_not_null())
    if count_column:
        counts = counted.group_by("practice_code").agg(
            admissions=pl.col(count_column).sum().cast(pl.Int64)
        )
    else:
        counts = counted.group_by("practice_code").agg(admissions=pl.len().cast(pl.Int64))
    panel = (
        practices.select("practice_code", "la_code")
        .unique("practice_code")
        .join(practice_lists(registered_patients), on="practice_code", how="inner")
        .join(counts, on="practice_code", how="left")
        .with_columns(pl.col("admissions").fill_null(0))
    )
    if measures is not None and not measures.is_empty():
        panel = panel.join(measures.unique("practice_code"), on="practice_code", how="left")
    if deprivation is not None and not deprivation.is_empty():
        latest = deprivation.sort("practice_code").unique("practice_code", keep="last")
        panel = panel.join(
            latest.select("practice_code", "deprivation_score"), on="practice_code", how="left"
        )
    return panel.sort("practice_code")
