"""Isolated practices, weak and missing ties, health score, drops, influence, figures."""

from __future__ import annotations

import json
from datetime import date, timedelta

import polars as pl
import pytest

from careties.relations.network import (
    build_network,
    health_drops,
    influence,
    isolated_practices,
    metrics_by_quarter,
    network_figure,
    network_png,
    relationship_health,
    weak_ties,
)

LA = "E06000001"
AS_OF = date(2024, 12, 31)


def professionals() -> pl.DataFrame:
    rows = [
        ("g1", "gp", "A81001"), ("g2", "gp", "A81001"), ("g3", "gp", "B82002"),
        ("g4", "gp", "C83003"), ("s1", "social_worker", "TEAM-N"),
        ("s2", "social_worker", "TEAM-S"), ("s3", "care_navigator", "TEAM-S"),
    ]  # fmt: skip
    return pl.DataFrame(
        [(*r, LA) for r in rows],
        schema=["professional_id", "role", "organisation", "la_code"],
        orient="row",
    )


def contacts(rows: list[tuple]) -> pl.DataFrame:
    return pl.DataFrame(
        [(f"c{i}", d, a, b, ch, "case_discussion", 10) for i, (d, a, b, ch) in enumerate(rows)],
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


def world() -> pl.DataFrame:
    """A81001 well tied to both teams; B82002 tied once, long ago; C83003 only to GPs."""
    rows = []
    for k in range(12):
        day = AS_OF - timedelta(days=30 * k)
        rows += [(day, "g1", "s1", "phone"), (day, "s2", "g2", "meeting")]
    rows += [(date(2023, 6, 1), "g3", "s1", "email"), (AS_OF, "g4", "g1", "phone")]
    return contacts(rows)


def test_isolated_practices_within_window() -> None:
    isolated = isolated_practices(professionals(), world(), as_of=AS_OF, window_days=365)
    assert isolated["practice_code"].to_list() == ["B82002", "C83003"]
    b = isolated.row(0, named=True)
    assert b["last_social_care_contact"] == date(2023, 6, 1)
    assert b["days_since_social_care_contact"] == (AS_OF - date(2023, 6, 1)).days
    assert isolated.row(1, named=True)["last_social_care_contact"] is None
    # A longer window brings B82002 back in touch.
    longer = isolated_practices(professionals(), world(), as_of=AS_OF, window_days=800)
    assert longer["practice_code"].to_list() == ["C83003"]
    # A practice known only from the practices frame is isolated too.
    practices = pl.DataFrame({"practice_code": ["D84004"], "la_code": [LA]})
    withp = isolated_practices(professionals(), world(), AS_OF, practices=practices)
    assert "D84004" in withp["practice_code"].to_list()


def test_weak_and_missing_ties() -> None:
    net = build_network(professionals(), world(), as_of=AS_OF, level="organisation")
    gaps = weak_ties(net)
    status = {(r["practice_code"], r["team_code"]): r["status"] for r in gaps.iter_rows(named=True)}
    # 3 practices x 2 teams; A81001 tied to both (strong), B82002-TEAM-N weak (one old email).
    assert status == {
        ("B82002", "TEAM-N"): "weak",
        ("B82002", "TEAM-S"): "missing",
        ("C83003", "TEAM-N"): "missing",
        ("C83003", "TEAM-S"): "missing",
    }
    absolute = weak_ties(net, threshold=0.01, include_missing=False)
    assert absolute.height == 0


def test_relationship_health_components_and_renormalised_weights() -> None:
    net = build_network(professionals(), world(), as_of=AS_OF, level="organisation")
    rc = pl.DataFrame({"practice_code": ["A81001", "B82002"], "rc_score": [5.0, 3.0]})
    health = relationship_health(net, relational_coordination=rc, half_saturation=6.0)
    rows = {r["practice_code"]: r for r in health.iter_rows(named=True)}
    a = rows["A81001"]
    s = a["social_care_tie_strength"]
    assert a["network_ties"] == pytest.approx(s / (s + 6.0))
    assert a["relational_coordination"] == 1.0
    # Knowledge not collected: its weight shared out, 0.4 / 0.8 each.
    assert a["weight_relational_coordination"] == pytest.approx(0.5)
    assert a["weight_knowledge_of_services"] == 0.0
    assert a["not_available"] == "knowledge_of_services"
    assert a["score"] == pytest.approx(100 * (0.5 * 1.0 + 0.5 * a["network_ties"]))
    # C83003 has no survey and no ties: network ties alone, score 0.
    c = rows["C83003"]
    assert c["weight_network_ties"] == 1.0 and c["score"] == 0.0
    custom = relationship_health(net, rc, weights={"relational_coordination": 0.0})
    assert custom.filter(pl.col("practice_code") == "A81001")["weight_network_ties"][0] == 1.0


def test_metrics_by_quarter_and_health_drops_with_reason() -> None:
    # B82002's ties to social care stop after March 2024: its score drops.
    rows = []
    for k in range(24):
        day = date(2023, 1, 15) + timedelta(days=30 * k)
        rows += [(day, "g1", "s1", "phone"), (day, "s2", "g2", "meeting")]
        if day < date(2024, 3, 1):
            rows += [(day, "g3", "s2", "joint_visit")]
    c = contacts(rows)
    quarterly = metrics_by_quarter(professionals(), c, window_days=180, betweenness_sample=None)
    assert {"quarter", "quarter_end", "la_code", "ei_index_agency", "isolated_practices"} <= set(
        quarterly.council.columns
    )
    assert "E92000001" in quarterly.council["la_code"].to_list()
    drops = health_drops(quarterly.practice, min_drop=5.0)
    b = drops.filter(pl.col("practice_code") == "B82002")
    assert b.height >= 1
    assert b["main_component"][0] == "network_ties"
    assert "ties with social care fell" in b["reason"][0]
    assert quarterly.practice.filter(pl.col("practice_code") == "B82002")["isolated"].to_list()[-1]


def test_council_spc_on_a_metric() -> None:
    from careties.relations.network import council_spc

    rows = []
    for k in range(40):
        day = date(2022, 1, 15) + timedelta(days=30 * k)
        rows += [(day, "g1", "s1", "phone")] + [(day, "g3", "s2", "email")] * (k % 3)
    quarterly = metrics_by_quarter(professionals(), contacts(rows), window_days=90)
    chart = council_spc(quarterly.council, "mean_tie_strength")
    assert set(chart["la_code"]) == {LA, "E92000001"}
    assert chart.height == 2 * quarterly.council.filter(pl.col("la_code") == LA).height


def test_influence_ranks_the_best_connected_gp_first() -> None:
    net = build_network(professionals(), world(), as_of=AS_OF)
    events = pl.DataFrame(
        {
            "person_key": ["p1", "p2", "p2"],
            "professional_id": ["g1", "g1", "g1"],
        }
    )
    scores = influence(net, events=events, betweenness_sample=None)
    assert scores["professional_id"].to_list()[0] == "g1"
    g1 = scores.row(0, named=True)
    assert g1["degree"] == 2 and g1["patients_referred"] == 2 and g1["rank_in_council"] == 1
    assert set(scores["professional_id"]) == {"g1", "g2", "g3", "g4"}
    assert 0 < g1["influence_score"] <= 1


def test_figures_name_and_colour_by_sector_and_draw_no_missing_ties() -> None:
    net = build_network(professionals(), world(), as_of=AS_OF)
    labels = pl.DataFrame({"node_id": ["A81001"], "label": ["Castle Surgery"]})
    sizes = pl.DataFrame({"node_id": ["A81001", "TEAM-N"], "influence": [9.0, 1.0]})
    figure = network_figure(net, la_code=LA, influence=sizes, labels=labels, size_label="ties")
    json.dumps(figure)
    traces = {trace["name"]: trace for trace in figure["data"]}
    assert {"Ties", "Weak ties", "GP practices", "Adult social care teams"} <= set(traces)
    # Missing ties are listed on the page, not drawn.
    assert not any("issing" in name for name in traces)
    practices, teams = traces["GP practices"], traces["Adult social care teams"]
    # Colour and shape both tell the sectors apart (not colour alone).
    assert practices["marker"]["symbol"] != teams["marker"]["symbol"]
    assert practices["marker"]["color"] != teams["marker"]["color"]
    # Names, not codes, on the drawing (few organisations) and in the hover text.
    assert "Castle Surgery" in practices["texttemplate"]
    assert any(
        text.startswith("Castle Surgery (GP practices): ties 9.00") for text in practices["text"]
    )
    # Sizes follow the chosen measure: the largest practice is the one sized 9.
    biggest = practices["texttemplate"][
        practices["marker"]["size"].index(max(practices["marker"]["size"]))
    ]
    assert biggest == "Castle Surgery"
    png = network_png(net, la_code=LA)
    assert png[:8] == b"\x89PNG\r\n\x1a\n"


def test_sector_colours_keep_three_to_one_contrast_on_white() -> None:
    """WCAG 2.2 1.4.11 (non-text contrast): each sector's colour at least 3:1 against white."""
    from careties.relations.network.figures import SECTORS

    def luminance(colour: str) -> float:
        channels = [int(colour[i : i + 2], 16) / 255 for i in (1, 3, 5)]
        linear = [c / 12.92 if c <= 0.03928 else ((c + 0.055) / 1.055) ** 2.4 for c in channels]
        return 0.2126 * linear[0] + 0.7152 * linear[1] + 0.0722 * linear[2]

    for name, colour, _, _ in SECTORS.values():
        assert 1.05 / (luminance(colour) + 0.05) >= 3.0, name


def test_figure_names_each_nodes_community() -> None:
    from careties.relations.network import communities

    net = build_network(professionals(), world(), as_of=AS_OF)
    org = net.aggregate("organisation").council(LA)
    membership = communities(org)
    figure = network_figure(net, la_code=LA, communities=membership)
    json.dumps(figure)
    hover = [text for t in figure["data"] if "markers" in t["mode"] for text in t["text"]]
    assert hover and all(", community " in text for text in hover)
    plain = network_figure(net, la_code=LA)
    hover = [text for t in plain["data"] if "markers" in t["mode"] for text in t["text"]]
    assert not any("community" in text for text in hover)
