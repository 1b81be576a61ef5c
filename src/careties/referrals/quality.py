"""The data-quality view: how many rows and people each rule left out, and why.

DHSC's CLD dashboard shows, beside each measure, what its cleaning and
filters set aside; a council checking careties' ASCOF 2C against the published
figure needs the same, or a difference cannot be explained. Two tables:

* :func:`ascof_exclusions` -- among long-term residential and nursing services
  starting in a financial year, the services (rows) and people each rule of
  DHSC's ASCOF 2B/2C SQL left out, in the SQL's order (a row is counted under
  the first rule it fails), then those counted;
* :func:`event_flags` -- across all of a council's events: values kept as
  given outside their code list, blank dates of birth, practices outside the
  council or not loaded.

Counts here are exact; whoever shows them applies the small-number rule
(``careties.web.disclosure``), as the CLI report and the dashboard do.
"""

from __future__ import annotations

import datetime as dt

import polars as pl

from careties.data import codes
from careties.referrals.admissions import (
    LOOKBACK_DAYS,
    financial_year_label,
    financial_year_start,
    is_self_funded,
    new_admissions,
)

QUALITY_COLUMNS = ("measure", "check", "rows", "people")

CLIENT_TYPE_RULE = "not a service user (carer or blank client type)"
BIRTH_RULE = "blank date of birth"
DEATH_RULE = "died before the service began or the period"
SELF_FUNDED_RULE = "self-funded (NFA: Self-funded client or under 12wk disregard)"
NOT_NEW_RULE = (
    f"not new (earlier residential or nursing care within {LOOKBACK_DAYS} days, "
    "or the person's other admission in the year)"
)
UNDER_18_RULE = "aged under 18"
COUNTED_2C = "counted in ASCOF 2C (65+)"
COUNTED_2B = "counted in ASCOF 2B (18-64)"


def _year_bounds(financial_year: str) -> tuple[dt.date, dt.date]:
    start = int(financial_year[:4])
    return dt.date(start, 4, 1), dt.date(start + 1, 3, 31)


def ascof_exclusions(events: pl.DataFrame, financial_year: str | None = None) -> pl.DataFrame:
    """Rows and people of the year's residential and nursing services, by the rule that left them out.

    ``financial_year`` defaults to the latest in the data (``"2024-25"``).
    Columns ``QUALITY_COLUMNS``; ``measure`` is ``"ASCOF 2B/2C"``.
    """
    services = events.filter(
        (pl.col("event_type") == "service")
        & pl.col("service_type").is_in(codes.RESIDENTIAL_SERVICE_TYPES)
    )
    if financial_year is None:
        if services.is_empty():
            return pl.DataFrame(
                schema=dict.fromkeys(QUALITY_COLUMNS, pl.Int64)
                | {"measure": pl.String, "check": pl.String}
            )
        financial_year = services.select(
            financial_year_label(financial_year_start(pl.col("start_date").max()))
        ).item()
    first, last = _year_bounds(financial_year)
    in_year = services.filter(pl.col("start_date").is_between(first, last))
    client = pl.col("client_type")
    death = pl.col("date_of_death")
    rules = [
        (CLIENT_TYPE_RULE, client.is_not_null() & (client != "service_user")),
        (BIRTH_RULE, pl.col("age").is_null()),
        (DEATH_RULE, death.is_not_null() & ((death < pl.col("start_date")) | (death < first))),
        (SELF_FUNDED_RULE, is_self_funded(pl.col("event_outcome"))),
        (UNDER_18_RULE, pl.col("age") < 18),
    ]
    reason = pl.lit(None, pl.String)
    for name, test in reversed(rules):
        reason = pl.when(test.fill_null(False)).then(pl.lit(name)).otherwise(reason)
    labelled = in_year.with_columns(reason.alias("check"))
    admitted = new_admissions(events, min_age=None).filter(
        pl.col("financial_year") == financial_year
    )
    counted = admitted.select("la_code", "event_reference", "age")
    rest = labelled.filter(pl.col("check").is_null()).join(
        counted, on=["la_code", "event_reference"], how="left", suffix="_counted"
    )
    rest = rest.with_columns(
        pl.when(pl.col("age_counted").is_not_null() & (pl.col("age_counted") >= 65))
        .then(pl.lit(COUNTED_2C))
        .when(pl.col("age_counted").is_not_null())
        .then(pl.lit(COUNTED_2B))
        .otherwise(pl.lit(NOT_NEW_RULE))
        .alias("check")
    ).drop("age_counted")
    order = [name for name, _ in rules] + [NOT_NEW_RULE, COUNTED_2B, COUNTED_2C]
    table = (
        pl.concat([labelled.filter(pl.col("check").is_not_null()), rest], how="diagonal_relaxed")
        .group_by("check")
        .agg(pl.len().cast(pl.Int64).alias("rows"), pl.col("person_key").n_unique().alias("people"))
    )
    return (
        pl.DataFrame({"check": order})
        .join(table, on="check", how="left")
        .with_columns(
            pl.lit(f"ASCOF 2B/2C {financial_year}").alias("measure"),
            pl.col("rows").fill_null(0),
            pl.col("people").fill_null(0).cast(pl.Int64),
        )
        .select(QUALITY_COLUMNS)
    )


def event_flags(events: pl.DataFrame, practices: pl.DataFrame | None = None) -> pl.DataFrame:
    """Across a council's events: values outside code lists, blanks, practices elsewhere or unknown."""
    checks: list[tuple[str, pl.Expr]] = [
        (BIRTH_RULE, pl.col("age").is_null()),
        (
            "client type outside the code list",
            pl.col("client_type").is_not_null() & ~pl.col("client_type").is_in(codes.CLIENT_TYPES),
        ),
        (
            "service type outside the code list",
            pl.col("service_type").is_not_null()
            & ~pl.col("service_type").is_in(codes.SERVICE_TYPES),
        ),
        (
            "route of access outside the code list",
            pl.col("route_of_access").is_not_null()
            & ~pl.col("route_of_access").is_in(codes.ROUTES_OF_ACCESS),
        ),
    ]
    if practices is not None:
        homes = practices.select("practice_code", pl.col("la_code").alias("_practice_la"))
        events = events.join(homes, on="practice_code", how="left")
        has_practice = pl.col("practice_code").is_not_null()
        checks.append(
            (
                "practice registered outside the council",
                has_practice
                & pl.col("_practice_la").is_not_null()
                & (pl.col("_practice_la") != pl.col("la_code")),
            )
        )
        checks.append(("practice not loaded", has_practice & pl.col("_practice_la").is_null()))
    rows = []
    for name, test in checks:
        flagged = events.filter(test.fill_null(False))
        rows.append(
            {
                "measure": "all events",
                "check": name,
                "rows": flagged.height,
                "people": flagged["person_key"].n_unique(),
            }
        )
    return pl.DataFrame(
        rows,
        schema=dict.fromkeys(QUALITY_COLUMNS, pl.Int64)
        | {"measure": pl.String, "check": pl.String},
    )


def data_quality(
    events: pl.DataFrame, practices: pl.DataFrame | None = None, financial_year: str | None = None
) -> pl.DataFrame:
    """Both tables, ASCOF exclusions first."""
    return pl.concat([ascof_exclusions(events, financial_year), event_flags(events, practices)])
