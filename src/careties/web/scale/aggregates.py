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
from django.db import connection

from careties.data.codes import RESIDENTIAL_SERVICE_TYPES
from careties.data.frames import CANONICAL
from careties.referrals.admissions import new_admissions
from careties.web.arrow import read_frame
from careties.web.selectors import load_frame

from .models import AdmissionCount

COUNT_SCHEMA = {"la_code": pl.String, "financial_year": pl.String, "admissions": pl.Int64}


#: Councils recounted per query, read back as Python rows (about 2,400 residential
#: events a council for England). SQLite reads each council through the key's index;
#: PostgreSQL's planner scans the table once a pass (1.5 s for England's 12.4 million
#: events: 24 s in all), but 40 councils a pass took the importer to 1,026 MiB.
COUNCILS_PER_PASS = 10


def residential_events(la_codes: str | Iterable[str]) -> pl.DataFrame:
    """The councils' stored events that can be, or precede, a care home admission.

    ``new_admissions`` looks only at long-term residential and nursing services
    (``residential_services`` filters on the service type first), so the other
    events need not leave the database. One query for every council given,
    each council's rows found through the natural key's index (it starts with
    the council).
    """
    codes = [la_codes] if isinstance(la_codes, str) else sorted(set(la_codes))
    types = sorted(RESIDENTIAL_SERVICE_TYPES)
    councils = ", ".join(["%s"] * len(codes))
    kinds = ", ".join(["%s"] * len(types))
    return load_frame(
        "events",
        where=(f"la_code IN ({councils}) AND service_type IN ({kinds})", [*codes, *types]),
    )


def counts_from_events(events: pl.DataFrame) -> pl.DataFrame:
    """New admissions (every age) counted per council, practice, month and age group."""
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
    """Recount the stored admissions of these councils; returns the rows of counts written.

    ``new_admissions`` works per person (council and person key), so councils
    counted together give what each gives alone. An England events import
    touches all 153: counting them one query each took 40 to 292 s; here
    passes of ``COUNCILS_PER_PASS`` councils each.
    """
    codes = sorted(set(la_codes))
    written = 0
    size = COUNCILS_PER_PASS
    for start in range(0, len(codes), size):
        group = codes[start : start + size]
        counts = counts_from_events(residential_events(group))
        AdmissionCount.objects.filter(la_code__in=group).delete()
        _insert_counts(counts)
        written += counts.height
    return written


def _insert_counts(counts: pl.DataFrame) -> None:
    """One ``executemany`` of the counts (the ORM's ``bulk_create`` builds an object a row)."""
    columns = ["la_code", "practice_code", "month", "financial_year", "age_65_plus", "admissions"]
    if counts.is_empty():
        return
    quoted = ", ".join(connection.ops.quote_name(c) for c in columns)
    marks = ", ".join(["%s"] * len(columns))
    with connection.cursor() as cursor:
        cursor.executemany(
            f"INSERT INTO careties_admission_counts ({quoted}) VALUES ({marks})",
            counts.select(columns).rows(),
        )


def admissions_65_plus(la_codes: Iterable[str]) -> pl.DataFrame:
    """New admissions aged 65+ per council and financial year, summed by the database."""
    codes = sorted(set(la_codes))
    found = read_frame(
        "SELECT la_code, financial_year, SUM(admissions) AS admissions FROM careties_admission_counts"
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
