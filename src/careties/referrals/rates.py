"""Admission rates per practice, and the rates of the community alternatives beside them.

For each practice and period: permanent admissions of people aged 65+ to
residential or nursing care (the ASCOF 2C rule, :mod:`careties.referrals.admissions`)
attributed to the practice, per 1,000 registered patients aged 65+, with a 95%
interval from :func:`careties.stats.rate_ci` (Byar's method, exact Poisson
below 10 events, as PHEindicatormethods). The same is given for home care,
reablement, telecare and day services, counted as new starts per person, so that
a practice's mix of outcomes sits next to its admissions: a practice with many
admissions and few reablement starts is a different conversation from one with
many of both.

Aggregation (this module, Polars) stays apart from the statistics (NumPy
kernels in ``careties.stats``), so the counting could move to Spark unchanged.
"""

from __future__ import annotations

import numpy as np
import polars as pl

from careties.data.codes import AGE_BANDS_65_PLUS, ALTERNATIVE_SERVICE_TYPES
from careties.referrals.admissions import is_self_funded, new_admissions, person_id
from careties.referrals.periods import Period, check_period, period_label, period_midpoint

#: The outcome that counts for ASCOF, then the community alternatives.
ADMISSIONS = "residential_admissions"
OUTCOMES: tuple[str, ...] = (ADMISSIONS, *ALTERNATIVE_SERVICE_TYPES)

PER_PATIENTS = 1_000

RATE_COLUMNS = (
    "la_code",
    "practice_code",
    "period",
    "outcome",
    "count",
    "patients_65_plus",
    "rate_per_1000",
    "lower_95",
    "upper_95",
)


def patients_65_plus(registered_patients: pl.DataFrame | pl.LazyFrame) -> pl.LazyFrame:
    """Registered patients aged 65+ per practice and extract date.

    NHS Digital's quinary file stacks ``SEX`` ALL, FEMALE and MALE: use ALL
    where it is there, otherwise the sum of the sexes, so no one counts twice.
    Columns: ``practice_code``, ``extract_date``, ``patients_65_plus``.
    """
    return (
        registered_patients.lazy()
        .filter(pl.col("age_band").is_in(AGE_BANDS_65_PLUS))
        .group_by("practice_code", "extract_date")
        .agg(
            pl.col("patients").filter(pl.col("sex") == "ALL").sum().alias("_all"),
            pl.col("patients").filter(pl.col("sex") != "ALL").sum().alias("_sexes"),
            (pl.col("sex") == "ALL").any().alias("_has_all"),
        )
        .select(
            "practice_code",
            "extract_date",
            pl.when(pl.col("_has_all"))
            .then(pl.col("_all"))
            .otherwise(pl.col("_sexes"))
            .cast(pl.Int64)
            .alias("patients_65_plus"),
        )
    )


def alternative_starts(
    events: pl.DataFrame | pl.LazyFrame, *, min_age: int = 65, period: Period = "financial_year"
) -> pl.LazyFrame:
    """New starts of each community alternative, one per person, service type and period.

    Self-funded outcomes are left out, as for admissions: careties compares what
    the council arranges. Columns: ``la_code``, ``person_key``, ``practice_code``,
    ``professional_id``, ``start_date``, ``age``, ``outcome``, ``period``.
    """
    return (
        events.lazy()
        .filter(pl.col("service_type").is_not_null())
        .filter(pl.col("service_type").is_in(ALTERNATIVE_SERVICE_TYPES))
        .filter(
            (pl.col("event_type") == "service")
            & (pl.col("age") >= min_age)
            & pl.col("start_date").is_not_null()
            & ~is_self_funded(pl.col("event_outcome"))
        )
        .with_columns(
            person_id(pl.col("la_code"), pl.col("person_key")),
            pl.col("service_type").alias("outcome"),
            period_label(pl.col("start_date"), period).alias("period"),
        )
        .sort("start_date")
        .unique(["_person", "outcome", "period"], keep="first", maintain_order=True)
        .select(
            "la_code",
            "person_key",
            "practice_code",
            "professional_id",
            "start_date",
            "age",
            "outcome",
            "period",
        )
    )


def outcome_events(
    events: pl.DataFrame | pl.LazyFrame,
    *,
    period: Period = "financial_year",
    admissions: pl.DataFrame | None = None,
) -> pl.DataFrame:
    """Every counted outcome, one row each: admissions (ASCOF rule) and alternative starts.

    ``admissions`` may be passed when already computed by
    :func:`careties.referrals.admissions.new_admissions`, to avoid doing it twice.
    Columns: ``la_code``, ``person_key``, ``practice_code``, ``professional_id``,
    ``start_date``, ``age``, ``outcome``, ``period``, ``_mid`` (reference date).
    """
    check_period(period)
    # Only service rows matter; dropping the rest by null mask first is cheap.
    events = events.lazy().filter(pl.col("service_type").is_not_null()).collect()
    if admissions is None:
        admissions = new_admissions(events)
    admitted = admissions.lazy().select(
        "la_code",
        "person_key",
        "practice_code",
        "professional_id",
        "start_date",
        "age",
        pl.lit(ADMISSIONS).alias("outcome"),
        period_label(pl.col("start_date"), period).alias("period"),
    )
    combined = pl.concat([admitted, alternative_starts(events, period=period)])
    return combined.with_columns(
        period_midpoint(pl.col("start_date"), period).alias("_mid")
    ).collect()


def _denominators(
    units: pl.DataFrame, registered_patients: pl.DataFrame, period: Period
) -> pl.DataFrame:
    """Attach ``patients_65_plus`` from the extract nearest each period's midpoint."""
    counts = patients_65_plus(registered_patients).collect()
    if period == "all":
        latest = counts.sort("extract_date").group_by("practice_code").last()
        return units.join(
            latest.select("practice_code", "patients_65_plus"), on="practice_code", how="left"
        )
    counts = counts.sort("extract_date")
    return (
        units.sort("_mid")
        .join_asof(
            counts,
            left_on="_mid",
            right_on="extract_date",
            by="practice_code",
            strategy="nearest",
            check_sortedness=False,
        )
        .drop("extract_date")
    )


def add_rate_ci(
    frame: pl.DataFrame,
    *,
    count: str = "count",
    denominator: str = "patients_65_plus",
    multiplier: float = PER_PATIENTS,
    prefix: str = "rate_per_1000",
) -> pl.DataFrame:
    """Add ``prefix``, ``lower_95``, ``upper_95`` from :func:`careties.stats.rate_ci`.

    A missing or zero denominator gives a null rate, never a division by zero:
    a practice with no registered 65+ patients has no rate.
    """
    from careties.stats.intervals import rate_ci

    x = frame[count].cast(pl.Float64).fill_null(np.nan).to_numpy()
    n = frame[denominator].cast(pl.Float64).fill_null(np.nan).to_numpy()
    n = np.where(n > 0, n, np.nan)
    rate, lower, upper = rate_ci(x, n, multiplier=multiplier)
    return frame.with_columns(
        pl.Series(prefix, rate).fill_nan(None),
        pl.Series("lower_95", lower).fill_nan(None),
        pl.Series("upper_95", upper).fill_nan(None),
    )


def practice_rates(
    events: pl.DataFrame,
    registered_patients: pl.DataFrame,
    practices: pl.DataFrame | None = None,
    *,
    period: Period = "financial_year",
    outcomes: pl.DataFrame | None = None,
) -> pl.DataFrame:
    """Admissions and alternatives per 1,000 registered patients aged 65+, per practice and period.

    One row per practice, period and outcome (``OUTCOMES``), zero counts
    included, with columns ``RATE_COLUMNS``. The practice list and its council
    come from ``practices`` when given (so practices without events still show,
    at zero), else from the events. ``outcomes`` may be the result of
    :func:`outcome_events` when already computed.

    Method: crude rate with Byar's interval (PHEindicatormethods ``phe_rate``).
    """
    if outcomes is None:
        outcomes = outcome_events(events, period=period)
    counted = outcomes.filter(pl.col("practice_code").is_not_null())
    counts = counted.group_by("practice_code", "period", "outcome").agg(
        pl.len().cast(pl.Int64).alias("count"), pl.col("_mid").first()
    )
    if practices is not None:
        universe = practices.select("practice_code", "la_code").unique("practice_code")
    else:
        universe = (
            counted.group_by("practice_code")
            .agg(pl.col("la_code").mode().first())
            .select("practice_code", "la_code")
        )
    periods = counts.select("period", "_mid").unique("period")
    grid = (
        universe.join(periods, how="cross")
        .join(pl.DataFrame({"outcome": list(OUTCOMES)}), how="cross")
        .join(counts.drop("_mid"), on=["practice_code", "period", "outcome"], how="left")
        .with_columns(pl.col("count").fill_null(0))
    )
    with_patients = _denominators(grid, registered_patients, period)
    return (
        add_rate_ci(with_patients)
        .select(RATE_COLUMNS)
        .sort("la_code", "practice_code", "period", "outcome")
    )


def outcome_mix(rates: pl.DataFrame) -> pl.DataFrame:
    """One row per practice and period, one column of counts per outcome, and the admission share.

    ``admission_share`` is admissions over all counted outcomes: the proportion
    of the practice's older patients who started council support and went into
    a care home rather than home care, reablement, telecare or day services.
    """
    wide = rates.pivot(
        on="outcome",
        index=["la_code", "practice_code", "period", "patients_65_plus"],
        values="count",
        aggregate_function="sum",
    )
    present = [o for o in OUTCOMES if o in wide.columns]
    total = pl.sum_horizontal(present)
    return wide.select(
        "la_code",
        "practice_code",
        "period",
        "patients_65_plus",
        *present,
        pl.when(total > 0)
        .then(pl.col(ADMISSIONS) / total)
        .otherwise(None)
        .alias("admission_share"),
    )
