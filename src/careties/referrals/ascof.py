"""ASCOF 2C (2A(2) before 2023-24): permanent admissions of people 65+ per 100,000 population 65+.

The measure the Better Care Fund and the Adult Social Care Outcomes Framework
report every council on, computed as DHSC computes it from Client Level Data:

    new council-supported permanent admissions of people aged 65+ to residential
    or nursing care in the financial year (1 April to 31 March)
    / ONS mid-year population estimate aged 65+ x 100,000, rounded to 1 decimal place.

The numerator is :func:`careties.referrals.admissions.new_admissions`. The
denominator is the ONS mid-year estimate for the year in which the financial year
starts (mid-2023 for 2023-24) when the ``population`` frame holds it; a council
without one falls back to its GP practices' registered patients aged 65+, and the
row says so (``denominator_source``), because a practice list is not a resident
population: it counts people who live over the border and misses the unregistered.

The measure was called 2A(2) up to 2022-23 and 2C from 2023-24, when "2A" was
given to a short-term services measure; ``measure`` names it by year. Lower is better.
"""

from __future__ import annotations

import polars as pl

from careties.referrals.admissions import (
    financial_year_label,
    financial_year_start,
    new_admissions,
)
from careties.referrals.rates import add_rate_ci, patients_65_plus

PER_POPULATION = 100_000

ONS_ESTIMATE = "ONS mid-year population estimate 65+"
REGISTERED_PROXY = "registered patients 65+ (proxy for population)"

ASCOF_COLUMNS = (
    "la_code",
    "financial_year",
    "measure",
    "admissions_65_plus",
    "population_65_plus",
    "population_year",
    "denominator_source",
    "rate_per_100k",
    "lower_95",
    "upper_95",
)


def measure_name(financial_year: pl.Expr) -> pl.Expr:
    """Vectorised :func:`careties.referrals.admissions.ascof_measure_name`."""
    return (
        pl.when(financial_year.str.slice(0, 4).cast(pl.Int64) >= 2023)
        .then(pl.lit("ASCOF 2C"))
        .otherwise(pl.lit("ASCOF 2A(2)"))
    )


def _registered_proxy(
    registered_patients: pl.DataFrame, practices: pl.DataFrame, years: pl.DataFrame
) -> pl.DataFrame:
    """Registered patients 65+ per council and year, from the extract nearest 1 October."""
    per_practice = patients_65_plus(registered_patients).collect().sort("extract_date")
    wanted = (
        practices.select("practice_code", "la_code")
        .unique("practice_code")
        .join(years, how="cross")
        .with_columns(pl.date(pl.col("population_year"), 10, 1).alias("_mid"))
        .sort("_mid")
    )
    return (
        wanted.join_asof(
            per_practice,
            left_on="_mid",
            right_on="extract_date",
            by="practice_code",
            strategy="nearest",
            check_sortedness=False,
        )
        .group_by("la_code", "population_year")
        .agg(pl.col("patients_65_plus").sum().alias("proxy_65_plus"))
    )


def ascof_2c(
    events: pl.DataFrame,
    population: pl.DataFrame | None = None,
    registered_patients: pl.DataFrame | None = None,
    practices: pl.DataFrame | None = None,
    *,
    admissions: pl.DataFrame | None = None,
    la_codes: list[str] | None = None,
) -> pl.DataFrame:
    """ASCOF 2C per council and financial year, with its 95% interval.

    ``population`` is the canonical population frame (ONS mid-year estimates);
    ``registered_patients`` with ``practices`` give the proxy denominator where a
    council has no estimate. ``admissions`` may be passed if already computed.
    ``la_codes`` adds councils with no admissions at all (they score 0).

    Returns one row per council and financial year with columns ``ASCOF_COLUMNS``.
    ``rate_per_100k`` is rounded to 1 decimal place, as published; the interval
    (Byar's method, PHEindicatormethods ``phe_rate``) is not, since it is careties'
    own addition and unrounded limits are better for comparison.
    """
    if admissions is None:
        admissions = new_admissions(events)
    counts = admissions.group_by("la_code", "financial_year").agg(
        pl.len().cast(pl.Int64).alias("admissions_65_plus")
    )
    years = counts.select("financial_year").unique()
    councils = counts.select("la_code").unique()
    if la_codes:
        councils = pl.concat([councils, pl.DataFrame({"la_code": la_codes})]).unique()
    if years.is_empty():
        # No admissions at all: report the latest year in the data, at zero.
        years = (
            events.select(pl.col("start_date").max())
            .drop_nulls()
            .select(
                financial_year_label(financial_year_start(pl.col("start_date"))).alias(
                    "financial_year"
                )
            )
        )
    grid = (
        councils.join(years, how="cross")
        .join(counts, on=["la_code", "financial_year"], how="left")
        .with_columns(
            pl.col("admissions_65_plus").fill_null(0),
            pl.col("financial_year").str.slice(0, 4).cast(pl.Int64).alias("population_year"),
        )
    )
    grid = grid.with_columns(
        pl.lit(None, pl.Int64).alias("population_65_plus"),
        pl.lit(None, pl.String).alias("denominator_source"),
    )
    if population is not None and not population.is_empty():
        grid = _nearest_estimate(grid, population, "population_65_plus").with_columns(
            pl.when(pl.col("population_65_plus").is_not_null())
            .then(pl.lit(ONS_ESTIMATE))
            .alias("denominator_source")
        )
    if registered_patients is not None and practices is not None:
        proxy = _registered_proxy(
            registered_patients, practices, grid.select("population_year").unique()
        )
        grid = (
            grid.join(proxy, on=["la_code", "population_year"], how="left")
            .with_columns(
                pl.when(pl.col("population_65_plus").is_null() & (pl.col("proxy_65_plus") > 0))
                .then(pl.lit(REGISTERED_PROXY))
                .otherwise(pl.col("denominator_source"))
                .alias("denominator_source"),
                pl.coalesce(
                    "population_65_plus",
                    pl.when(pl.col("proxy_65_plus") > 0).then(pl.col("proxy_65_plus")),
                ).alias("population_65_plus"),
            )
            .drop("proxy_65_plus")
        )
    measured = _per_100k(grid, "admissions_65_plus", "population_65_plus").with_columns(
        measure_name(pl.col("financial_year")).alias("measure")
    )
    return measured.select(ASCOF_COLUMNS).sort("la_code", "financial_year")


ASCOF_2B_COLUMNS = (
    "la_code",
    "financial_year",
    "measure",
    "admissions_18_64",
    "population_18_64",
    "population_year",
    "rate_per_100k",
    "lower_95",
    "upper_95",
)


def ascof_2b(events: pl.DataFrame, population: pl.DataFrame | None = None) -> pl.DataFrame:
    """ASCOF 2B: new permanent admissions of people aged 18 to 64 per 100,000 aged 18 to 64.

    The numerator is DHSC's (``Create_ASCOF_2B2C_2425_Onwards``, age band
    ``'18 to 64'``): the same new admissions as 2C, for people 18 to 64 at the
    start, each person once per year in the younger band. The denominator is
    ``population_18_64`` of the ONS mid-year estimate nearest the year (null,
    and so no rate, when none is loaded). Named 2B from 2023-24 (2A(1) before).
    """
    admitted = new_admissions(events, min_age=None).filter(pl.col("age") < 65)
    counts = admitted.group_by("la_code", "financial_year").agg(
        pl.len().cast(pl.Int64).alias("admissions_18_64")
    )
    grid = counts.with_columns(
        pl.col("financial_year").str.slice(0, 4).cast(pl.Int64).alias("population_year"),
        pl.lit(None, pl.Int64).alias("population_18_64"),
    )
    if population is not None and "population_18_64" in population.columns:
        grid = _nearest_estimate(grid, population, "population_18_64")
    measured = _per_100k(grid, "admissions_18_64", "population_18_64").with_columns(
        pl.when(pl.col("financial_year").str.slice(0, 4).cast(pl.Int64) >= 2023)
        .then(pl.lit("ASCOF 2B"))
        .otherwise(pl.lit("ASCOF 2A(1)"))
        .alias("measure"),
    )
    return measured.select(ASCOF_2B_COLUMNS).sort("la_code", "financial_year")


def _per_100k(grid: pl.DataFrame, count: str, population: str) -> pl.DataFrame:
    """``rate_per_100k`` (to one decimal, as ASCOF publishes) with its 95% interval."""
    return add_rate_ci(
        grid, count=count, denominator=population, multiplier=PER_POPULATION, prefix="rate_per_100k"
    ).with_columns(pl.col("rate_per_100k").round(1))


def _nearest_estimate(grid: pl.DataFrame, population: pl.DataFrame, column: str) -> pl.DataFrame:
    """``column`` from each council's ONS mid-year estimate nearest the row's ``population_year``.

    ``population_year`` becomes the estimate's year, so a rate says which
    estimate it divided by; rows of a council with no estimate keep theirs and
    a null ``column``.
    """
    estimates = (
        population.select(
            "la_code", pl.col("year").alias("_estimate_year"), pl.col(column).alias("_estimate")
        )
        .drop_nulls()
        .sort("_estimate_year")
    )
    if estimates.is_empty():
        return grid
    return (
        grid.sort("population_year")
        .join_asof(
            estimates,
            left_on="population_year",
            right_on="_estimate_year",
            by="la_code",
            strategy="nearest",
            check_sortedness=False,
        )
        .with_columns(
            pl.col("_estimate").alias(column),
            pl.coalesce("_estimate_year", "population_year").alias("population_year"),
        )
        .drop("_estimate", "_estimate_year")
    )
