"""Metrics on small hand-computed graphs and on published worked examples."""

from __future__ import annotations

import math
from datetime import date

import networkx as nx
import numpy as np
import polars as pl
import pytest

from careties.relations.network import (
    ProfessionalNetwork,
    betweenness,
    betweenness_sampling_error,
    burt_constraint,
    ei_index,
    ei_index_by_group,
)


def network_from(graph: nx.Graph) -> ProfessionalNetwork:
    """A ProfessionalNetwork carrying a NetworkX graph's nodes and weighted edges."""
    nodes = pl.DataFrame({"node_id": [str(v) for v in graph], "la_code": "E06000001"})
    rows = [
        (min(str(u), str(v)), max(str(u), str(v)), float(d.get("weight", 1.0)))
        for u, v, d in graph.edges(data=True)
    ]
    edges = pl.DataFrame(
        rows,
        schema={"source": pl.String, "target": pl.String, "strength": pl.Float64},
        orient="row",
    )
    return ProfessionalNetwork(
        nodes=nodes, edges=edges, level="person", as_of=date(2024, 1, 1), half_life_days=180
    )


# --- E-I index ---------------------------------------------------------------------------


def test_ei_index_hand_computed() -> None:
    # Groups A = {a1, a2, a3}, B = {b1, b2}. Ties: a1-a2, a2-a3 internal to A, b1-b2
    # internal to B, a1-b1 external. EL = 1, IL = 3: E-I = (1 - 3) / 4 = -0.5.
    edges = pl.DataFrame({"source": ["a1", "a2", "b1", "a1"], "target": ["a2", "a3", "b2", "b1"]})
    groups = {"a1": "A", "a2": "A", "a3": "A", "b1": "B", "b2": "B"}
    assert ei_index(edges, groups) == pytest.approx(-0.5)
    by_group = {r["group"]: r for r in ei_index_by_group(edges, groups).iter_rows(named=True)}
    # A: IL 2, EL 1 -> -1/3; B: IL 1, EL 1 -> 0.
    assert (by_group["A"]["internal"], by_group["A"]["external"]) == (2, 1)
    assert by_group["A"]["ei_index"] == pytest.approx(-1 / 3)
    assert by_group["B"]["ei_index"] == pytest.approx(0.0)


def test_ei_index_bounds_and_empty() -> None:
    groups = {"x": "1", "y": "2", "z": "1"}
    assert ei_index(pl.DataFrame({"source": ["x"], "target": ["y"]}), groups) == 1.0
    assert ei_index(pl.DataFrame({"source": ["x"], "target": ["z"]}), groups) == -1.0
    empty = pl.DataFrame(schema={"source": pl.String, "target": pl.String})
    assert math.isnan(ei_index(empty, groups))
    assert ei_index_by_group(empty, groups)["ei_index"].null_count() == 2


def test_ei_index_zachary_karate_club_factions() -> None:
    """Worked example on a published data set: Zachary (1977), "An information flow model
    for conflict and fission in small groups", J. Anthropological Research 33, the 34
    members and 78 ties of the karate club, split by the faction each member joined
    (NetworkX's ``karate_club_graph`` ``club`` attribute). Counting by hand: 11 ties cross
    the split, 67 stay inside it (Mr Hi's faction 35, the Officer's 32), so Krackhardt and
    Stern's (1988) E-I = (11 - 67) / 78 = -0.718; per faction (11 - 35) / 46 = -0.522 and
    (11 - 32) / 43 = -0.488.
    """
    graph = nx.karate_club_graph()
    edges = pl.DataFrame(
        {"source": [str(u) for u, _ in graph.edges], "target": [str(v) for _, v in graph.edges]}
    )
    groups = {str(v): club for v, club in graph.nodes(data="club")}
    assert ei_index(edges, groups) == pytest.approx((11 - 67) / 78)
    by_group = {r["group"]: r for r in ei_index_by_group(edges, groups).iter_rows(named=True)}
    assert (by_group["Mr. Hi"]["internal"], by_group["Mr. Hi"]["external"]) == (35, 11)
    assert by_group["Mr. Hi"]["ei_index"] == pytest.approx(-24 / 46)
    assert by_group["Officer"]["ei_index"] == pytest.approx(-21 / 43)


# --- Burt's constraint -------------------------------------------------------------------

BORGATTI_EDGES = [
    ("A", "B", 2), ("A", "F", 3), ("A", "G", 5), ("A", "E", 2), ("E", "G", 8),
    ("F", "G", 3), ("B", "G", 4), ("B", "D", 1), ("D", "G", 3), ("G", "C", 10),
]  # fmt: skip


def borgatti_graph(weighted: bool) -> nx.Graph:
    graph = nx.Graph()
    for u, v, w in BORGATTI_EDGES:
        graph.add_edge(u, v, weight=w if weighted else 1)
    return graph


def test_constraint_published_example_borgatti_1997() -> None:
    """Borgatti (1997), "Structural holes: unpacking Burt's redundancy measures",
    Connections 20(1): 35-38, the seven-node example; constraint values as UCINET reports
    them and as NetworkX's test suite checks them: G 0.400, A 0.595, C 1.000 unweighted;
    G 0.299, A 0.795, C 1.000 with the published tie weights."""
    unweighted = dict(burt_constraint(network_from(borgatti_graph(False))).iter_rows())
    assert unweighted["G"] == pytest.approx(0.400, abs=1e-3)
    assert unweighted["A"] == pytest.approx(0.595, abs=1e-3)
    assert unweighted["C"] == pytest.approx(1.0, abs=1e-3)
    weighted = dict(burt_constraint(network_from(borgatti_graph(True))).iter_rows())
    assert weighted["G"] == pytest.approx(0.299, abs=1e-3)
    assert weighted["A"] == pytest.approx(0.795, abs=1e-3)
    assert weighted["C"] == pytest.approx(1.0, abs=1e-3)


def test_constraint_hand_computed_star_and_triangle() -> None:
    # Star centre with 4 unconnected contacts: p = 1/4 each, no indirect paths: 4 / 16.
    star = dict(burt_constraint(network_from(nx.star_graph(4))).iter_rows())
    assert star["0"] == pytest.approx(0.25)
    assert star["1"] == pytest.approx(1.0)
    # Triangle: p = 1/2 direct + 1/2 * 1/2 indirect = 3/4, squared, twice: 9/8.
    triangle = dict(burt_constraint(network_from(nx.complete_graph(3))).iter_rows())
    assert triangle["0"] == pytest.approx(9 / 8)


def test_constraint_matches_networkx_on_random_weighted_graph() -> None:
    graph = nx.gnm_random_graph(80, 300, seed=3)
    rng = np.random.default_rng(3)
    for u, v in graph.edges:
        graph[u][v]["weight"] = float(rng.integers(1, 6))
    graph.add_node(999)  # an isolate: NaN, as in NetworkX
    ours = dict(burt_constraint(network_from(graph), chunk=7).iter_rows())
    theirs = nx.constraint(graph, weight="weight")
    for node, value in theirs.items():
        if math.isnan(value):
            assert math.isnan(ours[str(node)])
        else:
            assert ours[str(node)] == pytest.approx(value, rel=1e-9)


# --- Betweenness -------------------------------------------------------------------------


def test_betweenness_hand_computed_path() -> None:
    # Path a-b-c-d: b lies on a-c and a-d (2 of 3 pairs not involving it); normalised by
    # (n-1)(n-2)/2 = 3: 2/3.
    graph = nx.Graph([("a", "b"), ("b", "c"), ("c", "d")])
    scores = dict(betweenness(network_from(graph)).iter_rows())
    assert scores["b"] == pytest.approx(2 / 3) and scores["a"] == 0.0


def test_sampled_betweenness_with_every_pivot_is_exact() -> None:
    graph = nx.connected_watts_strogatz_graph(200, 6, 0.2, seed=1)
    graph.add_edges_from([(500, 501), (501, 502)])  # a second component
    net = network_from(graph)
    exact = betweenness(net)["betweenness"].to_numpy()
    reference = nx.betweenness_centrality(graph)
    assert np.allclose(exact, [reference[v] for v in graph])
    from careties.relations.network.brokerage import sampled_betweenness

    everything = sampled_betweenness(net.adjacency(weight=None), net.nodes.height, seed=0)
    assert np.allclose(everything, exact)


def test_sampled_betweenness_error_is_small() -> None:
    graph = nx.connected_watts_strogatz_graph(600, 8, 0.1, seed=2)
    error = betweenness_sampling_error(network_from(graph), sample=150, seed=0)
    assert error.spearman > 0.9
    assert error.top_decile_overlap > 0.6
    assert error.mean_absolute_error < 0.01
