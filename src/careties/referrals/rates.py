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
from careties.referrals.admissions import is_self_funded, new_admissions
from careties.referrals.periods import Period, check_period, key_label, key_midpoint, period_key
from careties.stats.intervals import rate_ci

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
    over_65 = registered_patients.lazy().filter(pl.col("age_band").is_in(AGE_BANDS_65_PLUS))
    return persons(over_65, ("practice_code", "extract_date")).rename(
        {"patients": "patients_65_plus"}
    )


def persons(registered_patients: pl.LazyFrame, keys: tuple[str, ...]) -> pl.LazyFrame:
    """Registered patients per ``keys``, counting each person once.

    NHS Digital's files give each practice and band as ``ALL`` and again by sex;
    a council's own file may give only one. Take ``ALL`` where present, else
    the sum of the sexes, so nobody is counted twice. Columns: ``keys``, ``patients``.
    """
    return (
        registered_patients.group_by(*keys)
        .agg(
            pl.col("patients").filter(pl.col("sex") == "ALL").sum().alias("_all"),
            pl.col("patients").filter(pl.col("sex") != "ALL").sum().alias("_sexes"),
            (pl.col("sex") == "ALL").any().alias("_has_all"),
        )
        .select(
            *keys,
            pl.when(pl.col("_has_all"))
            .then(pl.col("_all"))
            .otherwise(pl.col("_sexes"))
            .cast(pl.Int64)
            .alias("patients"),
        )
    )


_OUTCOME_COLUMNS = (
    "la_code",
    "person_key",
    "practice_code",
    "professional_id",
    "start_date",
    "age",
)


def _alternatives_keyed(
    events: pl.DataFrame | pl.LazyFrame,
    *,
    min_age: int,
    period: Period,
    columns: tuple[str, ...] = _OUTCOME_COLUMNS,
) -> pl.LazyFrame:
    """:func:`alternative_starts` with an integer ``_key`` (:func:`period_key`) for the period.

    Only ``columns`` (which must include ``start_date``) are carried, so a national
    file's text columns are not copied for rows that only need counting.
    """
    key = period_key(pl.col("start_date"), period)
    return (
        events.lazy()
        # service_type first: it is null on most rows, and is_in skips them cheaply.
        .filter(pl.col("service_type").is_in(ALTERNATIVE_SERVICE_TYPES))
        .filter(
            (pl.col("event_type") == "service")
            & (pl.col("age") >= min_age)
            & pl.col("start_date").is_not_null()
            & ~is_self_funded(pl.col("event_outcome"))
        )
        .select(
            # One 64-bit hash of (council, person, service, period): the first start of
            # each is kept, by a single pass over a sorted frame (no multi-key unique).
            # Collisions, like person_id's, are a chance of about 1 in 10 million.
            pl.struct("la_code", "person_key", "service_type", key).hash(7).alias("_once"),
            *columns,
            pl.col("service_type").alias("outcome"),
            key.alias("_key"),
        )
        .sort("start_date", maintain_order=True)
        .filter(pl.col("_once").is_first_distinct())
        .drop("_once")
    )


def alternative_starts(
    events: pl.DataFrame | pl.LazyFrame, *, min_age: int = 65, period: Period = "financial_year"
) -> pl.LazyFrame:
    """New starts of each community alternative, one per person, service type and period.

    Self-funded outcomes are left out, as for admissions: careties compares what
    the council arranges. Columns: ``la_code``, ``person_key``, ``practice_code``,
    ``professional_id``, ``start_date``, ``age``, ``outcome``, ``period``.
    """
    check_period(period)
    return _alternatives_keyed(events, min_age=min_age, period=period).select(
        *_OUTCOME_COLUMNS, "outcome", key_label(pl.col("_key"), period).alias("period")
    )


def _outcomes_keyed(
    events: pl.DataFrame | pl.LazyFrame,
    *,
    period: Period,
    admissions: pl.DataFrame | None,
    columns: tuple[str, ...] = _OUTCOME_COLUMNS,
) -> pl.LazyFrame:
    """Admissions and alternative starts: ``columns``, ``outcome`` and the period ``_key``."""
    check_period(period)
    if admissions is None:
        admissions = new_admissions(events)
    admitted = admissions.lazy().select(
        *columns,
        pl.lit(ADMISSIONS).alias("outcome"),
        period_key(pl.col("start_date"), period).alias("_key"),
    )
    alternatives = _alternatives_keyed(events, min_age=65, period=period, columns=columns)
    return pl.concat([admitted, alternatives])


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
    outcomes = _outcomes_keyed(events, period=period, admissions=admissions).collect()
    if period == "all":
        return outcomes.drop("_key").with_columns(
            pl.lit("all").alias("period"), pl.col("start_date").alias("_mid")
        )
    # Label each period once, not once per event.
    labels = outcomes.select(pl.col("_key").unique()).with_columns(
        key_label(pl.col("_key"), period).alias("period"),
        key_midpoint(pl.col("_key"), period).alias("_mid"),
    )
    return outcomes.join(labels, on="_key", how="left").drop("_key")


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
    events: pl.DataFrame | pl.LazyFrame,
    registered_patients: pl.DataFrame,
    practices: pl.DataFrame | None = None,
    *,
    period: Period = "financial_year",
    outcomes: pl.DataFrame | None = None,
    admissions: pl.DataFrame | None = None,
) -> pl.DataFrame:
    """Admissions and alternatives per 1,000 registered patients aged 65+, per practice and period.

    One row per practice, period and outcome (``OUTCOMES``), zero counts
    included, with columns ``RATE_COLUMNS``. The practice list and its council
    come from ``practices`` when given (so practices without events still show,
    at zero), else from the events. ``outcomes`` may be the result of
    :func:`outcome_events` when already computed; otherwise they are counted here,
    from ``admissions`` (:func:`careties.referrals.admissions.new_admissions`) when given,
    grouping on an integer period key and labelling the groups afterwards.

    Method: crude rate with Byar's interval (PHEindicatormethods ``phe_rate``).
    """
    check_period(period)
    if outcomes is not None:
        counted = outcomes.lazy().filter(pl.col("practice_code").is_not_null())
        counts = counted.group_by("practice_code", "period", "outcome").agg(
            pl.len().cast(pl.Int64).alias("count"), pl.col("_mid").first()
        )
    else:
        counted = _outcomes_keyed(
            events,
            period=period,
            admissions=admissions,
            columns=("la_code", "practice_code", "start_date"),
        ).filter(pl.col("practice_code").is_not_null())
        counts = (
            counted.group_by("practice_code", "_key", "outcome")
            .agg(pl.len().cast(pl.Int64).alias("count"))
            .with_columns(
                key_label(pl.col("_key"), period).alias("period"),
                key_midpoint(pl.col("_key"), period).alias("_mid"),
            )
            .drop("_key")
        )
    if practices is not None:
        universe = practices.lazy().select("practice_code", "la_code").unique("practice_code")
    else:
        universe = (
            counted.group_by("practice_code")
            .agg(pl.col("la_code").mode().first())
            .select("practice_code", "la_code")
        )
    counts, universe = pl.collect_all([counts, universe])
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
