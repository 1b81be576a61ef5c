"""Funnel plots of practices within each council (Spiegelhalter 2005).

A league table ranks practices by chance as much as by practice; a funnel plot
shows which ones sit further from their council's rate than their size allows.
This module only prepares the units (numerator and denominator per practice and
council) and hands each council to :func:`careties.stats.funnel.funnel_assess`,
which owns the statistics.

Overdispersion: real practices differ for reasons no one controls (deprivation,
care homes on the list), so by default the limits widen by a random-effects
(additive) term where the data show more spread than Poisson, as FunnelPlotR's
SHMI method does; ``overdispersion=None`` gives the plain Poisson limits of
PHEindicatormethods. A council with fewer than three practices cannot estimate
overdispersion and gets the plain limits.
"""

from __future__ import annotations

from typing import Literal

import polars as pl

from careties.referrals.rates import ADMISSIONS, PER_PATIENTS
from careties.stats.funnel import funnel_assess

Overdispersion = Literal["multiplicative", "additive"] | None

FUNNEL_COLUMNS = (
    "la_code",
    "practice_code",
    "period",
    "count",
    "patients_65_plus",
    "rate_per_1000",
    "target",
    "lower_95",
    "upper_95",
    "lower_99_8",
    "upper_99_8",
    "z_score",
    "adjusted_z_score",
    "overdispersion_applied",
    "position",
)

#: Positions outside the 99.8% limits: the practices a council report names.
OUTSIDE_998 = ("above_998", "below_998")


def _assess_council(
    units: pl.DataFrame, kind: str, overdispersion: Overdispersion, multiplier: float
) -> pl.DataFrame:
    usable = overdispersion if units.height >= 3 else None
    assessed = funnel_assess(
        units,
        kind,  # type: ignore[arg-type]
        overdispersion=usable,
        unit="practice_code",
        numerator="count",
        denominator="denominator",
        multiplier=multiplier,
    )
    return assessed.rename({"unit": "practice_code"})


def practice_funnel(
    rates: pl.DataFrame,
    *,
    outcome: str = ADMISSIONS,
    period: str | None = None,
    overdispersion: Overdispersion = "additive",
) -> pl.DataFrame:
    """Each practice's place on its council's funnel of admissions per 1,000 patients 65+.

    ``rates`` is :func:`careties.referrals.rates.practice_rates`. ``period``
    picks one period (default: each period separately). Practices without a
    registered 65+ population are left off: they have no rate to place. The
    target is the council's pooled rate for the period.

    Returns ``FUNNEL_COLUMNS``; ``position`` is ``within``, ``above_95``,
    ``above_998``, ``below_95`` or ``below_998`` (:data:`careties.stats.funnel.POSITIONS`).
    """
    units = rates.filter(
        (pl.col("outcome") == outcome)
        & (pl.col("patients_65_plus") > 0)
        & pl.col("count").is_not_null()
    ).with_columns(pl.col("patients_65_plus").alias("denominator"))
    if period is not None:
        units = units.filter(pl.col("period") == period)
    parts = []
    for (la_code, period_label), group in units.group_by("la_code", "period", maintain_order=True):
        if group["count"].sum() == 0:
            continue  # a council with no events has no target rate to compare against
        assessed = _assess_council(
            group.select("practice_code", "count", "denominator"),
            "rate",
            overdispersion,
            PER_PATIENTS,
        )
        parts.append(
            assessed.with_columns(
                pl.lit(la_code).alias("la_code"), pl.lit(period_label).alias("period")
            )
        )
    if not parts:
        return pl.DataFrame(schema=_empty_schema())
    return (
        pl.concat(parts)
        .rename({"numerator": "count", "denominator": "patients_65_plus", "value": "rate_per_1000"})
        .with_columns(pl.col("count").cast(pl.Int64), pl.col("patients_65_plus").cast(pl.Int64))
        .select(FUNNEL_COLUMNS)
        .sort("la_code", "period", "practice_code")
    )


def _empty_schema() -> dict[str, pl.DataType]:
    schema: dict[str, pl.DataType] = dict.fromkeys(FUNNEL_COLUMNS, pl.Float64)
    schema.update(
        la_code=pl.String,
        practice_code=pl.String,
        period=pl.String,
        count=pl.Int64,
        patients_65_plus=pl.Int64,
        overdispersion_applied=pl.Boolean,
        position=pl.String,
    )
    return schema


def outside_998(funnel: pl.DataFrame) -> pl.DataFrame:
    """The practices beyond the 99.8% limits, highest z-score first."""
    return funnel.filter(pl.col("position").is_in(OUTSIDE_998)).sort(
        "adjusted_z_score", descending=True
    )
