"""Action plans: items under the five Home Truths approaches, and their progress.

The five approaches are those the six Home Truths sites settled on (INLOGOV,
"Could a lack of trust between professionals undermine health and social care
integration?", 2013). Progress is counted per approach so that a plan heavy on
one approach and silent on another shows it.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

import polars as pl

__all__ = ["APPROACHES", "STATUSES", "Approach", "progress_by_approach"]


@dataclass(frozen=True)
class Approach:
    approach_id: str
    title: str


APPROACHES: tuple[Approach, ...] = (
    Approach("referral_communication", "Improve communication about social care referrals"),
    Approach("service_information", "Improve access to information about social care services"),
    Approach("training", "Train GPs and consultants about social care services and processes"),
    Approach("joint_working", "Embed joint working between social workers and GPs"),
    Approach(
        "influence_influencers", "Influence the influencers of older people's decisions about care"
    ),
)

APPROACH_IDS: tuple[str, ...] = tuple(a.approach_id for a in APPROACHES)

#: Status of an item; ``blocked`` is kept apart from ``in_progress`` so the
#: progress view can show where help is needed.
STATUSES: tuple[tuple[str, str], ...] = (
    ("not_started", "Not started"),
    ("in_progress", "In progress"),
    ("blocked", "Blocked"),
    ("done", "Done"),
)

PROGRESS_COLUMNS = (
    "approach_id",
    "title",
    "items",
    "not_started",
    "in_progress",
    "blocked",
    "done",
    "overdue",
    "percent_done",
)


def progress_by_approach(items: pl.DataFrame, as_of: dt.date) -> pl.DataFrame:
    """Counts per approach and status, overdue items, and the share done.

    ``items`` has ``approach_id``, ``status`` and ``due_date``. An item is
    overdue when it is not done and its due date is before ``as_of``. Every
    approach appears, with zeros where the plan has nothing under it.
    """
    base = pl.DataFrame(
        {
            "approach_id": [a.approach_id for a in APPROACHES],
            "title": [a.title for a in APPROACHES],
        }
    )
    if items.height == 0:
        counts = pl.DataFrame(
            schema={
                "approach_id": pl.String,
                **{s: pl.Int64 for s, _ in STATUSES},
                "items": pl.Int64,
                "overdue": pl.Int64,
            }
        )
    else:
        counts = items.group_by("approach_id").agg(
            pl.len().cast(pl.Int64).alias("items"),
            *[
                (pl.col("status") == status).sum().cast(pl.Int64).alias(status)
                for status, _ in STATUSES
            ],
            ((pl.col("status") != "done") & (pl.col("due_date") < as_of))
            .sum()
            .cast(pl.Int64)
            .alias("overdue"),
        )
    joined = base.join(counts, on="approach_id", how="left").with_columns(
        [pl.col(c).fill_null(0) for c in ("items", "overdue", *[s for s, _ in STATUSES])]
    )
    return joined.with_columns(
        pl.when(pl.col("items") > 0)
        .then((100 * pl.col("done") / pl.col("items")).round(0))
        .otherwise(None)
        .alias("percent_done")
    ).select(PROGRESS_COLUMNS)
