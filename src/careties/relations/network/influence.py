"""Influence of each GP: who reaches most colleagues and most patients' decisions.

Feeds the targeting list (careties.planning). Opinion leaders are best found by network
position (Valente 2012, "Network interventions", Science 337; Valente & Pumpuang 2007):

- ``degree``: distinct colleagues tied to (Freeman 1979, degree centrality);
- ``strength``: the sum of their tie strengths (Opsahl, Agneessens & Skvoretz 2010);
- ``eigenvector``: ties to well-tied colleagues (Bonacich 1987), computed within each
  council so councils of different size are comparable;
- ``betweenness``: the brokerage of :func:`betweenness` (Freeman 1977);
- ``patients_referred``: distinct people the GP referred to social care (from care
  events), the reach into patients' decisions.

``influence_score`` is the mean, over the measures available, of the GP's percentile rank
within its council (0-1), so no one measure's scale dominates; ``rank_in_council`` orders it.
"""

from __future__ import annotations

from datetime import timedelta

import numpy as np
import polars as pl
import rustworkx as rx
import scipy.sparse as sp
from scipy.sparse.linalg import eigsh

from careties.relations.network.brokerage import betweenness
from careties.relations.network.graph import ProfessionalNetwork

MEASURES = ("degree", "strength", "eigenvector", "betweenness", "patients_referred")


def _eigenvector_by_council(network: ProfessionalNetwork) -> np.ndarray:
    """Eigenvector centrality (max-normalised to 1) within each council's sub-graph."""
    adjacency = network.adjacency(weight="strength")
    councils = network.nodes["la_code"].fill_null("").to_numpy().astype(str)
    order = np.argsort(councils, kind="stable")
    ordered = sp.csr_array(adjacency[order][:, order])
    bounds = np.flatnonzero(np.r_[True, councils[order][1:] != councils[order][:-1], True])
    values = np.zeros(network.nodes.height)
    for lo, hi in zip(bounds[:-1], bounds[1:], strict=True):
        members = order[lo:hi]
        sub = ordered[lo:hi, lo:hi]
        if sub.nnz == 0:
            continue
        vector = _principal_vector(sub)
        top = vector.max()
        values[members] = vector / top if top > 0 else vector
    return values


def _principal_vector(sub: sp.csr_array) -> np.ndarray:
    size = sub.shape[0]
    if size <= 2:
        return np.asarray(sub.sum(axis=1)).ravel()
    # Shift by the identity so that bipartite blocks (GPs <-> teams) do not oscillate.
    shifted = sp.csr_array(sub + sp.identity(size, format="csr"))
    try:
        _, vectors = eigsh(shifted, k=1, which="LA", tol=1e-8, maxiter=5000)
        return np.abs(vectors[:, 0])
    except Exception:  # noqa: BLE001 - fall back to rustworkx's power iteration
        graph = rx.PyGraph()
        graph.add_nodes_from(range(size))
        coo = sp.triu(sub).tocoo()
        graph.extend_from_weighted_edge_list(
            list(zip(coo.row.tolist(), coo.col.tolist(), coo.data.tolist(), strict=True))
        )
        scores = rx.eigenvector_centrality(graph, weight_fn=float, max_iter=1000)
        return np.array([scores.get(i, 0.0) for i in range(size)])


def influence(
    network: ProfessionalNetwork,
    events: pl.DataFrame | None = None,
    roles: tuple[str, ...] = ("gp",),
    betweenness_sample: int | str | None = "auto",
    seed: int = 0,
    betweenness_scores: pl.DataFrame | None = None,
    window_days: int | None = 365,
) -> pl.DataFrame:
    """Influence measures and a combined score for each GP (person-level network).

    Columns: ``professional_id, practice_code, la_code, degree, strength, eigenvector,
    betweenness, patients_referred`` (null without ``events``), ``influence_score``,
    ``rank_in_council``; sorted by council and rank. Pass ``betweenness_scores`` (the frame
    of :func:`betweenness` for this network) to reuse scores already computed.
    ``patients_referred`` counts events in the ``window_days`` up to the network's date.
    """
    if network.level != "person":
        raise ValueError(
            "influence() needs a person-level network (build_network(level='person'))."
        )
    adjacency = network.adjacency(weight="strength")
    binary = network.adjacency(weight=None)
    nodes = network.nodes.select(
        professional_id=pl.col("node_id"),
        practice_code=pl.col("organisation"),
        la_code="la_code",
        role="role",
    ).with_columns(
        degree=pl.Series(np.diff(binary.indptr).astype(np.int64)),
        strength=pl.Series(np.asarray(adjacency.sum(axis=1)).ravel()),
        eigenvector=pl.Series(_eigenvector_by_council(network)),
        betweenness=(
            betweenness_scores
            if betweenness_scores is not None
            else betweenness(network, sample=betweenness_sample, seed=seed)
        )["betweenness"],
    )
    if events is not None:
        dated = events
        if "start_date" in events.columns:
            keep = pl.col("start_date") <= network.as_of
            if window_days is not None:
                keep &= pl.col("start_date") > network.as_of - timedelta(days=window_days)
            dated = events.filter(keep)
        referred = (
            dated.filter(pl.col("professional_id").is_not_null())
            .group_by(professional_id="professional_id")
            .agg(patients_referred=pl.col("person_key").n_unique().cast(pl.Int64))
        )
        nodes = nodes.join(referred, on="professional_id", how="left").with_columns(
            pl.col("patients_referred").fill_null(0)
        )
        measures = MEASURES
    else:
        nodes = nodes.with_columns(patients_referred=pl.lit(None, dtype=pl.Int64))
        measures = MEASURES[:-1]
    gps = nodes.filter(pl.col("role").is_in(list(roles)))
    ranks = [
        (pl.col(m).rank("average").over("la_code") / pl.len().over("la_code")).alias(f"_{m}")
        for m in measures
    ]
    gps = gps.with_columns(ranks).with_columns(
        influence_score=pl.mean_horizontal([f"_{m}" for m in measures])
    )
    gps = gps.with_columns(
        rank_in_council=pl.col("influence_score")
        .rank("ordinal", descending=True)
        .over("la_code")
        .cast(pl.Int64)
    )
    return gps.select(
        "professional_id",
        "practice_code",
        "la_code",
        *MEASURES,
        "influence_score",
        "rank_in_council",
    ).sort("la_code", "rank_in_council")
