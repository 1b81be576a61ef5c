"""What the programme changed in BCF terms: emergency admissions of targeted practices' patients.

The programme's evaluation (``careties.planning.evaluation``) compares targeted
practices with the others before and after the start (difference in
differences, standard errors by practice). Where the ICB's emergency admission
figures come by practice, the same comparison runs on emergency admissions of
people aged 65+ per 1,000 registered patients 65+ a quarter: BCF metric 1,
practice by practice. Calendar quarters, as the programme evaluation uses.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable

import polars as pl

from careties.planning.evaluation import ProgrammeEvaluation, evaluate
from careties.referrals.rates import patients_65_plus

LABEL = "Emergency admissions 65+ (BCF metric 1)"
UNITS = "per 1,000 patients 65+ a quarter"


def emergency_admissions_panel(
    admissions: pl.DataFrame,
    registered_patients: pl.DataFrame,
    targeted: Iterable[str],
    start: dt.date,
) -> pl.DataFrame:
    """Practice x calendar quarter: admissions per 1,000 registered 65+, marked treated and post.

    Only practice rows count (not the council's ``ALL`` total), only quarters
    with all three months, and only practices with a registered 65+ count.
    The quarter the start falls inside is dropped (neither before nor after).
    """
    rows = admissions.filter(pl.col("practice_code") != "ALL").with_columns(
        pl.date(
            pl.col("month").dt.year(), ((pl.col("month").dt.month() - 1) // 3) * 3 + 1, 1
        ).alias("quarter")
    )
    complete = (
        rows.select("quarter", "month").unique().group_by("quarter").agg(pl.len().alias("n"))
    ).filter(pl.col("n") == 3)
    lists = (
        patients_65_plus(registered_patients)
        .collect()
        .group_by("practice_code")
        .agg(pl.col("patients_65_plus").mean())
    )
    panel = (
        rows.join(complete.select("quarter"), on="quarter")
        .group_by("practice_code", "quarter")
        .agg(pl.col("admissions_65_plus").sum().alias("admissions"))
        .join(lists, on="practice_code")
        .filter(pl.col("patients_65_plus") > 0)
        .with_columns(
            (1000 * pl.col("admissions") / pl.col("patients_65_plus")).alias("emergency_rate")
        )
    )
    start_quarter = dt.date(start.year, ((start.month - 1) // 3) * 3 + 1, 1)
    marked = panel.with_columns(
        pl.col("practice_code").is_in(list(targeted)).cast(pl.Int8).alias("treated"),
        (pl.col("quarter") >= start).cast(pl.Int8).alias("post"),
    )
    if start_quarter != start:
        marked = marked.filter(pl.col("quarter") != start_quarter)
    return marked.sort("practice_code", "quarter")


def evaluate_emergency_admissions(
    admissions: pl.DataFrame | None,
    registered_patients: pl.DataFrame,
    targeted: Iterable[str],
    start: dt.date,
) -> ProgrammeEvaluation:
    """The difference in differences, or an evaluation whose ``error`` says what is missing."""
    if admissions is None or admissions.filter(pl.col("practice_code") != "ALL").is_empty():
        return ProgrammeEvaluation(
            "emergency_rate",
            LABEL,
            UNITS,
            True,
            error="No emergency admissions by practice are loaded (docs/bcf.md, emergency_admissions).",
        )
    panel = emergency_admissions_panel(admissions, registered_patients, targeted, start)
    return evaluate(panel, "emergency_rate", LABEL, UNITS, lower_is_better=True)
