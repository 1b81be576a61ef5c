"""Building the network: tie strength, decay, multiplexity, reciprocity, levels, referrals."""

from __future__ import annotations

from datetime import date

import polars as pl
import pytest

from careties.relations.network import (
    build_network,
    density_by_agency,
    reciprocity,
    tie_strength,
)

LA = "E06000001"


def professionals() -> pl.DataFrame:
    return pl.DataFrame(
        {
            "professional_id": ["g1", "g2", "s1", "s2"],
            "role": ["gp", "gp", "social_worker", "occupational_therapist"],
            "organisation": ["A81001", "A81001", "TEAM-N", "TEAM-N"],
            "la_code": [LA] * 4,
        }
    )


def contacts(rows: list[tuple]) -> pl.DataFrame:
    return pl.DataFrame(
        [(f"c{i}", *row, 10) for i, row in enumerate(rows)],
        schema={
            "contact_reference": pl.String,
            "contact_date": pl.Date,
            "from_professional": pl.String,
            "to_professional": pl.String,
            "channel": pl.String,
            "purpose": pl.String,
            "minutes": pl.Int64,
        },
        orient="row",
    )


AS_OF = date(2024, 12, 31)


def test_weight_is_decayed_channel_weighted_count() -> None:
    # One phone call today (weight 1.0) and one 180 days ago (half-life 180: 0.5).
    c = contacts(
        [
            (AS_OF, "g1", "s1", "phone", "case_discussion"),
            (date(2024, 7, 4), "s1", "g1", "phone", "case_discussion"),
        ]
    )
    net = build_network(professionals(), c, as_of=AS_OF, half_life_days=180)
    edge = net.edges.row(0, named=True)
    assert (edge["source"], edge["target"]) == ("g1", "s1")
    assert edge["frequency"] == 2
    assert edge["weight"] == pytest.approx(1.5)
    assert edge["recency_days"] == 0
    assert edge["multiplexity"] == 1
    assert edge["reciprocated"] and edge["reciprocity"] == 1.0
    assert edge["strength"] == pytest.approx(1.5)  # multiplexity 1: no bonus


def test_multiplexity_counts_kinds_and_raises_strength() -> None:
    c = contacts(
        [
            (AS_OF, "g1", "s1", "phone", "case_discussion"),
            (AS_OF, "g1", "s1", "email", "other"),
            (AS_OF, "g1", "s1", "joint_visit", "case_discussion"),
        ]
    )
    net = build_network(professionals(), c, as_of=AS_OF)
    edge = net.edges.row(0, named=True)
    assert edge["multiplexity"] == 3
    assert edge["weight"] == pytest.approx(1.0 + 0.5 + 1.5)
    assert edge["strength"] == pytest.approx(3.0 * (1 + 0.25 * 2))
    assert edge["from_source"] == 3 and edge["from_target"] == 0 and edge["reciprocity"] == 0.0
    strengths = tie_strength(net, multiplexity_bonus=0.0)
    assert strengths["strength"][0] == pytest.approx(3.0)


def test_window_and_as_of_exclude_contacts() -> None:
    c = contacts(
        [
            (date(2023, 1, 1), "g1", "s1", "phone", "other"),
            (date(2025, 1, 5), "g2", "s2", "phone", "other"),
            (date(2024, 6, 1), "g1", "s2", "phone", "other"),
        ]
    )
    net = build_network(professionals(), c, as_of=AS_OF, window_days=365)
    assert net.edges.select("source", "target").rows() == [("g1", "s2")]


def test_overall_reciprocity_matches_networkx() -> None:
    # g1<->s1 mutual, g2->s2 one way: 2 of 3 directed ties reciprocated.
    c = contacts(
        [
            (AS_OF, "g1", "s1", "phone", "other"),
            (AS_OF, "s1", "g1", "phone", "other"),
            (AS_OF, "g2", "s2", "phone", "other"),
        ]
    )
    net = build_network(professionals(), c, as_of=AS_OF)
    import networkx as nx

    d = nx.DiGraph([("g1", "s1"), ("s1", "g1"), ("g2", "s2")])
    assert reciprocity(net) == pytest.approx(nx.overall_reciprocity(d)) == pytest.approx(2 / 3)


def test_density_within_and_across_agencies() -> None:
    # Ties: g1-g2 (health), g1-s1, g2-s2 (across), none within social care.
    c = contacts(
        [
            (AS_OF, "g1", "g2", "meeting", "other"),
            (AS_OF, "g1", "s1", "phone", "other"),
            (AS_OF, "g2", "s2", "phone", "other"),
        ]
    )
    net = build_network(professionals(), c, as_of=AS_OF)
    d = {(r["group_a"], r["group_b"]): r for r in density_by_agency(net).iter_rows(named=True)}
    assert d[("health", "health")]["density"] == 1.0  # 1 of 1 possible
    assert d[("health", "social_care")]["density"] == 0.5  # 2 of 2 x 2
    assert d[("social_care", "social_care")]["density"] == 0.0


def test_organisation_level_aggregates_people_and_drops_internal_ties() -> None:
    c = contacts(
        [
            (AS_OF, "g1", "g2", "meeting", "other"),
            (AS_OF, "g1", "s1", "phone", "other"),
            (AS_OF, "s2", "g2", "email", "sign_posting"),
        ]
    )
    person = build_network(professionals(), c, as_of=AS_OF)
    org = person.aggregate("organisation")
    direct = build_network(professionals(), c, as_of=AS_OF, level="organisation")
    assert org.edges.equals(direct.edges)
    edge = org.edges.row(0, named=True)
    assert (edge["source"], edge["target"]) == ("A81001", "TEAM-N")
    assert edge["frequency"] == 2 and edge["multiplexity"] == 2
    assert edge["sign_postings"] == 1 and edge["contacts"] == 1
    assert edge["reciprocated"]
    nodes = {r["node_id"]: r for r in org.nodes.iter_rows(named=True)}
    assert nodes["A81001"]["org_type"] == "practice" and nodes["TEAM-N"]["agency"] == "social_care"
    assert nodes["TEAM-N"]["n_professionals"] == 2


def test_referral_events_tie_the_practice_to_its_link_team_or_front_door() -> None:
    profs = pl.concat(
        [
            professionals(),
            pl.DataFrame(
                {
                    "professional_id": ["g3"],
                    "role": ["gp"],
                    "organisation": ["B82002"],
                    "la_code": [LA],
                }
            ),
        ]
    )
    c = contacts([(AS_OF, "g1", "s1", "phone", "other")])
    events = pl.DataFrame(
        {
            "event_reference": ["e1", "e2"],
            "person_key": ["p1", "p2"],
            "age": [80, 82],
            "la_code": [LA, LA],
            "event_type": ["request", "request"],
            "start_date": [date(2024, 11, 1)] * 2,
            "end_date": [None, None],
            "service_type": [None, None],
            "route_of_access": ["community"] * 2,
            "practice_code": ["A81001", "B82002"],
            "professional_id": ["g2", "g3"],
            "event_outcome": [None, "NFA: Information and advice or signposting"],
        },
        schema_overrides={
            "end_date": pl.Date,
            "service_type": pl.String,
            "event_outcome": pl.String,
        },
    )
    org = build_network(profs, c, events, as_of=AS_OF, level="organisation")
    edges = {(r["source"], r["target"]): r for r in org.edges.iter_rows(named=True)}
    assert edges[("A81001", "TEAM-N")]["referrals"] == 1
    assert edges[("B82002", "FRONT-DOOR-" + LA)]["sign_postings"] == 1
    assert "FRONT-DOOR-" + LA in org.nodes["node_id"].to_list()


def test_survey_named_ties_are_a_layer() -> None:
    c = contacts([(AS_OF, "g1", "s1", "phone", "other")])
    named = pl.DataFrame({"from_professional": ["g1", "g2"], "to_professional": ["s1", "s2"]})
    net = build_network(professionals(), c, as_of=AS_OF, named_ties=named)
    edges = {(r["source"], r["target"]): r for r in net.edges.iter_rows(named=True)}
    assert edges[("g1", "s1")]["multiplexity"] == 2 and edges[("g1", "s1")]["survey_named"] == 1
    assert edges[("g2", "s2")]["weight"] == pytest.approx(2.0)


def test_rustworkx_graph_matches_edges() -> None:
    c = contacts([(AS_OF, "g1", "s1", "phone", "other"), (AS_OF, "g2", "s1", "email", "other")])
    net = build_network(professionals(), c, as_of=AS_OF)
    graph = net.to_rustworkx()
    assert graph.num_nodes() == 4 and graph.num_edges() == 2
    assert sorted(graph.edges()) == pytest.approx([0.5, 1.0])
