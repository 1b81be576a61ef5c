"""Louvain communities and modularity, against published and independently computed values."""

from __future__ import annotations

from datetime import date

import networkx as nx
import numpy as np
import polars as pl
import pytest

from careties.relations.network import (
    ProfessionalNetwork,
    communities,
    community_summary,
    louvain_labels,
    modularity,
)


def _network(graph: nx.Graph, agency: dict[str, str] | None = None) -> ProfessionalNetwork:
    names = [str(v) for v in graph]
    agency = agency or {}
    nodes = pl.DataFrame(
        {
            "node_id": names,
            "org_type": [
                "practice" if agency.get(v) == "health" else "social_care_team" for v in names
            ],
            "agency": [agency.get(v, "social_care") for v in names],
            "la_code": "E06000001",
        }
    )
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
        nodes=nodes, edges=edges, level="organisation", as_of=date(2024, 1, 1), half_life_days=180
    )


def test_karate_club_modularity_as_published() -> None:
    """Zachary's karate club: Louvain finds four communities with Q = 0.4188 (Blondel et al.
    2008 report 0.42; the optimum is 0.4198, Brandes et al. 2008, IEEE TKDE 20:172-188)."""
    graph = nx.karate_club_graph()
    adjacency = nx.to_scipy_sparse_array(graph, weight=None).astype(float)
    labels = louvain_labels(adjacency, seed=0)
    q = modularity(adjacency, labels)
    assert q == pytest.approx(0.4188, abs=5e-4)
    assert q <= 0.4198 + 1e-9
    # The two leaders (0, the instructor; 33, the administrator) end up apart.
    assert labels[0] != labels[33]


def test_modularity_matches_networkx_on_any_partition() -> None:
    rng = np.random.default_rng(3)
    graph = nx.gnp_random_graph(40, 0.15, seed=3)
    for u, v in graph.edges:
        graph[u][v]["weight"] = float(rng.integers(1, 5))
    adjacency = nx.to_scipy_sparse_array(graph, nodelist=list(graph), weight="weight")
    labels = rng.integers(0, 4, size=40)
    parts = [set(np.flatnonzero(labels == c).tolist()) for c in np.unique(labels)]
    for gamma in (1.0, 1.5):
        expected = nx.community.modularity(graph, parts, weight="weight", resolution=gamma)
        assert modularity(adjacency, labels, gamma) == pytest.approx(expected, rel=1e-9)


def test_two_planted_groups_are_found_and_summarised() -> None:
    """Two cliques of practices each with their own team, joined by one weak tie."""
    graph = nx.Graph()
    agency = {}
    for group in ("a", "b"):
        members = [f"{group}{i}" for i in range(5)]
        for i, u in enumerate(members):
            agency[u] = "health" if i < 4 else "social_care"
            for v in members[i + 1 :]:
                graph.add_edge(u, v, weight=3.0)
    graph.add_edge("a0", "b0", weight=0.2)
    graph.add_node("lonely")
    agency["lonely"] = "health"
    net = _network(graph, agency)
    membership = communities(net)
    community = dict(membership.select("node_id", "community").iter_rows())
    assert len({community[f"a{i}"] for i in range(5)}) == 1
    assert len({community[f"b{i}"] for i in range(5)}) == 1
    assert community["a0"] != community["b0"]
    assert community["lonely"] not in (community["a0"], community["b0"])
    assert sorted(membership["community"].unique().to_list()) == [1, 2, 3]
    summary, q = community_summary(net, membership)
    assert q > 0.4
    first = summary.filter(pl.col("community") == community["a0"]).row(0, named=True)
    assert first["nodes"] == 5 and first["practices"] == 4 and first["social_care_teams"] == 1
    assert first["spans_agencies"] is True
    assert first["internal_strength"] == pytest.approx(30.0)
    alone = summary.filter(pl.col("community") == community["lonely"]).row(0, named=True)
    assert alone["nodes"] == 1 and alone["spans_agencies"] is False


def test_same_seed_same_communities_and_empty_network() -> None:
    graph = nx.connected_caveman_graph(4, 5)
    net = _network(graph)
    assert communities(net, seed=4).equals(communities(net, seed=4))
    empty = _network(nx.empty_graph(3))
    assert communities(empty)["community"].n_unique() == 3
