"""Who is admitted: emergency admission rates by practice deprivation, with the SII and RII.

Practices are ranked by OHID's deprivation score and grouped into quintiles of
registered people aged 65+ (most deprived first, as the SII expects); each
quintile's rate is its practices' emergency admissions 65+ per 100,000
registered 65+. The slope index of inequality is the modelled gap in that rate
between the most and the least deprived ends (``careties.stats.inequality``).
Core20: practices in England's most deprived fifth; with only one council's
practices, careties marks the council's most deprived fifth by score unless a
national cut-off is given.
"""

from __future__ import annotations

import polars as pl

from careties.stats.inequality import SIIResult, slope_index_of_inequality

PER = 100_000


def core20(deprivation: pl.DataFrame, national_cutoff: float | None = None) -> pl.DataFrame:
    """``practice_code, deprivation_score, core20``: the most deprived fifth (score at or above the cut)."""
    cutoff = (
        national_cutoff
        if national_cutoff is not None
        else deprivation["deprivation_score"].quantile(0.8, "linear")
    )
    return deprivation.select(
        "practice_code",
        "deprivation_score",
        (pl.col("deprivation_score") >= cutoff).alias("core20"),
    )


def rates_by_deprivation(
    admissions: pl.DataFrame,
    deprivation: pl.DataFrame,
    list_65: pl.DataFrame,
    quantiles: int = 5,
) -> pl.DataFrame:
    """Per quantile (1 = most deprived): practices, registered 65+, admissions, rate per 100,000.

    ``list_65`` has ``practice_code, patients_65`` (registered 65+). Practices are
    cut into ``quantiles`` groups of about equal 65+ population, by score.
    """
    practices = (
        admissions.filter(pl.col("practice_code") != "ALL")
        .group_by("practice_code")
        .agg(pl.col("admissions_65_plus").sum().alias("admissions"))
        .join(deprivation.select("practice_code", "deprivation_score"), on="practice_code")
        .join(list_65, on="practice_code")
        .filter(pl.col("patients_65") > 0)
        .sort("deprivation_score", descending=True)
    )
    share = pl.col("patients_65").cum_sum() - pl.col("patients_65") / 2
    practices = practices.with_columns(
        ((share / pl.col("patients_65").sum() * quantiles).floor().cast(pl.Int64) + 1)
        .clip(1, quantiles)
        .alias("quantile")
    )
    return (
        practices.group_by("quantile")
        .agg(
            pl.len().alias("practices"),
            pl.col("patients_65").sum(),
            pl.col("admissions").sum(),
        )
        .with_columns((pl.col("admissions") / pl.col("patients_65") * PER).alias("rate_per_100k"))
        .sort("quantile")
    )


def deprivation_sii(by_quantile: pl.DataFrame, **options) -> SIIResult:
    """SII and RII of the admission rate across the quantiles (Byar-free: Poisson SE of each rate)."""
    rates = by_quantile["rate_per_100k"].to_numpy()
    counts = by_quantile["admissions"].to_numpy()
    # log-scale standard error of a Poisson rate: 1/sqrt(count)
    se = 1.0 / counts**0.5
    return slope_index_of_inequality(
        rates, by_quantile["patients_65"].to_numpy(), value_type=1, se=se, **options
    )
