"""Relationships: load the frames, build the network and its quarterly metrics, cache them.

The section builders of the relationships area (issue 20: builders load,
compute and cache; presenters in ``careties.web.presenters.relationships`` only
turn the results into tables and figures). The quarterly series is the
heaviest computation on the dashboard, so it is kept until the data change
(:meth:`Context.cached`); the rest is computed once per request
(:meth:`Context.memo`).
"""

from __future__ import annotations

import polars as pl

from careties.relations.network import ProfessionalNetwork, build_network, metrics_by_quarter
from careties.relations.network.timeseries import QuarterlyMetrics
from careties.relations.surveys import named_ties, practice_relationship_scores
from careties.web.presenters.base import Context, NotAvailable

__all__ = [
    "contacts",
    "named",
    "network",
    "practice_names",
    "practice_quarterly",
    "quarterly",
    "survey_scores",
    "ties_of",
]


def contacts(ctx: Context) -> pl.DataFrame:
    contacts = ctx.frame("contacts")
    if contacts.is_empty():
        raise NotAvailable("No contacts between professionals are loaded for this council yet.")
    return contacts


def named(ctx: Context) -> pl.DataFrame | None:
    """Ties named in answer to the network questions (personal survey links only)."""
    found = ctx.frame("survey_responses")
    if found.is_empty():
        return None
    return ctx.memo(
        "named_ties", lambda: named_ties(found, ctx.frame("professionals"), _wave_dates(ctx))
    )


def _wave_dates(ctx: Context) -> dict:
    """Each web survey wave's opening date, so that named ties date from their wave."""
    from careties.web.surveys.models import Wave

    councils = [ctx.la_code] if ctx.la_code else ctx.la_codes
    return dict(Wave.objects.filter(la_code__in=councils).values_list("name", "opens_on"))


def network(ctx: Context) -> ProfessionalNetwork:
    return ctx.memo(
        "network",
        lambda: build_network(
            ctx.frame("professionals"), contacts(ctx), ctx.frame("events"), named_ties=named(ctx)
        ),
    )


def survey_scores(ctx: Context) -> pl.DataFrame | None:
    found = ctx.frame("survey_responses")
    if found.is_empty():
        return None
    return ctx.memo("practice_scores", lambda: practice_relationship_scores(found))


def quarterly(ctx: Context) -> QuarterlyMetrics:
    def compute():
        scores = survey_scores(ctx)
        rc = knowledge = None
        if scores is not None:
            usable = scores.filter(~pl.col("suppressed"))
            rc = usable.select("practice_code", "rc_score")
            knowledge = usable.select("practice_code", "knowledge_share")
        return metrics_by_quarter(
            ctx.frame("professionals"),
            contacts(ctx),
            ctx.frame("events"),
            relational_coordination=rc,
            knowledge=knowledge,
        )

    return ctx.cached("quarterly_metrics", compute)


def ties_of(edges: pl.DataFrame, node: str, other: str) -> pl.DataFrame:
    """``node``'s organisation-level ties, the far end named ``other`` (edges are undirected)."""
    measures = ("strength", "frequency", "last_contact")
    return pl.concat(
        [
            edges.filter(pl.col("source") == node).select(pl.col("target").alias(other), *measures),
            edges.filter(pl.col("target") == node).select(pl.col("source").alias(other), *measures),
        ]
    )


def practice_names(ctx: Context) -> pl.DataFrame:
    return ctx.frame("practices").select("practice_code", pl.col("name").alias("practice_name"))


def practice_quarterly(ctx: Context) -> pl.DataFrame:
    practice = quarterly(ctx).practice.filter(pl.col("practice_code") == ctx.practice_code)
    if practice.is_empty():
        raise NotAvailable("No contacts are recorded for this practice yet.")
    return practice.sort("quarter_end")
