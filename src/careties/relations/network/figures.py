"""The network drawn: an interactive Plotly figure for the dashboard, a PNG for reports.

Organisation level: practices, social care teams and the other organisations, each
coloured *and* shaped by its sector (colour-blind safe: Okabe-Ito colours, each at least
3:1 against white, and a different marker per sector), named on hover (and on the
drawing when there are few), sized by a measure the caller chooses; weak ties drawn thin
and dashed. Missing ties are not drawn (a page lists them): lines for what is absent
turn the drawing into a hairball. Layout: Fruchterman-Reingold (rustworkx
``spring_layout``), seeded so the picture is the same each time.
"""

from __future__ import annotations

import io
import json
from pathlib import Path

import numpy as np
import plotly.graph_objects as go
import polars as pl
import rustworkx as rx

from careties.relations.network.graph import ProfessionalNetwork
from careties.relations.network.isolation import weak_ties

#: Sector of an organisation: (label, colour, Plotly marker, matplotlib marker).
SECTORS: dict[str, tuple[str, str, str, str]] = {
    "gp": ("GP practices", "#0072b2", "circle", "o"),
    "social_care": ("Adult social care teams", "#d55e00", "square", "s"),
    "front_door": ("Social care front door", "#d55e00", "star", "*"),
    "community_health": ("Community and hospital health", "#009e73", "diamond", "D"),
    "voluntary": ("Voluntary and other organisations", "#cc79a7", "triangle-up", "^"),
}
TIE_COLOUR = "#4c6272"
LOST_COLOUR = "#d5281b"
#: At most this many organisations carry their name on the drawing (all have it on hover).
LABELLED_NODES = 40


def sector() -> pl.Expr:
    """Each organisation's sector (a :data:`SECTORS` key) from its ``org_type`` and agency."""
    return (
        pl.when(pl.col("org_type") == "practice")
        .then(pl.lit("gp"))
        .when(pl.col("org_type") == "social_care_front_door")
        .then(pl.lit("front_door"))
        .when(pl.col("agency") == "social_care")
        .then(pl.lit("social_care"))
        .when(pl.col("agency") == "health")
        .then(pl.lit("community_health"))
        .otherwise(pl.lit("voluntary"))
        .alias("sector")
    )


def _spring(names: list[str], weighted: list[tuple[int, int, float]], seed: int) -> np.ndarray:
    """Positions (n x 2) of ``names``; stronger ties pull closer (log-weighted)."""
    graph = rx.PyGraph()
    graph.add_nodes_from(names)
    graph.extend_from_weighted_edge_list(weighted)
    layout = rx.spring_layout(
        graph, seed=seed, weight_fn=lambda w: float(np.log1p(w)), num_iter=200
    )
    return np.array([layout[i] for i in range(len(names))]) if names else np.zeros((0, 2))


def _prepare(
    network: ProfessionalNetwork,
    la_code: str | None,
    size_by: pl.DataFrame | None,
    max_nodes: int,
    seed: int,
    labels: pl.DataFrame | None = None,
) -> tuple[pl.DataFrame, pl.DataFrame]:
    org = network.aggregate("organisation")
    if la_code is not None:
        org = org.council(la_code)
    if org.nodes.height > max_nodes:
        raise ValueError(
            f"{org.nodes.height} organisations is too many to draw legibly (at most {max_nodes}); "
            "draw one council at a time with la_code=..."
        )
    src, tgt = org.edge_indices()
    xy = _spring(
        org.node_ids,
        list(zip(src.tolist(), tgt.tolist(), org.edges["strength"].to_list(), strict=True)),
        seed,
    )
    nodes = org.nodes.with_columns(sector(), x=pl.Series(xy[:, 0]), y=pl.Series(xy[:, 1]))
    if size_by is not None:
        nodes = nodes.join(size_by.select("node_id", "influence"), on="node_id", how="left")
    else:
        strength = np.asarray(org.adjacency("strength").sum(axis=1)).ravel()
        nodes = nodes.with_columns(influence=pl.Series(strength))
    if labels is not None:
        nodes = nodes.join(labels.select("node_id", "label"), on="node_id", how="left")
    else:
        nodes = nodes.with_columns(label=pl.lit(None, dtype=pl.String))
    # Effective size is NaN for an organisation without ties: drawn smallest.
    nodes = nodes.with_columns(pl.col("influence").cast(pl.Float64).fill_nan(None).fill_null(0))
    top = nodes["influence"].max() or 1.0
    nodes = nodes.with_columns(
        pl.coalesce("label", "node_id").alias("label"),
        size=8 + 22 * (pl.col("influence").clip(0) / top).sqrt(),
    )
    weak = weak_ties(org, include_missing=False).select(
        source=pl.min_horizontal("practice_code", "team_code"),
        target=pl.max_horizontal("practice_code", "team_code"),
        weak=pl.lit(True),
    )
    coords = nodes.select("node_id", "x", "y")
    edges = (
        org.edges.select("source", "target", "strength")
        .join(weak, on=["source", "target"], how="left")
        .with_columns(pl.col("weak").fill_null(False))
        .join(coords.rename({"node_id": "source", "x": "x0", "y": "y0"}), on="source")
        .join(coords.rename({"node_id": "target", "x": "x1", "y": "y1"}), on="target")
    )
    return nodes, edges


def _line_trace(
    segments: list[tuple[float, float, float, float]], name: str, line: dict, **extra
) -> dict:
    xs: list[float | None] = []
    ys: list[float | None] = []
    for x0, y0, x1, y1 in segments:
        xs += [x0, x1, None]
        ys += [y0, y1, None]
    return {
        "type": "scatter",
        "x": xs,
        "y": ys,
        "mode": "lines",
        "name": name,
        "hoverinfo": "skip",
        "line": line,
        **extra,
    }


def _figure(traces: list[dict], title: str) -> dict:
    fig = go.Figure(data=traces)
    fig.update_layout(
        title={"text": title},
        showlegend=True,
        legend={"orientation": "h", "y": -0.02, "yanchor": "top"},
        xaxis={"visible": False},
        yaxis={"visible": False},
        plot_bgcolor="white",
        margin={"l": 10, "r": 10, "t": 40, "b": 10},
        height=560,
    )
    return json.loads(fig.to_json())


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
    max_nodes: int = 600,
    seed: int = 0,
    communities: pl.DataFrame | None = None,
    *,
    labels: pl.DataFrame | None = None,
    size_label: str = "total tie strength",
) -> dict:
    """A Plotly figure (as a JSON-serialisable dict) of one council's organisations.

    ``influence``: optional frame ``node_id, influence``, the measure node sizes follow
    (named ``size_label`` in the hover text); default, total tie strength. ``labels``:
    optional frame ``node_id, label`` (practice names, team names) shown instead of codes.
    ``communities``: optional frame ``node_id, community``
    (:func:`~careties.relations.network.communities`): each node's outline takes its
    community's colour and its hover text names the community. Traces: ties, weak ties,
    then one trace of organisations per sector (:data:`SECTORS`).
    """
    nodes, edges = _prepare(network, la_code, influence, max_nodes, seed, labels)
    if communities is not None:
        nodes = nodes.join(communities.select("node_id", "community"), on="node_id", how="left")
    else:
        nodes = nodes.with_columns(community=pl.lit(None, dtype=pl.Int64))
    segments = ("x0", "y0", "x1", "y1")
    traces = [
        _line_trace(
            edges.filter(~pl.col("weak")).select(segments).rows(),
            "Ties",
            {"color": TIE_COLOUR, "width": 1.2},
            opacity=0.5,
        ),
        _line_trace(
            edges.filter(pl.col("weak")).select(segments).rows(),
            "Weak ties",
            {"color": TIE_COLOUR, "width": 1, "dash": "dash"},
        ),
    ]
    named = nodes.height <= LABELLED_NODES
    for key, (name, colour, symbol, _) in SECTORS.items():
        group = nodes.filter(pl.col("sector") == key)
        if group.is_empty():
            continue
        rows = group.select(
            "label", pl.col("influence").fill_null(0), "community", "x", "y", "size"
        ).rows()
        traces.append(
            {
                "type": "scatter",
                "x": [r[3] for r in rows],
                "y": [r[4] for r in rows],
                "mode": "markers+text" if named else "markers",
                "name": name,
                "marker": {
                    "size": [r[5] for r in rows],
                    "color": colour,
                    "symbol": symbol,
                    "line": {
                        "color": [_community_colour(r[2]) for r in rows],
                        "width": [1 if r[2] is None else 3 for r in rows],
                    },
                },
                "text": [
                    f"{label} ({name}): {size_label} {value:,.2f}"
                    + ("" if community is None else f", community {community}")
                    for label, value, community, *_ in rows
                ],
                **(
                    {"texttemplate": [r[0] for r in rows], "textposition": "top center"}
                    if named
                    else {}
                ),
                "textfont": {"size": 11},
                "hoverinfo": "text",
            }
        )
    return _figure(traces, f"Professional network{f' – {la_code}' if la_code else ''}")


def network_png(
    network: ProfessionalNetwork,
    path: str | Path | None = None,
    la_code: str | None = None,
    influence: pl.DataFrame | None = None,
    max_nodes: int = 600,
    seed: int = 0,
    dpi: int = 150,
) -> bytes:
    """A static PNG of the same picture, for PDF reports (matplotlib, Agg backend).

    Returns the PNG bytes; writes them to ``path`` too if one is given (the caller, not the
    domain, decides where files go).
    """
    # matplotlib loads only for PNG reports, and its Agg backend must be chosen
    # before pyplot is imported, so neither can sit at the top of the module.
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt  # after use("Agg"): see above
    from matplotlib.lines import Line2D  # with pyplot, after the backend is chosen

    nodes, edges = _prepare(network, la_code, influence, max_nodes, seed)
    fig, ax = plt.subplots(figsize=(8, 8))
    for weak, style in ((False, {"alpha": 0.5}), (True, {"ls": "--"})):
        for x0, y0, x1, y1 in (
            edges.filter(pl.col("weak") == weak).select("x0", "y0", "x1", "y1").iter_rows()
        ):
            ax.plot([x0, x1], [y0, y1], zorder=1, color=TIE_COLOUR, lw=0.8, **style)
    handles = []
    for key, (name, colour, _, marker) in SECTORS.items():
        part = nodes.filter(pl.col("sector") == key)
        if part.height:
            ax.scatter(
                part["x"],
                part["y"],
                s=(part["size"] ** 2).to_numpy() / 2,
                c=colour,
                marker=marker,
                edgecolors="white",
                linewidths=0.5,
                zorder=2,
            )
            handles.append(Line2D([], [], marker=marker, ls="", color=colour, label=name))
    handles += [
        Line2D([], [], color=TIE_COLOUR, label="Tie"),
        Line2D([], [], color=TIE_COLOUR, ls="--", label="Weak tie"),
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
    "kept": ("Kept", {"color": TIE_COLOUR, "width": 1.2}),
    "gained": ("Gained", {"color": "#007f3b", "width": 2.5}),
    "lost": ("Lost", {"color": LOST_COLOUR, "width": 2, "dash": "dash"}),
}
#: The change drawing knows agencies only: each drawn in its main sector's colour.
AGENCY_SECTORS = {"health": "gp", "social_care": "social_care", "other": "voluntary"}
AGENCY_LABELS = {
    "health": "GP practices (health)",
    "social_care": "Social care teams",
    "other": "Other",
}


def network_change_figure(change: pl.DataFrame, title: str = "", seed: int = 0) -> dict:
    """The ties of two dates on one drawing (a Plotly dict): kept grey, gained green,
    lost red and dashed; organisations coloured by agency.

    ``change``: a :func:`~careties.relations.network.compare.ties_between_dates` frame
    (``source, target, strength_before, strength_after, status``, agencies optional).
    """
    names = sorted(set(change["source"].to_list()) | set(change["target"].to_list()))
    index = {name: i for i, name in enumerate(names)}
    weight = np.maximum(change["strength_before"].to_numpy(), change["strength_after"].to_numpy())
    positions = _spring(
        names,
        [
            (index[s], index[t], float(w))
            for s, t, w in zip(change["source"], change["target"], weight, strict=True)
        ],
        seed,
    )
    xy = {name: positions[i] for name, i in index.items()}
    traces = [
        _line_trace(
            [
                (xy[s][0], xy[s][1], xy[t][0], xy[t][1])
                for s, t in change.filter(pl.col("status") == status)
                .select("source", "target")
                .iter_rows()
            ],
            name,
            line,
        )
        for status, (name, line) in CHANGE_STYLES.items()
    ]
    agency = {}
    if "source_agency" in change.columns:
        for side in ("source", "target"):
            agency.update(dict(change.select(side, f"{side}_agency").iter_rows()))
    for group, key in AGENCY_SECTORS.items():
        members = (
            [n for n in names if (agency.get(n) or "other") == group]
            if agency
            else (names if group == "other" else [])
        )
        if not members:
            continue
        _, colour, symbol, _ = SECTORS[key]
        traces.append(
            {
                "type": "scatter",
                "x": [float(xy[n][0]) for n in members],
                "y": [float(xy[n][1]) for n in members],
                "mode": "markers",
                "name": AGENCY_LABELS[group],
                "marker": {
                    "size": 12,
                    "color": colour,
                    "symbol": symbol,
                    "line": {"color": "white", "width": 1},
                },
                "text": members,
                "hoverinfo": "text",
            }
        )
    return _figure(traces, title)
