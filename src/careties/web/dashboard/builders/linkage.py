"""Relationships and admissions, linked: each practice's inputs, the admissions, the models.

Section builders of the linkage sections (the presenters in
``careties.web.presenters.linkage`` only present). The model's panel is split
in two so that the regional view can pool councils without loading their
rows: each practice's *inputs* (lists, relationship measures, deprivation; a
council's own data decide them, stored per council by
``careties.web.scale.linkage_inputs``) and the *admissions* per practice
(counted from any council's records, summed across the councils in view).
"""

from __future__ import annotations

import polars as pl

from careties.relations.linkage import linkage_table
from careties.relations.linkage_panel import practice_panel
from careties.relations.network import build_network, relationship_health
from careties.relations.surveys import practice_relationship_scores
from careties.web.dashboard.builders.referrals import admissions
from careties.web.presenters.base import Context, NotAvailable

__all__ = [
    "OUTCOMES",
    "council_models",
    "linkage_frame",
    "measures",
    "models",
    "optional",
    "outcome_counts",
    "practice_inputs",
]

OUTCOMES = {
    "permanent": "New permanent admissions 65+",
    "emergency": "Emergency admissions 65+",
}
#: The measure columns each source gives, and the adjustment deprivation gives.
SURVEY_MEASURES = ("rc_score", "knowledge_share")
NETWORK_MEASURES = ("social_care_tie_strength", "health_score")
COUNT_SCHEMA = {"practice_code": pl.String, "admissions": pl.Int64}


def optional(ctx: Context, kind: str) -> pl.DataFrame | None:
    """A kind this installation may not have (loaded by another part of careties)."""
    try:
        frame = ctx.frame(kind)
    except (KeyError, LookupError):
        return None
    return None if frame.is_empty() else frame


def measures(ctx: Context) -> pl.DataFrame:
    """Relationship measures per practice: survey scores and network ties, where loaded."""
    frames = []
    survey = ctx.frame("survey_responses")
    scores = None
    if not survey.is_empty():
        # Practice means enter the model only: what is shown is one coefficient over at
        # least MIN_PRACTICES practices, so no practice's answers can be read from it.
        scores = practice_relationship_scores(survey, min_respondents=1)
        frames.append(scores.select("practice_code", *SURVEY_MEASURES))
    contacts = ctx.frame("contacts")
    if not contacts.is_empty():
        network = build_network(ctx.frame("professionals"), contacts, ctx.frame("events"))
        health = relationship_health(
            network.restricted(),
            relational_coordination=None if scores is None else frames[0],
            knowledge=None if scores is None else frames[0],
        )
        frames.append(
            health.select(
                "practice_code", "social_care_tie_strength", pl.col("score").alias("health_score")
            )
        )
    if not frames:
        raise NotAvailable(
            "Neither survey answers nor contacts are loaded, so there is nothing to link."
        )
    found = frames[0]
    for extra in frames[1:]:
        found = found.join(extra, on="practice_code", how="full", coalesce=True)
    return found


def practice_inputs(ctx: Context, found: pl.DataFrame | None) -> pl.DataFrame:
    """The model's panel without admissions: practices, lists, ``found`` measures, deprivation."""
    panel = practice_panel(
        ctx.frame("practices"),
        ctx.frame("registered_patients"),
        pl.DataFrame(schema={"practice_code": pl.String}),
        measures=found,
        deprivation=optional(ctx, "practice_deprivation"),
    )
    return panel.drop("admissions")


def outcome_counts(ctx: Context) -> dict[str, pl.DataFrame]:
    """Admissions per practice (``practice_code, admissions``) for each outcome loaded."""
    permanent = admissions(ctx).filter(pl.col("practice_code").is_not_null())
    counts = {
        "permanent": permanent.group_by("practice_code").agg(admissions=pl.len().cast(pl.Int64))
    }
    emergency = optional(ctx, "emergency_admissions")
    if emergency is not None:
        counts["emergency"] = emergency_counts(emergency)
    return counts


def emergency_counts(emergency: pl.DataFrame) -> pl.DataFrame:
    """Emergency admissions 65+ per practice (the council-wide ``ALL`` rows left out)."""
    return (
        emergency.filter(pl.col("practice_code").is_not_null() & (pl.col("practice_code") != "ALL"))
        .group_by("practice_code")
        .agg(admissions=pl.col("admissions_65_plus").sum().cast(pl.Int64))
    )


def models(inputs: pl.DataFrame, counts: dict[str, pl.DataFrame]) -> pl.DataFrame:
    """Every measure x outcome model over the practices of ``inputs``."""
    parts = []
    for key, found in counts.items():
        panel = inputs.join(found, on="practice_code", how="left").with_columns(
            pl.col("admissions").fill_null(0)
        )
        parts.append(linkage_table(panel).with_columns(outcome=pl.lit(OUTCOMES[key])))
    frame = pl.concat(parts, how="vertical_relaxed")
    return frame.with_columns(
        pl.col("rate_ratio", "lower", "upper").round(3),
        pl.col("p_value").round(4),
        shown=pl.coalesce("verdict", "reason"),
    )


def linkage_frame(ctx: Context) -> pl.DataFrame:
    """Every model for the councils in the context, from their loaded rows."""
    inputs = practice_inputs(ctx, measures(ctx))
    if ctx.la_codes:
        inputs = inputs.filter(pl.col("la_code").is_in(ctx.la_codes))
    return models(inputs, outcome_counts(ctx))


def council_models(ctx: Context) -> pl.DataFrame:
    """The council's models, kept until its data change."""
    if ctx.la_code is None:
        raise NotAvailable("Choose a council.")
    return ctx.cached("linkage_models", lambda: linkage_frame(ctx))
