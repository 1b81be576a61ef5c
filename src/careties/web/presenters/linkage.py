"""Relationships and admissions, linked: the council's practices, and the region's.

One row per relationship measure (relational coordination, tie strength with social care,
knowledge of services, the health score) and outcome (new permanent admissions 65+, and
emergency admissions 65+ where loaded): the rate ratio per standard deviation better
relationships from :func:`careties.relations.linkage.relationship_admissions`, its 95%
interval and the plain-words verdict. Only model results leave the server: no practice's
count is shown.
"""

from __future__ import annotations

import polars as pl

from careties.web import charts
from careties.web.disclosure import Disclosure
from careties.web.presenters.base import Column, Context, Draft, NotAvailable, section

OUTCOMES = {
    "permanent": "New permanent admissions 65+",
    "emergency": "Emergency admissions 65+",
}


def _optional(ctx: Context, kind: str) -> pl.DataFrame | None:
    """A kind this installation may not have (loaded by another part of careties)."""
    try:
        frame = ctx.frame(kind)
    except (KeyError, LookupError):
        return None
    return None if frame.is_empty() else frame


def _measures(ctx: Context) -> pl.DataFrame:
    from careties.relations.network import build_network, relationship_health
    from careties.relations.surveys import practice_relationship_scores

    frames = []
    survey = ctx.frame("survey_responses")
    scores = None
    if not survey.is_empty():
        # Practice means enter the model only: what is shown is one coefficient over at
        # least MIN_PRACTICES practices, so no practice's answers can be read from it.
        scores = practice_relationship_scores(survey, min_respondents=1)
        frames.append(scores.select("practice_code", "rc_score", "knowledge_share"))
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
    measures = frames[0]
    for extra in frames[1:]:
        measures = measures.join(extra, on="practice_code", how="full", coalesce=True)
    return measures


def linkage_frame(ctx: Context) -> pl.DataFrame:
    """Every measure x outcome model for the councils in the context."""
    from careties.referrals.admissions import new_admissions
    from careties.relations.linkage import linkage_table
    from careties.relations.linkage_panel import practice_panel

    measures = _measures(ctx)
    deprivation = _optional(ctx, "practice_deprivation")
    outcomes = {"permanent": (new_admissions(ctx.frame("events")), None)}
    emergency = _optional(ctx, "emergency_admissions")
    if emergency is not None:
        outcomes["emergency"] = (
            emergency.filter(pl.col("practice_code") != "ALL"),
            "admissions_65_plus",
        )
    parts = []
    for key, (counts, column) in outcomes.items():
        panel = practice_panel(
            ctx.frame("practices"),
            ctx.frame("registered_patients"),
            counts,
            measures=measures,
            deprivation=deprivation,
            count_column=column,
        )
        if ctx.la_codes:
            panel = panel.filter(pl.col("la_code").is_in(ctx.la_codes))
        table = linkage_table(panel)
        parts.append(table.with_columns(outcome=pl.lit(OUTCOMES[key])))
    frame = pl.concat(parts, how="vertical_relaxed")
    return frame.with_columns(
        pl.col("rate_ratio", "lower", "upper").round(3),
        pl.col("p_value").round(4),
        shown=pl.coalesce("verdict", "reason"),
    )


def _draft(frame: pl.DataFrame, where: str) -> Draft:
    fitted = frame.filter(pl.col("rate_ratio").is_not_null())
    if fitted.is_empty():
        reasons = "; ".join(sorted(set(frame["reason"].drop_nulls().to_list())))
        raise NotAvailable(f"No model could be fitted: {reasons}")

    def chart(shown: pl.DataFrame) -> dict:
        rows = shown.filter(pl.col("rate_ratio").is_not_null())
        labels = [f"{m} / {o}" for m, o in rows.select("measure_label", "outcome").iter_rows()]
        return charts.bar_chart(
            labels,
            {"Rate ratio": rows["rate_ratio"].to_list()},
            title=f"Admissions per older patient for one SD better relationships, {where}",
            value_title="Rate ratio (1 = no association)",
            errors={"Rate ratio": (rows["lower"].to_list(), rows["upper"].to_list())},
            reference=1.0,
            reference_label="No association",
        )

    return Draft(
        frame=frame,
        columns=[
            Column("outcome", "Admissions"),
            Column("measure_label", "Relationship measure"),
            Column("practices", "Practices", "count"),
            Column("rate_ratio", "Rate ratio per SD", "number", 2),
            Column("lower", "95% lower", "number", 2),
            Column("upper", "95% upper", "number", 2),
            Column("method", "Model"),
            Column("adjusted_for", "Adjusted for"),
            Column("shown", "What it says"),
        ],
        disclosure=Disclosure(level="council"),
        chart=chart,
        note="A count model across practices with each practice's 65+ list as exposure "
        "(negative binomial, or quasi-Poisson when there is no over-dispersion). A rate ratio "
        "below 1 means practices with better relationships admit fewer older patients. It is "
        "an association, not proof of cause.",
    )


@section("linkage", "Relationships and admissions, linked", "relationships")
def council_linkage(ctx: Context) -> Draft:
    if ctx.la_code is None:
        raise NotAvailable("Choose a council.")
    frame = ctx.cached("linkage_models", lambda: linkage_frame(ctx))
    return _draft(frame, "this council's practices")


@section("regional_linkage", "Relationships and admissions across the region", "regional")
def regional_linkage(ctx: Context) -> Draft:
    if not ctx.la_codes:
        raise NotAvailable("No councils are in your scope.")
    frame = ctx.cached("linkage_models_regional", lambda: linkage_frame(ctx))
    return _draft(frame, f"{len(ctx.la_codes)} councils' practices")
