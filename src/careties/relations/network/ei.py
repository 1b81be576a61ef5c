"""Krackhardt and Stern's E-I index: how much of a group's ties cross its boundary.

Krackhardt, D. & Stern, R. N. (1988) "Informal networks and organizational crises: an
experimental simulation", Social Psychology Quarterly 51(2), 123-140:
``E-I = (EL - IL) / (EL + IL)`` with ``EL`` the ties between groups and ``IL`` the ties
within them; -1 when every tie stays inside a group, +1 when every tie crosses. Ties are
counted once each (undirected), without weights, as in UCINET's E-I procedure; ties with
an end outside ``groups`` and self-ties are ignored.
"""

from __future__ import annotations

from collections.abc import Mapping

import polars as pl

from careties.relations.network.graph import ProfessionalNetwork


def _labelled(edges: pl.DataFrame, groups: Mapping[str, str]) -> pl.DataFrame:
    if not {"source", "target"} <= set(edges.columns):
        raise ValueError("edges must have columns 'source' and 'target'.")
    lookup = pl.DataFrame(
        {"node": list(groups.keys()), "group": [str(g) for g in groups.values()]},
        schema={"node": pl.String, "group": pl.String},
    )
    return (
        edges.select(pl.col("source").cast(pl.String), pl.col("target").cast(pl.String))
        .filter(pl.col("source") != pl.col("target"))
        .join(lookup.rename({"node": "source", "group": "gs"}), on="source")
        .join(lookup.rename({"node": "target", "group": "gt"}), on="target")
    )


def ei_index(edges: pl.DataFrame, groups: Mapping[str, str]) -> float:
    """The whole-network E-I index (Krackhardt & Stern 1988); NaN when there are no ties."""
    labelled = _labelled(edges, groups)
    if labelled.height == 0:
        return float("nan")
    external = int((labelled["gs"] != labelled["gt"]).sum())
    internal = labelled.height - external
    return (external - internal) / (external + internal)


def ei_index_by_group(edges: pl.DataFrame, groups: Mapping[str, str]) -> pl.DataFrame:
    """The E-I index of each group (Krackhardt & Stern 1988; UCINET's group E-I).

    For group g, ``internal`` counts ties with both ends in g and ``external`` ties with one
    end in g. Columns ``group, internal, external, ei_index``; every group named in
    ``groups`` appears (a group with no ties has a null index).
    """
    labelled = _labelled(edges, groups)
    ends = pl.concat(
        [
            labelled.select(group=pl.col("gs"), external=pl.col("gs") != pl.col("gt")),
            labelled.filter(pl.col("gs") != pl.col("gt")).select(
                group=pl.col("gt"), external=pl.lit(True)
            ),
        ]
    )
    counts = ends.group_by("group").agg(
        internal=(~pl.col("external")).sum().cast(pl.Int64),
        external=pl.col("external").sum().cast(pl.Int64),
    )
    every = pl.DataFrame({"group": sorted({str(g) for g in groups.values()})})
    out = every.join(counts, on="group", how="left").with_columns(
        pl.col("internal").fill_null(0), pl.col("external").fill_null(0)
    )
    total = pl.col("internal") + pl.col("external")
    return out.with_columns(
        ei_index=pl.when(total > 0).then((pl.col("external") - pl.col("internal")) / total)
    ).sort("group")


def ei_index_for(network: ProfessionalNetwork, by: str = "agency") -> tuple[float, pl.DataFrame]:
    """E-I index of a network over a node column: ``organisation``, ``agency`` or ``la_code``.

    Returns the whole-network index and the per-group frame of :func:`ei_index_by_group`.
    """
    groups = dict(zip(network.nodes["node_id"].to_list(), network.nodes[by].to_list(), strict=True))
    return ei_index(network.edges, groups), ei_index_by_group(network.edges, groups)
