"""Brokers and boundary spanners: betweenness centrality and Burt's constraint.

Betweenness is computed on the unweighted tie structure (who is tied to whom in the
window): tie weights are strengths, not distances, so a shortest path is one with the
fewest intermediaries.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import polars as pl
import rustworkx as rx
import scipy.sparse as sp
from scipy.sparse.csgraph import connected_components
from scipy.stats import spearmanr

from careties.relations.network.graph import ProfessionalNetwork

#: Above this many edge visits (sum over components of nodes x edges), ``sample="auto"``
#: switches from exact to sampled betweenness.
AUTO_EXACT_BUDGET = 3.0e8
AUTO_SAMPLE = 256
_BATCH = 64


def betweenness(
    network: ProfessionalNetwork,
    sample: int | str | None = None,
    seed: int = 0,
) -> pl.DataFrame:
    """Normalised betweenness centrality of every node (Freeman 1977).

    ``sample=None``: exact, Brandes' algorithm (2001, J. Math. Sociol. 25) in rustworkx,
    multithreaded. ``sample=k``: Brandes & Pich's (2007, "Centrality estimation in large
    networks", Int. J. Bifurcation and Chaos 17) pivot sampling: shortest-path dependencies
    from ``k`` uniformly drawn source nodes, scaled by ``n / k``; unbiased, with error
    falling as ``1 / sqrt(k)``. ``sample="auto"``: exact unless the graph is too large
    (:data:`AUTO_EXACT_BUDGET`, about 5 s), then ``k = 256``.

    Normalisation as NetworkX and rustworkx for undirected graphs: divided by
    ``(n - 1)(n - 2) / 2``. Columns: ``node_id, betweenness``.
    """
    n = network.nodes.height
    if sample == "auto":
        sample = None if _exact_cost(network) <= AUTO_EXACT_BUDGET else AUTO_SAMPLE
    if sample is None or (isinstance(sample, int) and sample >= n):
        values = _exact_by_component(network)
    else:
        values = sampled_betweenness(network.adjacency(weight=None), int(sample), seed)
    return pl.DataFrame({"node_id": network.node_ids, "betweenness": values})


def _exact_by_component(network: ProfessionalNetwork) -> np.ndarray:
    """Exact betweenness, one connected component at a time.

    Brandes' algorithm allocates per-source arrays the size of the whole graph, so on
    England's network (councils as near-separate components) running it per component
    turns O(n^2) set-up into the sum of the components' squares.
    """
    n = network.nodes.height
    values = np.zeros(n)
    if n < 3:
        return values
    graph = network.to_rustworkx(weight=None)
    for component in rx.connected_components(graph):
        if len(component) < 3:
            continue
        members = sorted(component)
        sub = graph.subgraph(members)
        scores = rx.graph_betweenness_centrality(sub, normalized=False)
        # Unnormalised undirected scores count each unordered pair once, as NetworkX.
        values[members] = [scores[i] for i in range(len(members))]
    return values / ((n - 1) * (n - 2) / 2.0)


def _exact_cost(network: ProfessionalNetwork) -> float:
    adjacency = network.adjacency(weight=None)
    _, labels = connected_components(adjacency, directed=False)
    sizes = np.bincount(labels)
    degree = np.diff(adjacency.indptr)
    edges = np.bincount(labels, weights=degree) / 2
    return float((sizes * edges).sum())


def sampled_betweenness(adjacency: sp.csr_array, sample: int, seed: int = 0) -> np.ndarray:
    """Pivot-sampled betweenness (Brandes & Pich 2007) on a symmetric 0/1 adjacency.

    The breadth-first searches run as sparse-matrix x dense-block products, one block of
    pivots at a time and one connected component at a time (the algebraic form of Brandes'
    algorithm, Kepner & Gilbert 2011, "Graph Algorithms in the Language of Linear
    Algebra", ch. 6), so the work stays in compiled SciPy code.
    """
    n = adjacency.shape[0]
    rng = np.random.default_rng(seed)
    pivots = rng.choice(n, size=min(sample, n), replace=False)
    _, labels = connected_components(adjacency, directed=False)
    totals = np.zeros(n)
    for label in np.unique(labels[pivots]):
        members = np.flatnonzero(labels == label)
        if members.size < 3:
            continue
        local = {v: i for i, v in enumerate(members)}
        sub = adjacency[members][:, members].tocsr().astype(np.float64)
        sub.data[:] = 1.0
        sources = np.array([local[p] for p in pivots[labels[pivots] == label]])
        for start in range(0, sources.size, _BATCH):
            totals[members] += _dependencies(sub, sources[start : start + _BATCH])
    scale = n / pivots.size
    # Each unordered pair is reached from both ends in the exact sum: halve for undirected.
    raw = totals * scale / 2.0
    norm = (n - 1) * (n - 2) / 2.0
    return raw / norm if norm > 0 else raw


def _dependencies(adjacency: sp.csr_array, sources: np.ndarray) -> np.ndarray:
    """Sum over ``sources`` of Brandes' dependency delta_s(v), for every node v."""
    n, b = adjacency.shape[0], sources.size
    cols = np.arange(b)
    sigma = np.zeros((n, b))
    depth = np.full((n, b), -1, dtype=np.int32)
    sigma[sources, cols] = 1.0
    depth[sources, cols] = 0
    frontier = sigma.copy()
    level = 0
    while True:
        reached = adjacency @ frontier
        reached[depth >= 0] = 0.0
        new = reached > 0
        if not new.any():
            break
        level += 1
        depth[new] = level
        sigma[new] = reached[new]
        frontier = np.where(new, reached, 0.0)
    delta = np.zeros((n, b))
    safe_sigma = np.where(sigma > 0, sigma, 1.0)
    for d in range(level - 1, 0, -1):
        spread = np.where(depth == d + 1, (1.0 + delta) / safe_sigma, 0.0)
        pulled = adjacency @ spread
        at_d = depth == d
        delta[at_d] += sigma[at_d] * pulled[at_d]
    return delta.sum(axis=1)


@dataclass(frozen=True)
class SamplingError:
    """Error of pivot-sampled betweenness against exact, on one (sub)network."""

    nodes: int
    edges: int
    sample: int
    spearman: float
    mean_absolute_error: float
    max_absolute_error: float
    top_decile_overlap: float


def betweenness_sampling_error(
    network: ProfessionalNetwork, sample: int, seed: int = 0
) -> SamplingError:
    """Compare sampled with exact betweenness on ``network`` (use a sub-network at scale).

    Reports Spearman's rank correlation, the mean and largest absolute error in normalised
    betweenness, and the share of the exact top 10% of brokers that the sample also puts in
    its top 10% (what the targeting list relies on).
    """
    exact = betweenness(network)["betweenness"].to_numpy()
    approx = betweenness(network, sample=sample, seed=seed)["betweenness"].to_numpy()
    k = max(1, int(np.ceil(0.1 * exact.size)))
    top_exact = set(np.argsort(-exact, kind="stable")[:k].tolist())
    top_approx = set(np.argsort(-approx, kind="stable")[:k].tolist())
    rho = spearmanr(exact, approx).statistic if exact.size > 2 else float("nan")
    return SamplingError(
        nodes=network.nodes.height,
        edges=network.edges.height,
        sample=sample,
        spearman=float(rho),
        mean_absolute_error=float(np.abs(exact - approx).mean()) if exact.size else 0.0,
        max_absolute_error=float(np.abs(exact - approx).max()) if exact.size else 0.0,
        top_decile_overlap=len(top_exact & top_approx) / k,
    )


def burt_constraint(
    network: ProfessionalNetwork, weight: str | None = "strength", chunk: int = 4096
) -> pl.DataFrame:
    """Burt's network constraint of every node (Burt 1992, *Structural Holes*, ch. 2).

    ``c_i = sum_{j in N(i)} (p_ij + sum_{q != i, j} p_iq p_qj) ** 2`` with ``p_ij`` the share
    of i's tie weight invested in j, ``w_ij / sum_k w_ik`` for an undirected network. Low
    constraint: contacts not tied to each other, a broker across structural holes; 1 for a
    node with a single contact. Isolated nodes get NaN (as ``networkx.constraint``).

    Vectorised: ``P = D^-1 W`` as a sparse matrix; the indirect term is ``(P @ P)_ij`` read
    only on i's neighbours, computed a block of rows at a time so that memory stays at the
    size of the two-step neighbourhoods of one block.
    """
    adjacency = network.adjacency(weight=weight)
    adjacency.setdiag(0)
    adjacency.eliminate_zeros()
    strength = np.asarray(adjacency.sum(axis=1)).ravel()
    inv = np.divide(1.0, strength, out=np.zeros_like(strength), where=strength > 0)
    p = sp.csr_array(sp.diags_array(inv) @ adjacency)
    mask = p.copy()
    mask.data[:] = 1.0
    n = p.shape[0]
    values = np.zeros(n)
    for start in range(0, n, chunk):
        rows = p[start : start + chunk]
        indirect = (rows @ p).multiply(mask[start : start + chunk])
        total = (rows + indirect).tocsr()
        values[start : start + chunk] = np.asarray(total.multiply(total).sum(axis=1)).ravel()
    values[strength == 0] = np.nan
    return pl.DataFrame({"node_id": network.node_ids, "constraint": values})
