"""Burt's effective size and efficiency: how many non-redundant contacts a professional has.

Constraint (:func:`careties.relations.network.brokerage.burt_constraint`) says how much a
node's ties lead back into one clique; effective size says how many *independent* contacts
it has, and efficiency the share of its contacts that are non-redundant. A GP whose social
care contacts all know each other has effective size near 1 however many of them there
are; a GP tied to three teams that do not talk to each other has effective size 3.

Burt (1992, *Structural Holes*, pp. 52-55)::

    e(i)  = sum_{j in N(i)} (1 - sum_{q in N(i), q != i, j} p_iq m_jq)
    p_iq  = (a_iq + a_qi) / sum_k (a_ik + a_ki)        (i's share of tie weight with q)
    m_jq  = (a_jq + a_qj) / max_k (a_jk + a_kj)        (j's tie to q relative to j's strongest)
    efficiency(i) = e(i) / |N(i)|

with ``N(i)`` the distinct contacts of ``i`` in either direction. For an unweighted,
undirected graph this equals Borgatti's (1997, "Structural holes: unpacking Burt's
redundancy measures", *Connections* 20(1):35-38) ``n - 2t / n`` (``n`` contacts, ``t`` ties
among them). The same formula as ``networkx.effective_size`` (which must be given ``nodes``
explicitly: without it NetworkX 3.6 takes a sparse short-cut whose weighted results differ),
computed here with sparse matrices a block of rows at a time so that it runs on England's
network.
"""

from __future__ import annotations

from typing import Literal

import numpy as np
import polars as pl
import scipy.sparse as sp

from careties.relations.network.graph import ProfessionalNetwork

Direction = Literal["undirected", "directed"]


def effective_size_from_adjacency(
    adjacency: sp.sparray | np.ndarray, chunk: int = 4096
) -> tuple[np.ndarray, np.ndarray]:
    """Burt's effective size and the number of distinct contacts, per row of ``adjacency``.

    ``adjacency[i, j]`` is the weight of the tie *from* i *to* j (0 for none); it need not
    be symmetric (a directed network) and may be 0/1 (an unweighted one). Self-ties are
    ignored. Returns ``(effective_size, contacts)``; effective size is NaN for a node with
    no contacts (as NetworkX).
    """
    a = sp.csr_array(adjacency, dtype=np.float64)
    a.setdiag(0)
    a.eliminate_zeros()
    mutual = sp.csr_array(a + a.T)
    if mutual.nnz and mutual.data.min() < 0:
        raise ValueError("Tie weights must not be negative")
    n = mutual.shape[0]
    total = np.asarray(mutual.sum(axis=1)).ravel()
    biggest = mutual.max(axis=1).toarray().ravel() if n else np.zeros(0)
    share = sp.csr_array(sp.diags_array(_safe_inverse(total)) @ mutual)  # p_iq
    relative = sp.csr_array(sp.diags_array(_safe_inverse(biggest)) @ mutual)  # m_jq
    relative_t = sp.csr_array(relative.T)
    mask = mutual.copy()
    mask.data[:] = 1.0
    contacts = np.diff(mask.indptr).astype(np.float64)
    redundancy = np.zeros(n)
    for start in range(0, n, chunk):
        stop = min(start + chunk, n)
        # r_ij = sum_q p_iq m_jq, read only where j is i's contact.
        block = (share[start:stop] @ relative_t).multiply(mask[start:stop])
        redundancy[start:stop] = np.asarray(block.sum(axis=1)).ravel()
    size = contacts - redundancy
    size[contacts == 0] = np.nan
    return size, contacts


def _safe_inverse(values: np.ndarray) -> np.ndarray:
    return np.divide(1.0, values, out=np.zeros_like(values), where=values > 0)


def directed_adjacency(
    network: ProfessionalNetwork, weight: str | None = "strength"
) -> sp.csr_array:
    """Tie weight from each node to each other, split by who made the contacts.

    An edge's ``from_source`` and ``from_target`` count the tie events made in each
    direction; the weight ``w`` goes ``w * from_source / frequency`` from source to target
    and the rest back. Unweighted (``weight=None``): 1 in each direction that has any
    tie event, so a one-way tie has mutual weight 1 and a two-way tie 2 (as NetworkX's
    directed effective size).
    """
    n = network.nodes.height
    src, tgt = network.edge_indices()
    forward = network.edges["from_source"].to_numpy().astype(float)
    backward = network.edges["from_target"].to_numpy().astype(float)
    if weight is None:
        w_fwd, w_back = (forward > 0).astype(float), (backward > 0).astype(float)
    else:
        w = network.edges[weight].to_numpy().astype(float)
        freq = np.maximum(forward + backward, 1.0)
        w_fwd, w_back = w * forward / freq, w * backward / freq
    rows = np.concatenate([src, tgt])
    cols = np.concatenate([tgt, src])
    vals = np.concatenate([w_fwd, w_back])
    keep = vals > 0
    return sp.csr_array((vals[keep], (rows[keep], cols[keep])), shape=(n, n))


def effective_size(
    network: ProfessionalNetwork,
    weight: str | None = "strength",
    direction: Direction = "undirected",
) -> pl.DataFrame:
    """Burt's effective size and efficiency of every node of ``network``.

    ``weight``: an edge column (``strength``, ``weight``, ``frequency``) or ``None`` for
    the plain (unweighted) measure. ``direction="directed"`` uses who contacted whom
    (:func:`directed_adjacency`); with weights the mutual weight of a pair is the same
    either way, so the directed and undirected weighted values agree, while the plain
    directed measure counts a reciprocated tie twice. Columns: ``node_id, contacts,
    effective_size, efficiency`` (NaN for a node with no contacts).
    """
    if direction == "directed":
        adjacency = directed_adjacency(network, weight)
    else:
        adjacency = network.adjacency(weight=weight)
    size, contacts = effective_size_from_adjacency(adjacency)
    with np.errstate(invalid="ignore", divide="ignore"):
        efficiency = np.where(contacts > 0, size / np.maximum(contacts, 1.0), np.nan)
    return pl.DataFrame(
        {
            "node_id": network.node_ids,
            "contacts": contacts.astype(np.int64),
            "effective_size": size,
            "efficiency": efficiency,
        }
    )
