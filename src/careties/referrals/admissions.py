"""Which service events count as new permanent admissions to residential care.

The rule is DHSC's, from Client Level Data (the ``ASCOF_measures`` SQL in
DataS-DHSC/ASC-CLD-LA-Dashboard), so that a council's figure in careties is the
figure it will see published:

* a service event of a service user (not a carer) whose ``service_type`` is
  long-term residential or nursing care (a component saying short-term, or
  naming neither residential nor nursing care, is not: the reader maps it to
  ``other``);
* the person has a date of birth, and the service did not start after they
  died; a service during which they died ends on the date of death;
* not ended as ``NFA: Self-funded client or under 12wk disregard`` (the council
  is not paying for it);
* *new*: the same person (within the same council) had no residential or nursing
  service that started earlier and ended fewer than 365 days before this one
  starts, or is still open. Every earlier residential or nursing service counts
  as "earlier care", self-funded ones included, so a move from residential to
  nursing care, or back, is not an admission;
* aged 18 or over at the start (age from the first of the birth month);
  counted once per person per financial year, in the younger age band when the
  person has new admissions in both (DHSC's ``MIN(Age_Band)``);
* 65 or over for ASCOF 2C, 18 to 64 for ASCOF 2B.

Everything is vectorised Polars: a per-person running maximum of end dates
replaces the SQL's correlated ``EXISTS``.
"""

from __future__ import annotations

import datetime as dt
import re

import polars as pl

from careties.data.codes import RESIDENTIAL_SERVICE_TYPES

#: CLD ``Event_Outcome`` meaning the council does not fund the placement.
SELF_FUNDED_OUTCOME = "NFA: Self-funded client or under 12wk disregard"

#: DHSC: earlier care that ended fewer than this many days before the start.
LOOKBACK_DAYS = 365

#: DHSC step 4: ``WHERE Der_Age_Event_Start >= 18``.
ADULT_AGE = 18

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


#: ``is_self_funded`` as one anchored, case-insensitive match: no per-row copies.
_SELF_FUNDED_PATTERN = r"(?i)^\s*" + re.escape(SELF_FUNDED_OUTCOME.lower()) + r"\s*$"


def is_self_funded(outcome: pl.Expr) -> pl.Expr:
    """True where the CLD outcome says the council does not fund it (any letter case).

    Leading and trailing whitespace are ignored. One regular expression rather than
    ``strip_chars().to_lowercase()``: Polars may merge this test into a filter that
    runs over every event (requests and assessments too, millions of rows on a
    national file), and the regular expression copies no strings, ten times cheaper.
    """
    return outcome.str.contains(_SELF_FUNDED_PATTERN).fill_null(False)


def residential_services(events: pl.DataFrame | pl.LazyFrame) -> pl.LazyFrame:
    """DHSC's ``ASCOF_2BC_Build``: long-term residential and nursing services, whoever pays.

    These are the "earlier care" against which a new admission is tested. As
    the SQL's step 1: service users only (``Client_Type_Cleaned = 'Service
    user'``), with a date of birth (``Der_Birth_Date IS NOT NULL``), not
    starting after the person died (``FilterToEventsInPeriod``: ``Date_of_Death
    >= Event_Start_Date``). The end date is DHSC's ``Der_Event_End_Date``: the
    date of death when the person died during the service.
    """
    events = events.lazy()
    columns = events.collect_schema().names()
    # service_type first: it is null on most rows, so the string test on
    # event_type then runs on a few hundred thousand rows, not millions.
    services = (
        events.filter(pl.col("service_type").is_not_null())
        .filter(pl.col("service_type").is_in(RESIDENTIAL_SERVICE_TYPES))
        .filter((pl.col("event_type") == "service") & pl.col("start_date").is_not_null())
        .filter(pl.col("age").is_not_null())
    )
    if "client_type" in columns:
        # Null: a frame that does not say (careties' own layout is service users
        # only). The CLD reader writes a blank Client_Type as "unknown", excluded here.
        client = pl.col("client_type")
        services = services.filter(client.is_null() | (client == "service_user"))
    if "date_of_death" in columns:
        death = pl.col("date_of_death")
        start, end = pl.col("start_date"), pl.col("end_date")
        died_during = (death >= start) & (death <= end) | (death > start) & end.is_null()
        services = services.filter(death.is_null() | (death >= start)).with_columns(
            pl.when(died_during).then(death).otherwise(end).alias("end_date")
        )
    return services


#: Days are offset so that every date, even before 1970, encodes as a positive number,
#: and each person's block of dates is above every earlier person's.
_DAY_OFFSET = 1_000_000
_PERSON_STRIDE = 1 << 23  # > _DAY_OFFSET + days to 9999-12-31


def person_id(la_code: pl.Expr, person_key: pl.Expr) -> pl.Expr:
    """A 64-bit id for a person within a council, ``_person``, for fast sorting and grouping.

    A hash of (council, pseudonymous key): two people colliding among ten
    million is a chance of about one in 300,000, and would at worst merge their
    care histories. Sorting on one integer instead of two strings is what lets
    England's Client Level Data run in seconds.
    """
    return (
        pl.struct(la_code.alias("la_code"), person_key.alias("person_key")).hash(7).alias("_person")
    )


def _earlier_max(person: pl.Expr, end: pl.Expr) -> pl.Expr:
    """Running maximum of ``end`` over each person's earlier rows (rows sorted by person, start).

    One global cumulative maximum does every person at once: each person's end
    dates are lifted into a band above all earlier persons' (``_PERSON_STRIDE``),
    so the running maximum never carries from one person into the next.
    ``.over(person)`` would do the same, several times slower.
    """
    first = (person != person.shift(1)).fill_null(True)
    band = first.cum_sum().cast(pl.Int64) * _PERSON_STRIDE
    encoded = band + end.cast(pl.Int64) + _DAY_OFFSET
    previous = encoded.cum_max().shift(1)
    days = previous - band - _DAY_OFFSET
    return pl.when(first).then(None).otherwise(days).cast(pl.Date)


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
    services = (
        residential_services(events)
        .with_columns(
            person_id(pl.col("la_code"), pl.col("person_key")),
            pl.col("end_date").fill_null(_OPEN_ENDED).alias("_end"),
        )
        .collect()
    )
    # Latest end among services that started strictly earlier (DHSC: b.start < a.start):
    # collapse same-day starts first so that they do not see each other as earlier care.
    per_start = (
        services.group_by("_person", "start_date")
        .agg(pl.col("_end").max())
        .sort("_person", "start_date")
    )
    earlier_care = per_start.select(
        "_person",
        "start_date",
        _earlier_max(pl.col("_person"), pl.col("_end")).alias("_earlier_end"),
    )
    candidates = services.filter(~is_self_funded(pl.col("event_outcome"))).join(
        earlier_care, on=["_person", "start_date"], how="left"
    )
    is_new = pl.col("_earlier_end").is_null() | (
        pl.col("_earlier_end") <= pl.col("start_date") - pl.duration(days=lookback_days)
    )
    fy = financial_year_start(pl.col("start_date"))
    # SQL step 4: adults only; a person with new admissions in both age bands
    # in the year counts once, in the younger band (MIN of the band's label).
    admissions = (
        candidates.filter(is_new & (pl.col("age") >= ADULT_AGE))
        .with_columns(fy.alias("_fy"), (pl.col("age") >= 65).alias("_older"))
        .sort("_person", "_fy", "_older", "start_date", "event_reference")
        .unique(["_person", "_fy"], keep="first", maintain_order=True)
        .lazy()
    )
    if min_age is not None:
        admissions = admissions.filter(pl.col("age") >= min_age)
    return (
        admissions.with_columns(financial_year_label(pl.col("_fy")).alias("financial_year"))
        .select(ADMISSION_COLUMNS)
        .collect()
    )
