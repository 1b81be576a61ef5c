"""The practice x quarter panels the programme evaluation compares.

Kept apart from :mod:`careties.planning.evaluation` (the method and its verdict)
so each reads on its own: these functions only shape data. Quarters are calendar
quarters; the quarter a programme start falls inside is dropped (neither before
nor after).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable

import polars as pl

from careties.data.codes import ROLE_AGENCY
from careties.referrals.rates import ADMISSIONS, practice_rates

PANEL_COLUMNS = ("practice_code", "quarter", "treated", "post")


def _quarter_start(date: pl.Expr) -> pl.Expr:
    return pl.date(date.dt.year(), ((date.dt.month() - 1) // 3) * 3 + 1, 1)


def _mark(panel: pl.DataFrame, targeted: Iterable[str], start: dt.date) -> pl.DataFrame:
    """Add ``treated`` and ``post``, dropping the quarter the start falls inside."""
    start_quarter = dt.date(start.year, ((start.month - 1) // 3) * 3 + 1, 1)
    straddles = start_quarter != start
    marked = panel.with_columns(
        pl.col("practice_code").is_in(list(targeted)).cast(pl.Int8).alias("treated"),
        (pl.col("quarter") >= start).cast(pl.Int8).alias("post"),
    )
    if straddles:
        marked = marked.filter(pl.col("quarter") != start_quarter)
    return marked.sort("practice_code", "quarter")


def _quarters(first: dt.date, last: dt.date) -> list[dt.date]:
    out, year, month = [], first.year, ((first.month - 1) // 3) * 3 + 1
    while dt.date(year, month, 1) <= last:
        out.append(dt.date(year, month, 1))
        month += 3
        if month > 12:
            year, month = year + 1, 1
    return out


def admissions_panel(
    events: pl.DataFrame,
    registered_patients: pl.DataFrame,
    practices: pl.DataFrame,
    targeted: Iterable[str],
    start: dt.date,
) -> pl.DataFrame:
    """Admissions per 1,000 patients 65+ per practice and quarter, marked treated and post.

    Counting is :func:`careties.referrals.rates.practice_rates` (the ASCOF rule),
    by month, summed to quarters; every practice appears in every quarter the
    events span, at zero where it had no admissions. Practices without a
    registered 65+ count are left out (they have no rate).
    """
    monthly = practice_rates(events, registered_patients, practices, period="month").filter(
        pl.col("outcome") == ADMISSIONS
    )
    dated = events.filter(pl.col("start_date").is_not_null())
    quarters = _quarters(dated["start_date"].min(), dated["start_date"].max())
    counts = (
        monthly.with_columns(_quarter_start(pl.col("period").str.to_date("%Y-%m")).alias("quarter"))
        .group_by("practice_code", "quarter")
        .agg(pl.col("count").sum().alias("admissions"))
    )
    patients = monthly.group_by("practice_code").agg(pl.col("patients_65_plus").mean())
    grid = (
        practices.select("practice_code")
        .unique()
        .join(pl.DataFrame({"quarter": quarters}), how="cross")
        .join(counts, on=["practice_code", "quarter"], how="left")
        .join(patients, on="practice_code", how="left")
        .filter(pl.col("patients_65_plus").is_not_null() & (pl.col("patients_65_plus") > 0))
        .with_columns(pl.col("admissions").fill_null(0))
        .with_columns(
            (1000 * pl.col("admissions") / pl.col("patients_65_plus")).alias("admission_rate")
        )
    )
    return _mark(grid, targeted, start)


def relationship_panel(
    contacts: pl.DataFrame,
    professionals: pl.DataFrame,
    practices: pl.DataFrame,
    targeted: Iterable[str],
    start: dt.date,
) -> pl.DataFrame:
    """Cross-agency contacts per GP per practice and quarter, marked treated and post.

    A contact counts for a practice when one end is one of its GPs and the other
    a social care professional (``codes.ROLE_AGENCY``), whoever started it.
    """
    people = professionals.select(
        "professional_id",
        "organisation",
        pl.col("role").replace_strict(ROLE_AGENCY, default="other").alias("agency"),
        "role",
    )
    gps = people.filter(pl.col("role") == "gp")
    care = people.filter(pl.col("agency") == "social_care").select("professional_id")
    ends = pl.concat(
        [
            contacts.select(
                pl.col("from_professional").alias("gp"),
                pl.col("to_professional").alias("other"),
                "contact_date",
            ),
            contacts.select(
                pl.col("to_professional").alias("gp"),
                pl.col("from_professional").alias("other"),
                "contact_date",
            ),
        ]
    )
    cross = (
        ends.join(gps.select(pl.col("professional_id").alias("gp"), "organisation"), on="gp")
        .join(care.rename({"professional_id": "other"}), on="other", how="semi")
        .with_columns(_quarter_start(pl.col("contact_date")).alias("quarter"))
        .group_by(pl.col("organisation").alias("practice_code"), "quarter")
        .agg(pl.len().alias("contacts"))
    )
    gp_count = gps.group_by(pl.col("organisation").alias("practice_code")).agg(
        pl.len().alias("gps")
    )
    if contacts.height == 0:
        return _mark(
            pl.DataFrame(
                schema={
                    "practice_code": pl.String,
                    "quarter": pl.Date,
                    "contacts_per_gp": pl.Float64,
                }
            ),
            targeted,
            start,
        )
    quarters = _quarters(contacts["contact_date"].min(), contacts["contact_date"].max())
    grid = (
        practices.select("practice_code")
        .unique()
        .join(gp_count, on="practice_code")
        .join(pl.DataFrame({"quarter": quarters}), how="cross")
        .join(cross, on=["practice_code", "quarter"], how="left")
        .with_columns(pl.col("contacts").fill_null(0))
        .with_columns((pl.col("contacts") / pl.col("gps")).alias("contacts_per_gp"))
    )
    return _mark(grid, targeted, start)
