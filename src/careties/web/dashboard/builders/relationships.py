"""Relationships: load the frames, build the network and its quarterly metrics, cache them.

The section builders of the relationships area (issue 20: builders load,
compute and cache; presenters in ``careties.web.presenters.relationships`` only
turn the results into tables and figures). The quarterly series is the
heaviest computation on the dashboard, so it is kept until the data change
(:meth:`Context.cached`); the rest is computed once per request
(:meth:`Context.memo`).
"""

from __future__ import annotations

from datetime import date

import polars as pl

from careties.relations.network import ProfessionalNetwork, build_network, metrics_by_quarter
from careties.relations.network.timeseries import QuarterlyMetrics, series_quarter_ends
from careties.relations.surveys import named_ties, practice_relationship_scores
from careties.web.presenters.base import Context, NotAvailable
from careties.web.surveys.models import Wave

#: The year every "now" relationship figure covers: the health score's window.
WINDOW_DAYS = 365

__all__ = [
    "contacts",
    "named",
    "network",
    "network_in_period",
    "period_end",
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
            window_days=WINDOW_DAYS,
            relational_coordination=rc,
            knowledge=knowledge,
            # The same sources as the ties a page lists beside the score.
            named_ties=named(ctx),
        )

    return ctx.cached("quarterly_metrics", compute)


def period_end(ctx: Context) -> date:
    """The date a page's relationship figures are read at: the last quarter end of the
    health score's series, so that a practice's score, its ties and the network drawing
    cover the same year (the last contact's date while the series has no quarter yet)."""

    def compute() -> date:
        ends = series_quarter_ends(contacts(ctx), window_days=WINDOW_DAYS)
        return ends[-1] if ends else contacts(ctx)["contact_date"].max()

    return ctx.memo("period_end", compute)


def network_in_period(ctx: Context) -> ProfessionalNetwork:
    """The network of the :data:`WINDOW_DAYS` to :func:`period_end`, from every source."""
    return ctx.memo(
        "network_in_period",
        lambda: build_network(
            ctx.frame("professionals"),
            contacts(ctx),
            ctx.frame("events"),
            as_of=period_end(ctx),
            window_days=WINDOW_DAYS,
            named_ties=named(ctx),
        ),
    )


def ties_of(network: ProfessionalNetwork, node: str, other: str) -> pl.DataFrame:
    """``node``'s organisation-level ties, the far end named ``other``.

    ``strength`` is what the health score sums (logged contacts and survey-named ties,
    recency-weighted); the sources are counted apart (``contacts``, ``named``,
    ``care_records``: referrals and sign-posting in the care events, which show how often
    a practice refers, not whether it works with social care, so the score leaves them
    out). Edges are undirected.
    """
    relating = network.restricted(("contact", "survey")).aggregate("organisation").edges
    strength = pl.concat(
        [
            relating.select(pl.col("target").alias(other), "strength").filter(
                relating["source"] == node
            ),
            relating.select(pl.col("source").alias(other), "strength").filter(
                relating["target"] == node
            ),
        ]
    )
    events = network.aggregate("organisation").tie_events
    far = pl.when(pl.col("from_node") == node).then("to_node").otherwise("from_node")
    counts = (
        events.filter((pl.col("from_node") == node) | (pl.col("to_node") == node))
        .group_by(far.alias(other))
        .agg(
            contacts=(pl.col("origin") == "contact").sum().cast(pl.Int64),
            named=(pl.col("origin") == "survey").sum().cast(pl.Int64),
            care_records=(pl.col("origin") == "event").sum().cast(pl.Int64),
            last_contact=pl.col("when").max(),
        )
    )
    return counts.join(strength, on=other, how="left").with_columns(
        pl.col("strength").fill_null(0.0)
    )


def practice_names(ctx: Context) -> pl.DataFrame:
    return ctx.frame("practices").select("practice_code", pl.col("name").alias("practice_name"))


def practice_quarterly(ctx: Context) -> pl.DataFrame:
    practice = quarterly(ctx).practice.filter(pl.col("practice_code") == ctx.practice_code)
    if practice.is_empty():
        raise NotAvailable("No contacts are recorded for this practice yet.")
    return practice.sort("quarter_end")
