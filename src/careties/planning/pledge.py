"""The Home Truths pledge: five commitments, who has signed, and which have evidence behind them.

The pledge (iMPOWER, "GP - social worker relationships and care integration",
Community Care, 2014) asks every Better Care Fund plan to commit to five things.
Signing is cheap; the dashboard therefore shows, beside adoption, whether each
commitment has *evidence* behind it this quarter, from data careties already
holds, so a signature without action is visible as such.

Pure functions on Polars frames and plain dataclasses: no Django, no files.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

import polars as pl

__all__ = [
    "COMMITMENTS",
    "Commitment",
    "CouncilActivity",
    "Evidence",
    "adoption_by_council",
    "commitment_evidence",
    "quarter_bounds",
]


@dataclass(frozen=True)
class Commitment:
    """One of the five commitments, with the evidence careties looks for."""

    commitment_id: str
    title: str
    text: str
    evidence_rule: str


COMMITMENTS: tuple[Commitment, ...] = (
    Commitment(
        "frontline_behaviour",
        "Frontline behaviour drives the system",
        "We acknowledge that behaviour at the frontline drives the health and care system; "
        "the frontline includes patients, service users and professionals.",
        "Knowledge-building activities (visits, training, joint working) logged with GPs this quarter.",
    ),
    Commitment(
        "influence",
        "Influence what shapes that behaviour",
        "We will seek to influence whatever positively affects this behaviour, and accept "
        "that this will drive demand for services.",
        "Action plan items under way or completed this quarter.",
    ),
    Commitment(
        "cultural_change",
        "A bottom-up cultural change, in words and actions",
        "Delivering a bottom-up cultural transformation is essential; it will remain a major "
        "theme of our change and integration plans, in our words (for example our BCF text) "
        "and our actions (for example our BCF schemes).",
        "Action plan items completed this quarter under at least two of the five approaches.",
    ),
    Commitment(
        "relationship_data",
        "Collect and share data on relationships, behaviour and trust",
        "We commit to collecting and sharing data on relationships, behaviour and trust.",
        "Relationship data (contacts or survey responses) collected this quarter.",
    ),
    Commitment(
        "experience_outcomes",
        "Focus on experience and outcomes for people",
        "Our focus on influencing frontline behaviour is predicated on improving the "
        "experience and outcomes of patients and service users.",
        "People sign-posted by GPs to local services this quarter.",
    ),
)

COMMITMENT_IDS: tuple[str, ...] = tuple(c.commitment_id for c in COMMITMENTS)


@dataclass(frozen=True)
class CouncilActivity:
    """What happened in one council in one quarter: the counts the evidence rules read."""

    activities_logged: int = 0
    plan_items_active: int = 0
    approaches_with_completed_items: int = 0
    relationship_records: int = 0
    signposts: int = 0


@dataclass(frozen=True)
class Evidence:
    commitment: Commitment
    met: bool
    detail: str


def quarter_bounds(day: dt.date) -> tuple[dt.date, dt.date]:
    """First and last day of the calendar quarter containing ``day``.

    Calendar quarters (not financial) because BCF quarterly reporting runs on
    them and councils report each quarter's end.
    """
    first_month = 3 * ((day.month - 1) // 3) + 1
    start = dt.date(day.year, first_month, 1)
    end_month = first_month + 3
    end = (
        dt.date(day.year + 1, 1, 1) if end_month > 12 else dt.date(day.year, end_month, 1)
    ) - dt.timedelta(days=1)
    return start, end


def commitment_evidence(activity: CouncilActivity) -> list[Evidence]:
    """For each commitment, whether this quarter's data show it being kept, and why."""
    checks = {
        "frontline_behaviour": (
            activity.activities_logged > 0,
            f"{activity.activities_logged} knowledge-building activities logged",
        ),
        "influence": (
            activity.plan_items_active > 0,
            f"{activity.plan_items_active} action plan items under way or completed",
        ),
        "cultural_change": (
            activity.approaches_with_completed_items >= 2,
            f"completed items under {activity.approaches_with_completed_items} of 5 approaches",
        ),
        "relationship_data": (
            activity.relationship_records > 0,
            f"{activity.relationship_records} contacts or survey answers recorded",
        ),
        "experience_outcomes": (
            activity.signposts > 0,
            f"{activity.signposts} people sign-posted to local services",
        ),
    }
    return [Evidence(c, *checks[c.commitment_id]) for c in COMMITMENTS]


def adoption_by_council(signatures: pl.DataFrame, councils: pl.DataFrame) -> pl.DataFrame:
    """Pledge adoption per council: organisations signed, and whether the council itself has.

    ``signatures`` has ``la_code``, ``organisation_type`` (``council``, ``practice``,
    ``nhs``, ``other``), ``organisation_code`` and ``signed_on``; ``councils`` has
    ``la_code`` and ``name``. Councils with no signatures appear with zeros, so that
    a regional lead sees who has not started as well as who has.
    """
    counted = signatures.group_by("la_code").agg(
        pl.col("organisation_code").n_unique().alias("organisations_signed"),
        (pl.col("organisation_type") == "council").any().alias("council_signed"),
        pl.col("organisation_code")
        .filter(pl.col("organisation_type") == "practice")
        .n_unique()
        .alias("practices_signed"),
        pl.col("signed_on").min().alias("first_signed_on"),
    )
    return (
        councils.select("la_code", "name")
        .join(counted, on="la_code", how="left")
        .with_columns(
            pl.col("organisations_signed").fill_null(0).cast(pl.Int64),
            pl.col("practices_signed").fill_null(0).cast(pl.Int64),
            pl.col("council_signed").fill_null(False),
        )
        .sort("name")
    )
