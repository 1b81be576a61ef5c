"""Which service events count as new permanent admissions to residential care.

The rule is DHSC's, from Client Level Data (the ``ASCOF_measures`` SQL in
DataS-DHSC/ASC-CLD-LA-Dashboard), so that a council's figure in careties is the
figure it will see published:

* a service event whose ``service_type`` is long-term residential or nursing care;
* not ended as ``NFA: Self-funded client or under 12wk disregard`` (the council
  is not paying for it);
* *new*: the same person (within the same council) had no residential or nursing
  service that started earlier and ended fewer than 365 days before this one
  starts, or is still open. Every earlier residential or nursing service counts
  as "earlier care", self-funded ones included, so a move from residential to
  nursing care, or back, is not an admission;
* counted once per person per financial year, at the person's first new
  admission in that year (DHSC keeps the younger age band when a person has two);
* aged 65 or over at the start of the service.

Everything is vectorised Polars: a per-person running maximum of end dates
replaces the SQL's correlated ``EXISTS``.
"""

from __future__ import annotations

import datetime as dt

import polars as pl

from careties.data.codes import RESIDENTIAL_SERVICE_TYPES

#: CLD ``Event_Outcome`` meaning the council does not fund the placement.
SELF_FUNDED_OUTCOME = "NFA: Self-funded client or under 12wk disregard"

#: DHSC: earlier care that ended fewer than this many days before the start.
LOOKBACK_DAYS = 365

#: Open services never end: a date later than any real end date.
_OPEN_ENDED = dt.date(9999, 12, 31)

ADMISSION_COLUMNS = (
    "la_code",
    "person_key",
    "event_reference",
    "start_date",
    "age",
    "service_type",
    "practice_code",
    "professional_id",
    "financial_year",
)


def financial_year_start(date: pl.Expr) -> pl.Expr:
    """Calendar year in which the financial year (1 April to 31 March) of ``date`` begins."""
    return pl.when(date.dt.month() >= 4).then(date.dt.year()).otherwise(date.dt.year() - 1)


def financial_year_label(start_year: pl.Expr) -> pl.Expr:
    """``2023`` -> ``"2023-24"``: the way DHSC and NHS England label financial years."""
    return pl.format(
        "{}-{}",
        start_year,
        (start_year + 1).mod(100).cast(pl.String).str.zfill(2),
    )


def ascof_measure_name(financial_year: str) -> str:
    """The measure's published name in that year.

    ASCOF 2A(2) up to 2022-23; ASCOF 2C from 2023-24, when 2A was re-used for a
    short-term services measure (REFERENCE.md). Same definition, new name.
    """
    return "ASCOF 2C" if int(financial_year[:4]) >= 2023 else "ASCOF 2A(2)"


def is_self_funded(outcome: pl.Expr) -> pl.Expr:
    """True where the CLD outcome says the council does not fund it (any letter case)."""
    return (
        outcome.str.strip_chars()
        .str.to_lowercase()
        .eq(SELF_FUNDED_OUTCOME.lower())
        .fill_null(False)
    )


def residential_services(events: pl.DataFrame | pl.LazyFrame) -> pl.LazyFrame:
    """All long-term residential and nursing service events, whoever pays.

    These are the "earlier care" against which a new admission is tested.
    """
    return events.lazy().filter(
        (pl.col("event_type") == "service")
        & pl.col("service_type").is_in(RESIDENTIAL_SERVICE_TYPES)
        & pl.col("start_date").is_not_null()
    )


def new_admissions(
    events: pl.DataFrame | pl.LazyFrame,
    *,
    min_age: int | None = 65,
    lookback_days: int = LOOKBACK_DAYS,
) -> pl.DataFrame:
    """New council-supported permanent admissions, one row per person per financial year.

    ``events`` is the canonical events frame. Returns the admission events that
    count for ASCOF 2C / 2A(2), with columns ``ADMISSION_COLUMNS``;
    ``financial_year`` is the label, e.g. ``"2023-24"``. Pass ``min_age=None``
    to keep every age (the 18-64 measure, ASCOF 2B, filters ``age < 65`` itself).

    Method: DHSC ``Create_ASCOF_2B2C`` (see the module docstring).
    """
    services = residential_services(events).with_columns(
        pl.col("end_date").fill_null(_OPEN_ENDED).alias("_end")
    )
    keys = ["la_code", "person_key"]
    # Latest end among services that started strictly earlier (DHSC: b.start < a.start):
    # collapse same-day starts first so that they do not see each other as earlier care.
    earlier_care = (
        services.group_by([*keys, "start_date"])
        .agg(pl.col("_end").max())
        .sort([*keys, "start_date"])
        .with_columns(
            pl.col("_end").cum_max().shift(1).over(keys).alias("_earlier_end"),
        )
        .select([*keys, "start_date", "_earlier_end"])
    )
    candidates = services.filter(~is_self_funded(pl.col("event_outcome"))).join(
        earlier_care, on=[*keys, "start_date"], how="left"
    )
    is_new = pl.col("_earlier_end").is_null() | (
        pl.col("_earlier_end") <= pl.col("start_date") - pl.duration(days=lookback_days)
    )
    fy = financial_year_start(pl.col("start_date"))
    admissions = (
        candidates.filter(is_new & pl.col("age").is_not_null())
        .with_columns(fy.alias("_fy"))
        .sort([*keys, "start_date", "event_reference"])
        .group_by([*keys, "_fy"], maintain_order=True)
        .first()
    )
    if min_age is not None:
        admissions = admissions.filter(pl.col("age") >= min_age)
    return (
        admissions.with_columns(financial_year_label(pl.col("_fy")).alias("financial_year"))
        .select(ADMISSION_COLUMNS)
        .collect()
    )
