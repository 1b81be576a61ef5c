"""The network drawn: an interactive Plotly figure for the dashboard, a PNG for reports.

Organisation level: practices and social care teams, coloured by agency, sized by
influence; weak ties drawn thin and dashed, missing ties (from :func:`weak_ties`) dotted
in red, so that what is absent is as visible as what is there. Layout: Fruchterman-
Reingold (rustworkx ``spring_layout``), seeded so the picture is the same each time.
"""

from __future__ import annotations

import io
import json
from pathlib import Path

import numpy as np
import polars as pl
import rustworkx as rx

from careties.relations.network.graph import ProfessionalNetwork
from careties.relations.network.isolation import weak_ties

#: NHS identity colours (accessible on white): health blue, social care purple.
AGENCY_COLOURS = {
    "health": "#005eb8",
    "social_care": "#330072",
    "other": "#768692",
}
MISSING_COLOUR = "#d5281b"
TIE_COLOUR = "#4c6272"
AGENCY_LABELS = {
    "health": "GP practices (health)",
    "social_care": "Social care teams",
    "other": "Other",
}


def _prepare(
    network: ProfessionalNetwork,
    la_code: str | None,
    size_by: pl.DataFrame | None,
    max_nodes: int,
    seed: int,
) -> tuple[pl.DataFrame, pl.DataFrame, pl.DataFrame]:
    org = network.aggregate("organisation")
    if la_code is not None:
        org = org.council(la_code)
    if org.nodes.height > max_nodes:
        raise ValueError(
            f"{org.nodes.height} organisations is too many to draw legibly (at most {max_nodes}); "
            "draw one council at a time with la_code=..."
        )
    gaps = weak_ties(org)
    graph = rx.PyGraph()
    graph.add_nodes_from(org.node_ids)
    src, tgt = org.edge_indices()
    graph.extend_from_weighted_edge_list(
        list(zip(src.tolist(), tgt.tolist(), org.edges["strength"].to_list(), strict=True))
    )
    layout = rx.spring_layout(
        graph, seed=seed, weight_fn=lambda w: float(np.log1p(w)), num_iter=200
    )
    xy = (
        np.array([layout[i] for i in range(org.nodes.height)])
        if org.nodes.height
        else np.zeros((0, 2))
    )
    nodes = org.nodes.with_columns(x=pl.Series(xy[:, 0]), y=pl.Series(xy[:, 1]))
    if size_by is not None:
        nodes = nodes.join(size_by.select("node_id", "influence"), on="node_id", how="left")
    else:
        strength = np.asarray(org.adjacency("strength").sum(axis=1)).ravel()
        nodes = nodes.with_columns(influence=pl.Series(strength))
    top = nodes["influence"].fill_null(0).max() or 1.0
    nodes = nodes.with_columns(size=8 + 22 * (pl.col("influence").fill_null(0) / top).sqrt())
    coords = nodes.select("node_id", "x", "y")
    weak_pairs = gaps.filter(pl.col("status") == "weak").select(
        source=pl.min_horizontal("practice_code", "team_code"),
        target=pl.max_horizontal("practice_code", "team_code"),
        weak=pl.lit(True),
    )
    edges = (
        org.edges.select("source", "target", "strength")
        .join(weak_pairs, on=["source", "target"], how="left")
        .with_columns(pl.col("weak").fill_null(False))
    )
    edges = _with_coords(edges, coords, "source", "target")
    missing = _with_coords(
        gaps.filter(pl.col("status") == "missing").select(
            source="practice_code", target="team_code"
        ),
        coords,
        "source",
        "target",
    )
    return nodes, edges, missing


def _with_coords(edges: pl.DataFrame, coords: pl.DataFrame, a: str, b: str) -> pl.DataFrame:
    return edges.join(coords.rename({"node_id": a, "x": "x0", "y": "y0"}), on=a).join(
        coords.rename({"node_id": b, "x": "x1", "y": "y1"}), on=b
    )


def _segments(edges: pl.DataFrame) -> tuple[list[float | None], list[float | None]]:
    xs: list[float | None] = []
    ys: list[float | None] = []
    for x0, y0, x1, y1 in edges.select("x0", "y0", "x1", "y1").iter_rows():
        xs += [x0, x1, None]
        ys += [y0, y1, None]
    return xs, ys


#: Outline colours for communities (Okabe-Ito, distinguishable with colour-blindness).
COMMUNITY_COLOURS = ("#e69f00", "#56b4e9", "#009e73", "#f0e442", "#0072b2", "#d55e00", "#cc79a7")


def _community_colour(community: int | None) -> str:
    if community is None:
        return "white"
    return COMMUNITY_COLOURS[(community - 1) % len(COMMUNITY_COLOURS)]


def network_figure(
    network: ProfessionalNetwork,
    la_code: str | None = None,
    influence: pl.DataFrame | None = None,
    show_missing: bool = True,
    max_nodes: int = 600,
    seed: int = 0,
    communities: pl.DataFrame | None = None,
) -> dict:
    """A Plotly figure (as a JSON-serialisable dict) of one council's organisations.

    ``influence``: optional frame ``node_id, influence`` (e.g. summed GP influence per
    practice) for node sizes; default, total tie strength. ``communities``: optional
    frame ``node_id, community`` (:func:`~careties.relations.network.communities`): each
    node's outline takes its community's colour and its hover text names the community.
    Traces: ties, weak ties, missing ties, then one trace of nodes per agency, with hover
    text naming each node.
    """
    import plotly.graph_objects as go

    nodes, edges, missing = _prepare(network, la_code, influence, max_nodes, seed)
    if communities is not None:
        nodes = nodes.join(communities.select("node_id", "community"), on="node_id", how="left")
    else:
        nodes = nodes.with_columns(community=pl.lit(None, dtype=pl.Int64))
    fig = go.Figure()
    strong = edges.filter(~pl.col("weak"))
    xs, ys = _segments(strong)
    fig.add_trace(
        go.Scatter(
            x=xs,
            y=ys,
            mode="lines",
            name="Ties",
            hoverinfo="skip",
            line={"color": TIE_COLOUR, "width": 1.2},
            opacity=0.5,
        )
    )
    xs, ys = _segments(edges.filter(pl.col("weak")))
    fig.add_trace(
        go.Scatter(
            x=xs,
            y=ys,
            mode="lines",
            name="Weak ties",
            hoverinfo="skip",
            line={"color": TIE_COLOUR, "width": 1, "dash": "dash"},
        )
    )
    if show_missing:
        xs, ys = _segments(missing)
        fig.add_trace(
            go.Scatter(
                x=xs,
                y=ys,
                mode="lines",
                name="Missing ties",
                hoverinfo="skip",
                line={"color": MISSING_COLOUR, "width": 0.8, "dash": "dot"},
                opacity=0.6,
            )
        )
    for agency, group in nodes.group_by("agency", maintain_order=True):
        agency = agency[0]
        fig.add_trace(
            go.Scatter(
                x=group["x"].to_list(),
                y=group["y"].to_list(),
                mode="markers",
                name=AGENCY_LABELS.get(agency, str(agency)),
                marker={
                    "size": group["size"].to_list(),
                    "color": AGENCY_COLOURS.get(agency, AGENCY_COLOURS["other"]),
                    "symbol": [
                        "circle" if t == "practice" else "square" for t in group["org_type"]
                    ],
                    "line": {
                        "color": [_community_colour(c) for c in group["community"]],
                        "width": [1 if c is None else 3 for c in group["community"]],
                    },
                },
                text=[
                    f"{node} ({kind.replace('_', ' ')}), influence {value:.2f}"
                    + ("" if community is None else f", community {community}")
                    for node, kind, value, community in group.select(
                        "node_id", "org_type", pl.col("influence").fill_null(0), "community"
                    ).iter_rows()
                ],
                hoverinfo="text",
            )
        )
    fig.update_layout(
        title={"text": f"Professional network{f' – {la_code}' if la_code else ''}"},
        showlegend=True,
        xaxis={"visible": False},
        yaxis={"visible": False},
        plot_bgcolor="white",
        margin={"l": 10, "r": 10, "t": 40, "b": 10},
    )
    return json.loads(fig.to_json())


def network_png(
    network: ProfessionalNetwork,
    path: str | Path | None = None,
    la_code: str | None = None,
    influence: pl.DataFrame | None = None,
    show_missing: bool = True,
    max_nodes: int = 600,
    seed: int = 0,
    dpi: int = 150,
) -> bytes:
    """A static PNG of the same picture, for PDF reports (matplotlib, Agg backend).

    Returns the PNG bytes; writes them to ``path`` too if one is given (the caller, not the
    domain, decides where files go).
    """
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt
    from matplotlib.lines import Line2D

    nodes, edges, missing = _prepare(network, la_code, influence, max_nodes, seed)
    fig, ax = plt.subplots(figsize=(8, 8))
    for frame, style in (
        (edges.filter(~pl.col("weak")), {"color": TIE_COLOUR, "lw": 0.8, "alpha": 0.5}),
        (edges.filter(pl.col("weak")), {"color": TIE_COLOUR, "lw": 0.8, "ls": "--"}),
        (
            missing if show_missing else missing.head(0),
            {"color": MISSING_COLOUR, "lw": 0.5, "ls": ":", "alpha": 0.6},
        ),
    ):
        for x0, y0, x1, y1 in frame.select("x0", "y0", "x1", "y1").iter_rows():
            ax.plot([x0, x1], [y0, y1], zorder=1, **style)
    for agency, group in nodes.group_by("agency", maintain_order=True):
        agency = agency[0]
        for org_type, marker in (("practice", "o"), (None, "s")):
            part = group.filter(
                pl.col("org_type") == "practice" if org_type else pl.col("org_type") != "practice"
            )
            if part.height:
                ax.scatter(
                    part["x"],
                    part["y"],
                    s=(part["size"] ** 2).to_numpy() / 2,
                    c=AGENCY_COLOURS.get(agency, AGENCY_COLOURS["other"]),
                    marker=marker,
                    edgecolors="white",
                    linewidths=0.5,
                    zorder=2,
                )
    handles = [
        Line2D([], [], marker="o", ls="", color=AGENCY_COLOURS["health"], label="GP practice"),
        Line2D(
            [], [], marker="s", ls="", color=AGENCY_COLOURS["social_care"], label="Social care team"
        ),
        Line2D([], [], color=TIE_COLOUR, label="Tie"),
        Line2D([], [], color=TIE_COLOUR, ls="--", label="Weak tie"),
        Line2D([], [], color=MISSING_COLOUR, ls=":", label="Missing tie"),
    ]
    ax.legend(handles=handles, loc="lower left", frameon=False, fontsize=8)
    ax.set_axis_off()
    ax.set_title(f"Professional network{f' – {la_code}' if la_code else ''}")
    buffer = io.BytesIO()
    fig.savefig(buffer, format="png", dpi=dpi, bbox_inches="tight")
    plt.close(fig)
    data = buffer.getvalue()
    if path is not None:
        Path(path).write_bytes(data)
    return data


#: How each kind of change between two dates is drawn.
CHANGE_STYLES = {
    "kept": {"name": "Kept", "line": {"color": TIE_COLOUR, "width": 1.2}},
    "gained": {"name": "Gained", "line": {"color": "#007f3b", "width": 2.5}},
    "lost": {"name": "Lost", "line": {"color": MISSING_COLOUR, "width": 2, "dash": "dash"}},
}


def network_change_figure(change: pl.DataFrame, title: str = "", seed: int = 0) -> dict:
    """The ties of two dates on one drawing (a Plotly dict): kept grey, gained green,
    lost red and dashed; organisations coloured by agency.

    ``change``: a :func:`~careties.relations.network.compare.ties_between_dates` frame
    (``source, target, strength_before, strength_after, status``, agencies optional).
    """
    import plotly.graph_objects as go

    names = sorted(set(change["source"].to_list()) | set(change["target"].to_list()))
    index = {name: i for i, name in enumerate(names)}
    graph = rx.PyGraph()
    graph.add_nodes_from(names)
    weight = np.maximum(change["strength_before"].to_numpy(), change["strength_after"].to_numpy())
    graph.extend_from_weighted_edge_list(
        [
            (index[s], index[t], float(w))
            for s, t, w in zip(change["source"], change["target"], weight, strict=True)
        ]
    )
    layout = rx.spring_layout(
        graph, seed=seed, weight_fn=lambda w: float(np.log1p(w)), num_iter=200
    )
    xy = {name: layout[i] for name, i in index.items()}
    fig = go.Figure()
    for status, style in CHANGE_STYLES.items():
        xs: list[float | None] = []
        ys: list[float | None] = []
        for s, t in (
            change.filter(pl.col("status") == status).select("source", "target").iter_rows()
        ):
            xs += [xy[s][0], xy[t][0], None]
            ys += [xy[s][1], xy[t][1], None]
        fig.add_trace(go.Scatter(x=xs, y=ys, mode="lines", hoverinfo="skip", **style))
    agency = {}
    if "source_agency" in change.columns:
        for side in ("source", "target"):
            agency.update(dict(change.select(side, f"{side}_agency").iter_rows()))
    for group in ("health", "social_care", "other"):
        members = (
            [n for n in names if (agency.get(n) or "other") == group]
            if agency
            else (names if group == "other" else [])
        )
        if not members:
            continue
        fig.add_trace(
            go.Scatter(
                x=[xy[n][0] for n in members],
                y=[xy[n][1] for n in members],
                mode="markers",
                name=AGENCY_LABELS[group],
                marker={
                    "size": 12,
                    "color": AGENCY_COLOURS[group],
                    "line": {"color": "white", "width": 1},
                },
                text=members,
                hoverinfo="text",
            )
        )
    fig.update_layout(
        title={"text": title},
        showlegend=True,
        xaxis={"visible": False},
        yaxis={"visible": False},
        plot_bgcolor="white",
        margin={"l": 10, "r": 10, "t": 40, "b": 10},
    )
    return json.loads(fig.to_json())
