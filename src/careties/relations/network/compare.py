"""Two moments side by side: which ties were gained, lost or kept between two dates.

Polinode and Kumu show a network at two times; here the same comparison is a frame, one
row per pair tied at either date, so the dashboard can draw it and list it. Each date's
network covers the ``window_days`` before it (the default year matches the relationship
measures), so "lost" means no contact in the year before the later date.
"""

from __future__ import annotations

from datetime import date

import polars as pl

from careties.relations.network.build import build_network
from careties.relations.network.graph import Level, ProfessionalNetwork

STATUSES = ("gained", "lost", "kept")


def compare_networks(before: ProfessionalNetwork, after: ProfessionalNetwork) -> pl.DataFrame:
    """Ties of two networks (same level) matched by pair.

    Columns: ``source, target, strength_before, strength_after`` (0 when absent),
    ``change`` (after minus before) and ``status``: ``gained`` (tied only after),
    ``lost`` (only before) or ``kept``; sorted lost first, then gained, then by change.
    """
    if before.level != after.level:
        raise ValueError("Compare networks at the same level (person or organisation).")
    a = before.edges.select("source", "target", strength_before="strength")
    b = after.edges.select("source", "target", strength_after="strength")
    joined = a.join(b, on=["source", "target"], how="full", coalesce=True).with_columns(
        pl.col("strength_before", "strength_after").fill_null(0.0)
    )
    status = (
        pl.when(pl.col("strength_before") == 0)
        .then(pl.lit("gained"))
        .when(pl.col("strength_after") == 0)
        .then(pl.lit("lost"))
        .otherwise(pl.lit("kept"))
    )
    order = {"lost": 0, "gained": 1, "kept": 2}
    return (
        joined.with_columns(
            change=pl.col("strength_after") - pl.col("strength_before"), status=status
        )
        .with_columns(_order=pl.col("status").replace_strict(order, return_dtype=pl.Int64))
        .sort("_order", "change", "source", "target")
        .drop("_order")
    )


def ties_between_dates(
    professionals: pl.DataFrame,
    contacts: pl.DataFrame,
    before: date,
    after: date,
    events: pl.DataFrame | None = None,
    level: Level = "organisation",
    window_days: int = 365,
    named_ties: pl.DataFrame | None = None,
) -> pl.DataFrame:
    """:func:`compare_networks` of the networks at ``before`` and ``after`` (each over the
    ``window_days`` before its date), with ``source_agency``/``target_agency`` and
    ``la_code`` of the source for filtering to a council."""
    if not before < after:
        raise ValueError("The first date must be before the second.")
    networks = [
        build_network(
            professionals,
            contacts,
            events,
            as_of=when,
            level=level,
            window_days=window_days,
            named_ties=named_ties,
        )
        for when in (before, after)
    ]
    change = compare_networks(*networks)
    nodes = pl.concat([n.nodes for n in networks]).unique("node_id", keep="last")
    meta = nodes.select("node_id", "agency", "la_code", "org_type")
    return change.join(
        meta.rename({"node_id": "source", "agency": "source_agency", "org_type": "source_type"}),
        on="source",
        how="left",
    ).join(
        meta.select(
            pl.col("node_id").alias("target"),
            pl.col("agency").alias("target_agency"),
            pl.col("org_type").alias("target_type"),
        ),
        on="target",
        how="left",
    )


def change_summary(change: pl.DataFrame) -> dict[str, int]:
    """How many ties were gained, lost and kept."""
    counts = dict(change.group_by("status").len().iter_rows())
    return {status: int(counts.get(status, 0)) for status in STATUSES}
