"""Expected admissions per practice and GP: indirectly standardised by age band, or crude.

Step 2 of the highest-potential-referrers method (``careties.referrals.referrers``):
the council's admission rate in each five-year band from 65-69 to 95+ applied
to each practice's own registered patients (:mod:`careties.stats.standardisation`);
a GP's expected count is the practice's, shared equally among its GPs. Without
registered patients, every GP is expected to have the council mean (labelled crude).
"""

from __future__ import annotations

import datetime as dt

import polars as pl

from careties.data.codes import AGE_BANDS_65_PLUS
from careties.referrals.attribution import age_band
from careties.referrals.rates import persons
from careties.stats.standardisation import expected_counts, ratio_ci, stratum_rates

AGE_STANDARDISED = "indirectly standardised by age band (65-69 ... 95+)"
CRUDE = "crude: council mean per GP (no registered patients by age band)"


def patients_by_band(registered_patients: pl.DataFrame, midpoint: dt.date) -> pl.DataFrame:
    """Patients 65+ per practice and age band, from the extract nearest ``midpoint``."""
    bands = registered_patients.filter(pl.col("age_band").is_in(AGE_BANDS_65_PLUS))
    nearest = (
        bands.select("practice_code", "extract_date")
        .unique()
        .with_columns((pl.col("extract_date") - pl.lit(midpoint)).abs().alias("_distance"))
        .sort("_distance", "extract_date")
        .group_by("practice_code")
        .first()
        .select("practice_code", "extract_date")
    )
    chosen = bands.join(nearest, on=["practice_code", "extract_date"])
    counted = persons(chosen.lazy(), ("practice_code", "age_band"))
    return counted.with_columns(pl.col("patients").cast(pl.Float64)).collect()


def ratio_interval(frame: pl.DataFrame) -> pl.DataFrame:
    """``O / E`` with its 95% interval (exact below 10, Byar above), as PHE's ``calculate_ISRatio``."""
    ratio, lower, upper = ratio_ci(
        frame["admissions"].cast(pl.Float64).to_numpy(),
        frame["expected"].cast(pl.Float64).to_numpy(),
    )
    return frame.with_columns(
        pl.Series("ratio", ratio).fill_nan(None),
        pl.Series("ratio_lower_95", lower).fill_nan(None),
        pl.Series("ratio_upper_95", upper).fill_nan(None),
    )


def standardised(
    attributed: pl.DataFrame,
    gps: pl.DataFrame,
    practice_totals: pl.DataFrame,
    gps_per_practice: pl.DataFrame,
    registered_patients: pl.DataFrame,
    midpoint: dt.date,
) -> tuple[pl.DataFrame, pl.DataFrame]:
    """Expected counts from council age-specific rates (indirect standardisation)."""
    bands = patients_by_band(registered_patients, midpoint)
    practice_la = pl.concat(
        [
            gps.select("practice_code", "la_code"),
            practice_totals.select("practice_code", "la_code"),
        ]
    ).unique("practice_code", keep="first")
    bands = bands.join(practice_la, on="practice_code", how="inner")
    banded = attributed.with_columns(age_band(pl.col("age")).alias("age_band"))

    def council_rates(subset: pl.DataFrame) -> pl.DataFrame:
        """The council's admission rate per age band, among practices with patient counts."""
        observed = (
            subset.join(bands.select("practice_code").unique(), on="practice_code")
            .group_by("la_code", "age_band")
            .agg(pl.len().alias("admissions"))
        )
        reference = (
            bands.group_by("la_code", "age_band")
            .agg(pl.col("patients").sum())
            .join(observed, on=["la_code", "age_band"], how="left")
        )
        return stratum_rates(
            reference,
            stratum="age_band",
            observed="admissions",
            population="patients",
            by=["la_code"],
        )

    def expected_by_practice(rates: pl.DataFrame) -> pl.DataFrame:
        found = expected_counts(
            bands,
            rates,
            unit="practice_code",
            stratum="age_band",
            population="patients",
            by=["la_code"],
        )
        return found.select(
            "practice_code",
            "expected",
            pl.col("population").cast(pl.Int64).alias("patients_65_plus"),
        )

    all_expected = expected_by_practice(
        council_rates(banded.filter(pl.col("practice_code").is_not_null()))
    )
    gp_expected = expected_by_practice(
        council_rates(banded.filter(pl.col("professional_id").is_not_null()))
    )
    gps = (
        gps.join(gp_expected.select("practice_code", "expected"), on="practice_code", how="left")
        .join(gps_per_practice, on="practice_code", how="left")
        .with_columns((pl.col("expected").fill_null(0.0) / pl.col("gps")).alias("expected"))
        .drop("gps")
    )
    practices = (
        practice_la.join(all_expected, on="practice_code", how="left")
        .join(practice_totals.drop("la_code"), on="practice_code", how="left")
        .join(gps_per_practice, on="practice_code", how="left")
        .with_columns(
            pl.col("admissions").fill_null(0),
            pl.col("expected").fill_null(0.0),
            pl.col("gps").fill_null(0),
        )
    )
    return gps, practices


def crude(
    gps: pl.DataFrame, practice_totals: pl.DataFrame, gps_per_practice: pl.DataFrame
) -> tuple[pl.DataFrame, pl.DataFrame]:
    """Expected = council mean per GP; a practice's = its GPs' sum."""
    gps = gps.with_columns(
        pl.col("admissions").mean().over("la_code").cast(pl.Float64).alias("expected")
    )
    practice_la = pl.concat(
        [gps.select("practice_code", "la_code"), practice_totals.select("practice_code", "la_code")]
    ).unique("practice_code", keep="first")
    per_gp_mean = gps.group_by("la_code").agg(pl.col("expected").first().alias("_mean"))
    practices = (
        practice_la.join(practice_totals.drop("la_code"), on="practice_code", how="left")
        .join(gps_per_practice, on="practice_code", how="left")
        .join(per_gp_mean, on="la_code", how="left")
        .with_columns(
            pl.col("admissions").fill_null(0),
            pl.col("gps").fill_null(0),
            (pl.col("gps").fill_null(0) * pl.col("_mean").fill_null(0.0)).alias("expected"),
            pl.lit(None, pl.Int64).alias("patients_65_plus"),
        )
        .drop("_mean")
    )
    return gps, practices
