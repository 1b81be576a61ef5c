"""Communities: groups of organisations (or people) who work more with each other than outside.

A council whose practices split into a community with one social care team and another
community with none shows where integration has not reached. Communities are found by
Louvain modularity optimisation (Blondel, Guillaume, Lambiotte & Lefebvre 2008, "Fast
unfolding of communities in large networks", J. Stat. Mech. P10008) as implemented by
scikit-network (BSD licence), on the weighted tie structure; the quality of a split is
Newman's modularity (Newman 2006, PNAS 103:8577-8582)::

    Q = 1 / (2m) * sum_ij (A_ij - gamma * k_i k_j / (2m)) * [c_i == c_j]

with ``gamma`` the resolution (1 is the classic modularity; higher gives smaller
communities). The search is seeded, so the same network gives the same communities.
"""

from __future__ import annotations

import numpy as np
import polars as pl
import scipy.sparse as sp
from sknetwork.clustering import Louvain

from careties.relations.network.graph import ProfessionalNetwork


def louvain_labels(
    adjacency: sp.sparray | np.ndarray, resolution: float = 1.0, seed: int = 0
) -> np.ndarray:
    """Community label (0 = largest) of each row of a symmetric, non-negative adjacency."""
    matrix = sp.csr_matrix(adjacency, dtype=np.float64)
    n = matrix.shape[0]
    if n == 0:
        return np.zeros(0, dtype=np.int64)
    if matrix.nnz == 0:
        return np.arange(n, dtype=np.int64)
    labels = Louvain(resolution=resolution, random_state=seed, sort_clusters=True).fit_predict(
        matrix
    )
    return np.asarray(labels, dtype=np.int64)


def modularity(
    adjacency: sp.sparray | np.ndarray, labels: np.ndarray, resolution: float = 1.0
) -> float:
    """Newman's modularity of a partition of an undirected weighted graph (NaN with no ties)."""
    matrix = sp.csr_array(adjacency, dtype=np.float64)
    degree = np.asarray(matrix.sum(axis=1)).ravel()
    two_m = degree.sum()
    if two_m == 0:
        return float("nan")
    labels = np.asarray(labels)
    coo = matrix.tocoo()
    inside = coo.data[labels[coo.row] == labels[coo.col]].sum()
    by_community = np.bincount(np.unique(labels, return_inverse=True)[1], weights=degree)
    return float(inside / two_m - resolution * np.sum((by_community / two_m) ** 2))


def communities(
    network: ProfessionalNetwork,
    weight: str | None = "strength",
    resolution: float = 1.0,
    seed: int = 0,
) -> pl.DataFrame:
    """Each node's Louvain community, numbered from 1 (the largest) within ``network``.

    An isolated node is a community of its own. Columns: ``node_id, community,
    community_size``. Use :func:`community_summary` for one row per community.
    """
    labels = louvain_labels(network.adjacency(weight=weight), resolution, seed)
    frame = pl.DataFrame(
        {"node_id": network.node_ids, "community": (labels + 1).astype(np.int64)},
        schema={"node_id": pl.String, "community": pl.Int64},
    )
    return frame.with_columns(community_size=pl.len().over("community").cast(pl.Int64))


def community_summary(
    network: ProfessionalNetwork, membership: pl.DataFrame, weight: str | None = "strength"
) -> tuple[pl.DataFrame, float]:
    """One row per community and the partition's modularity.

    Columns: ``community, nodes, practices, social_care_teams, agencies`` (the agencies
    present, comma-separated), ``internal_strength`` (tie weight inside the community) and
    ``spans_agencies`` (both health and social care are in it).
    """
    nodes = network.nodes.join(membership.select("node_id", "community"), on="node_id")
    index = network.index_of()
    community_of = dict(membership.select("node_id", "community").iter_rows())
    labels = np.array([community_of.get(v, 0) for v in index], dtype=np.int64)
    adjacency = network.adjacency(weight=weight)
    q = modularity(adjacency, labels)
    src, tgt = network.edge_indices()
    w = network.edges[weight].to_numpy() if weight else np.ones(len(src))
    same = labels[src] == labels[tgt] if len(src) else np.zeros(0, dtype=bool)
    internal = (
        pl.DataFrame({"community": labels[src][same], "w": w[same]})
        .group_by("community")
        .agg(internal_strength=pl.col("w").sum())
    )
    summary = (
        nodes.group_by("community")
        .agg(
            nodes=pl.len().cast(pl.Int64),
            practices=(pl.col("org_type") == "practice").sum().cast(pl.Int64),
            social_care_teams=(pl.col("org_type") == "social_care_team").sum().cast(pl.Int64),
            agencies=pl.col("agency").unique().sort().str.join(", "),
            spans_agencies=pl.col("agency").is_in(["health"]).any()
            & pl.col("agency").is_in(["social_care"]).any(),
        )
        .join(internal.cast({"community": pl.Int64}), on="community", how="left")
        .with_columns(pl.col("internal_strength").fill_null(0.0))
        .sort("community")
    )
    return summary, q
