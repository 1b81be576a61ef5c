"""Admissions per council, practice and month, kept up to date at import.

The regional view and a council's regional comparison need each council's
ASCOF 2C numerator, not its events: computing it from events meant loading
every event in England into one worker (60 s, 3.2 GB). The counts are made by
the same function as the council pages (``new_admissions``) on the stored
events of the councils an import touched, and read back summed by the database.
"""

from __future__ import annotations

from collections.abc import Iterable

import polars as pl

from careties.data.frames import CANONICAL

COUNT_SCHEMA = {"la_code": pl.String, "financial_year": pl.String, "admissions": pl.Int64}


def residential_events(la_code: str) -> pl.DataFrame:
    """The council's stored events that can be, or precede, a care home admission.

    ``new_admissions`` looks only at long-term residential and nursing services
    (``residential_services`` filters on the service type first), so the other
    events need not leave the database.
    """
    from careties.data.codes import RESIDENTIAL_SERVICE_TYPES
    from careties.web.selectors import load_frame

    types = sorted(RESIDENTIAL_SERVICE_TYPES)
    marks = ", ".join(["%s"] * len(types))
    return load_frame("events", la_code, where=(f"service_type IN ({marks})", types))


def counts_from_events(events: pl.DataFrame) -> pl.DataFrame:
    """New admissions (every age) counted per council, practice, month and age group."""
    from careties.referrals.admissions import new_admissions

    found = new_admissions(events, min_age=None)
    return (
        found.group_by(
            "la_code",
            "practice_code",
            pl.col("start_date").dt.truncate("1mo").alias("month"),
            "financial_year",
            (pl.col("age") >= 65).alias("age_65_plus"),
        )
        .agg(pl.len().cast(pl.Int64).alias("admissions"))
        .sort("la_code", "month", "practice_code", "age_65_plus", nulls_last=True)
    )


def refresh_admissions(la_codes: Iterable[str]) -> int:
    """Recount the stored admissions of these councils; returns the rows of counts written."""
    from .models import AdmissionCount

    written = 0
    for la_code in sorted(set(la_codes)):
        counts = counts_from_events(residential_events(la_code))
        AdmissionCount.objects.filter(la_code=la_code).delete()
        AdmissionCount.objects.bulk_create(
            [AdmissionCount(**row) for row in counts.iter_rows(named=True)], batch_size=2_000
        )
        written += counts.height
    return written


def admissions_65_plus(la_codes: Iterable[str]) -> pl.DataFrame:
    """New admissions aged 65+ per council and financial year, summed by the database."""
    from careties.web.arrow import read_frame

    codes = sorted(set(la_codes))
    found = read_frame(
        "SELECT la_code, financial_year, SUM(admissions) FROM careties_admission_counts"
        " WHERE age_65_plus GROUP BY la_code, financial_year",
        [],
        COUNT_SCHEMA,
    ).cast(COUNT_SCHEMA)
    return found.filter(pl.col("la_code").is_in(codes)).sort("la_code", "financial_year")


def admission_rows(la_codes: Iterable[str]) -> pl.DataFrame:
    """One row per admission (council and financial year only), as ``ascof_2c`` counts them.

    ``ascof_2c`` takes admissions as rows and counts them per council and year;
    this expands the stored counts back into that shape (tens of thousands of
    short rows for England, not millions of events).
    """
    counts = admissions_65_plus(la_codes)
    return (
        counts.with_columns(pl.int_ranges(0, pl.col("admissions")).alias("_n"))
        .explode("_n")
        .drop_nulls("_n")
        .select("la_code", "financial_year")
    )


def no_events() -> pl.DataFrame:
    """An empty events frame, for domain functions that take events beside admissions."""
    return pl.DataFrame(schema=CANONICAL["events"])
