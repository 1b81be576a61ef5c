"""Burt's effective size and efficiency against published, NetworkX and hand-computed values."""

from __future__ import annotations

import math
from datetime import date

import networkx as nx
import numpy as np
import polars as pl
import pytest

from careties.relations.network import (
    ProfessionalNetwork,
    effective_size,
    effective_size_from_adjacency,
)

# Borgatti (1997) "Structural holes: unpacking Burt's redundancy measures", Connections
# 20(1):35-38, the seven-node example (weights as in NetworkX's test suite, from UCINET).
BORGATTI_EDGES = [
    ("A", "B", 2), ("A", "F", 3), ("A", "G", 5), ("A", "E", 2), ("E", "G", 8),
    ("F", "G", 3), ("B", "G", 4), ("B", "D", 1), ("D", "G", 3), ("G", "C", 10),
]  # fmt: skip
# NetworkX's directed example (values computed with UCINET and igraph, its tests say).
DIRECTED_EDGES = [(0, 1, 2), (0, 2, 2), (1, 0, 1), (2, 1, 1)]


def _network(edges: list[tuple[str, str, float, int, int]]) -> ProfessionalNetwork:
    """Edges ``(a, b, strength, from_a, from_b)`` as a ProfessionalNetwork."""
    names = sorted({e[0] for e in edges} | {e[1] for e in edges})
    rows = []
    for a, b, w, fa, fb in edges:
        s, t, fs, ft = (a, b, fa, fb) if a < b else (b, a, fb, fa)
        rows.append((s, t, float(w), fs, ft))
    frame = pl.DataFrame(
        rows,
        schema={
            "source": pl.String,
            "target": pl.String,
            "strength": pl.Float64,
            "from_source": pl.UInt32,
            "from_target": pl.UInt32,
        },
        orient="row",
    )
    return ProfessionalNetwork(
        nodes=pl.DataFrame({"node_id": names, "la_code": "E06000001"}),
        edges=frame,
        level="person",
        as_of=date(2024, 1, 1),
        half_life_days=180,
    )


def _borgatti(weighted: bool) -> ProfessionalNetwork:
    return _network([(a, b, w if weighted else 1, 1, 0) for a, b, w in BORGATTI_EDGES])


def _values(frame: pl.DataFrame, column: str) -> dict[str, float]:
    return dict(frame.select("node_id", column).iter_rows())


def test_effective_size_published_borgatti_1997_unweighted() -> None:
    """Borgatti 1997: G 4.67, A 2.50, C 1 (n - 2t/n: G has 6 contacts and 4 ties among
    them, 6 - 8/6; A has 4 contacts and 3 ties among them, 4 - 6/4)."""
    out = effective_size(_borgatti(False), weight=None)
    size = _values(out, "effective_size")
    assert size["G"] == pytest.approx(6 - 8 / 6)
    assert size["A"] == pytest.approx(2.5)
    assert size["C"] == pytest.approx(1.0)
    eff = _values(out, "efficiency")
    assert eff["G"] == pytest.approx((6 - 8 / 6) / 6)
    assert eff["A"] == pytest.approx(2.5 / 4)
    assert eff["C"] == pytest.approx(1.0)


def test_effective_size_published_borgatti_1997_weighted() -> None:
    """The same network with its published weights: UCINET gives G 5.47, A 2.47, C 1."""
    size = _values(effective_size(_borgatti(True)), "effective_size")
    assert size["G"] == pytest.approx(5.47, abs=1e-2)
    assert size["A"] == pytest.approx(2.47, abs=1e-2)
    assert size["C"] == pytest.approx(1.0)


def test_effective_size_published_directed_plain_and_weighted() -> None:
    """NetworkX's directed example (UCINET/igraph values): plain 1.167, 1.167, 1; with
    weights 1.567, 1.083, 1."""
    plain = np.zeros((3, 3))
    weighted = np.zeros((3, 3))
    for u, v, w in DIRECTED_EDGES:
        plain[u, v] = 1
        weighted[u, v] = w
    size, contacts = effective_size_from_adjacency(plain)
    assert size == pytest.approx([1.167, 1.167, 1.0], abs=1e-3)
    assert contacts.tolist() == [2, 2, 2]
    size, _ = effective_size_from_adjacency(weighted)
    assert size == pytest.approx([1.567, 1.083, 1.0], abs=1e-3)


def test_directed_from_a_professional_network_uses_who_contacted_whom() -> None:
    """The same directed example as a network: 0-1 both ways, 0->2 and 2->1 one way."""
    net = _network([("0", "1", 1, 1, 1), ("0", "2", 1, 1, 0), ("1", "2", 1, 0, 1)])
    plain = _values(effective_size(net, weight=None, direction="directed"), "effective_size")
    assert plain["0"] == pytest.approx(1.167, abs=1e-3)
    assert plain["1"] == pytest.approx(1.167, abs=1e-3)
    assert plain["2"] == pytest.approx(1.0, abs=1e-3)


def test_effective_size_hand_computed_star_triangle_and_isolate() -> None:
    # Star: four contacts, none tied to another: all non-redundant; efficiency 1.
    star = _network([("c", leaf, 1, 1, 0) for leaf in "wxyz"])
    out = effective_size(star, weight=None)
    assert _values(out, "effective_size")["c"] == pytest.approx(4.0)
    assert _values(out, "efficiency")["c"] == pytest.approx(1.0)
    # Triangle: 2 contacts tied to each other: 2 - 2*1/2 = 1, efficiency 1/2.
    tri = _network(
        [("a", "b", 1, 1, 0), ("a", "c", 1, 1, 0), ("b", "c", 1, 1, 0), ("d", "e", 0, 0, 0)]
    )
    tri = ProfessionalNetwork(
        nodes=pl.DataFrame({"node_id": ["a", "b", "c", "lonely"], "la_code": "E06000001"}),
        edges=tri.edges.filter(pl.col("source") != "d"),
        level="person",
        as_of=date(2024, 1, 1),
        half_life_days=180,
    )
    out = effective_size(tri, weight=None)
    assert _values(out, "effective_size")["a"] == pytest.approx(1.0)
    assert _values(out, "efficiency")["a"] == pytest.approx(0.5)
    assert math.isnan(_values(out, "effective_size")["lonely"])
    assert math.isnan(_values(out, "efficiency")["lonely"])
    # Weighted by hand: ego e with contacts a (weight 3) and b (weight 1), a-b weight 2.
    # p_ea = 3/4, p_eb = 1/4; m_ab = 2/max(3, 2) = 2/3, m_ba = 2/max(1, 2) = 1.
    # e = (1 - p_eb m_ab) + (1 - p_ea m_ba) = (1 - 1/6) + (1 - 3/4) = 13/12.
    hand = _network([("e", "a", 3, 1, 0), ("e", "b", 1, 1, 0), ("a", "b", 2, 1, 0)])
    assert _values(effective_size(hand), "effective_size")["e"] == pytest.approx(13 / 12)


@pytest.mark.parametrize("seed", [1, 2, 3])
def test_effective_size_matches_networkx_given_nodes(seed: int) -> None:
    """Random weighted graphs against ``networkx.effective_size(G, nodes=..., weight=...)``.

    NetworkX is called with ``nodes`` given: its sparse short-cut (``nodes=None``) gives
    different weighted values in NetworkX 3.6."""
    rng = np.random.default_rng(seed)
    graph = nx.gnp_random_graph(40, 0.12, seed=seed)
    graph.add_node(99)  # an isolate
    for u, v in graph.edges:
        graph[u][v]["weight"] = float(rng.integers(1, 9))
    net = _network([(str(u), str(v), d["weight"], 1, 0) for u, v, d in graph.edges(data=True)])
    net = ProfessionalNetwork(
        nodes=pl.DataFrame({"node_id": [str(v) for v in graph], "la_code": "E06000001"}),
        edges=net.edges,
        level="person",
        as_of=date(2024, 1, 1),
        half_life_days=180,
    )
    nodes = list(graph)
    for weight, column in ((None, None), ("weight", "strength")):
        expected = nx.effective_size(graph, nodes=nodes, weight=weight)
        got = _values(effective_size(net, weight=column), "effective_size")
        for v in nodes:
            if math.isnan(expected[v]):
                assert math.isnan(got[str(v)])
            else:
                assert got[str(v)] == pytest.approx(expected[v], rel=1e-9), (weight, v)


def test_directed_networkx_agreement_on_random_digraph() -> None:
    rng = np.random.default_rng(7)
    graph = nx.gnp_random_graph(30, 0.15, seed=7, directed=True)
    for u, v in graph.edges:
        graph[u][v]["weight"] = float(rng.integers(1, 6))
    nodes = list(graph)
    matrix = nx.to_scipy_sparse_array(graph, nodelist=nodes, weight="weight")
    for weight in (None, "weight"):
        adj = matrix if weight else (matrix > 0).astype(float)
        got, _ = effective_size_from_adjacency(adj)
        expected = nx.effective_size(graph, nodes=nodes, weight=weight)
        assert got == pytest.approx([expected[v] for v in nodes], rel=1e-9, nan_ok=True)


def test_negative_weights_are_refused() -> None:
    with pytest.raises(ValueError, match="negative"):
        effective_size_from_adjacency(np.array([[0.0, -1.0], [-1.0, 0.0]]))
