"""The professional network as frames: nodes, edges, and the tie events they are made from.

Every source of a tie becomes one row of a long *tie events* frame (who, to whom, when,
which kind, which layer); the network's edges are that frame aggregated to unordered pairs,
either of professionals (``level="person"``) or of organisations (``level="organisation"``:
practices, social care teams). Keeping the events lets a person-level network be
re-aggregated to organisations exactly, multiplexity included.

Tie weight is a recency-weighted, channel-weighted count of contacts::

    weight(i, j) = sum over tie events e between i and j of
                   channel_weight[kind(e)] * 0.5 ** (age_days(e) / half_life_days)

an exponential forgetting curve: a contact ``half_life_days`` old counts half as much as
one today (the default, 180 days, follows the observation that ties not renewed within
about a year are reported as lapsed: Burt 2000, "Decay functions", Social Networks 22).

:func:`careties.relations.network.build.build_network` turns canonical frames into tie
events; this module holds the network type, its nodes and the aggregation of events into
edges (:func:`assemble`), which re-aggregation to organisations reuses.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from typing import Literal

import numpy as np
import polars as pl
import rustworkx as rx
import scipy.sparse as sp

from careties.data.codes import PRACTICE_CODE_PATTERN, ROLE_AGENCY

Level = Literal["person", "organisation"]

#: Relative intensity of one contact of each kind (tunable; documented in docs/network.md).
DEFAULT_CHANNEL_WEIGHTS: dict[str, float] = {
    "joint_visit": 1.5,
    "multidisciplinary_meeting": 1.5,
    "meeting": 1.25,
    "phone": 1.0,
    "email": 0.5,
    "training": 0.5,
    "referral": 1.0,
    "sign_posting": 0.75,
    "survey_named": 2.0,
}

#: Layers of ties (what the tie was for), counted separately on each edge.
LAYERS = ("contact", "referral", "sign_posting", "survey_named")

FRONT_DOOR_PREFIX = "FRONT-DOOR-"


class NetworkInputError(ValueError):
    """An input frame cannot be turned into a network; the message says which and why."""


EDGE_SCHEMA: dict[str, pl.DataType] = {
    "source": pl.String,
    "target": pl.String,
    "frequency": pl.UInt32,
    "weight": pl.Float64,
    "strength": pl.Float64,
    "last_contact": pl.Date,
    "recency_days": pl.Int64,
    "multiplexity": pl.UInt32,
    "from_source": pl.UInt32,
    "from_target": pl.UInt32,
    "reciprocity": pl.Float64,
    "reciprocated": pl.Boolean,
    "contacts": pl.UInt32,
    "referrals": pl.UInt32,
    "sign_postings": pl.UInt32,
    "survey_named": pl.UInt32,
}


@dataclass
class ProfessionalNetwork:
    """A professional network at one level, as Polars frames.

    ``nodes``: ``node_id, node_type, role, organisation, org_type, agency, la_code,
    n_professionals`` (``role`` null at organisation level).

    ``edges``: one row per unordered pair, ``source < target``, with columns
    ``EDGE_SCHEMA``: ``frequency`` (tie events), ``weight`` (recency- and channel-weighted),
    ``strength`` (weight with the multiplexity bonus, see :func:`tie_strength`),
    ``last_contact``, ``recency_days`` (days from ``last_contact`` to ``as_of``),
    ``multiplexity`` (distinct kinds of tie), ``from_source``/``from_target`` (directed
    counts), ``reciprocity`` (min/max of the two directions, 0..1), ``reciprocated``, and
    per-layer counts ``contacts, referrals, sign_postings, survey_named``.
    """

    nodes: pl.DataFrame
    edges: pl.DataFrame
    level: Level
    as_of: date
    half_life_days: float
    multiplexity_bonus: float = 0.25
    tie_events: pl.DataFrame = field(default=None, repr=False)  # type: ignore[assignment]
    _graph_cache: dict[str, rx.PyGraph] = field(default_factory=dict, repr=False)

    @property
    def node_ids(self) -> list[str]:
        return self.nodes["node_id"].to_list()

    def index_of(self) -> dict[str, int]:
        """Map ``node_id`` to its rustworkx / matrix index (the row order of ``nodes``)."""
        return {node_id: i for i, node_id in enumerate(self.nodes["node_id"].to_list())}

    def edge_indices(self) -> tuple[np.ndarray, np.ndarray]:
        """Row indices (into ``nodes``) of each edge's source and target, as NumPy arrays."""
        index = self.nodes.select("node_id").with_row_index("i")
        joined = self.edges.select("source", "target").join(
            index.rename({"node_id": "source", "i": "si"}), on="source", how="left"
        )
        joined = joined.join(
            index.rename({"node_id": "target", "i": "ti"}), on="target", how="left"
        )
        return joined["si"].to_numpy().astype(np.int64), joined["ti"].to_numpy().astype(np.int64)

    def to_rustworkx(self, weight: str | None = "strength") -> rx.PyGraph:
        """An undirected rustworkx graph: node payload ``node_id``, edge payload the weight.

        Node indices follow the row order of ``nodes``. ``weight=None`` gives payload 1.0.
        """
        key = weight or "_unit"
        if key not in self._graph_cache:
            graph = rx.PyGraph(multigraph=False)
            graph.add_nodes_from(self.node_ids)
            src, tgt = self.edge_indices()
            w = self.edges[weight].to_numpy() if weight else np.ones(len(src))
            graph.extend_from_weighted_edge_list(
                list(zip(src.tolist(), tgt.tolist(), w.tolist(), strict=True))
            )
            self._graph_cache[key] = graph
        return self._graph_cache[key]

    def adjacency(self, weight: str | None = "strength") -> sp.csr_array:
        """The symmetric (weighted) adjacency matrix as a SciPy CSR array."""
        n = self.nodes.height
        src, tgt = self.edge_indices()
        w = self.edges[weight].to_numpy().astype(float) if weight else np.ones(len(src))
        rows = np.concatenate([src, tgt])
        cols = np.concatenate([tgt, src])
        vals = np.concatenate([w, w])
        return sp.csr_array((vals, (rows, cols)), shape=(n, n))

    def subnetwork(self, node_ids: list[str] | pl.Series) -> ProfessionalNetwork:
        """The induced sub-network on ``node_ids`` (e.g. one council's professionals)."""
        keep = pl.Series(node_ids, dtype=pl.String).implode()
        return ProfessionalNetwork(
            nodes=self.nodes.filter(pl.col("node_id").is_in(keep)),
            edges=self.edges.filter(pl.col("source").is_in(keep) & pl.col("target").is_in(keep)),
            level=self.level,
            as_of=self.as_of,
            half_life_days=self.half_life_days,
            multiplexity_bonus=self.multiplexity_bonus,
            tie_events=None
            if self.tie_events is None
            else self.tie_events.filter(
                pl.col("from_node").is_in(keep) & pl.col("to_node").is_in(keep)
            ),
        )

    def restricted(self, origins: tuple[str, ...] = ("contact", "survey")) -> ProfessionalNetwork:
        """The network rebuilt from tie events of the given origins only: ``contact``
        (the contacts frame), ``event`` (referrals and sign-posting from care events),
        ``survey`` (named ties). Relationship measures use contacts and survey ties: a
        practice that refers often but never talks to social care is not well related."""
        if self.tie_events is None:
            raise NetworkInputError("This network was built without tie events to restrict.")
        events = self.tie_events.filter(pl.col("origin").is_in(list(origins)))
        return assemble(
            self.nodes, events, self.level, self.as_of, self.half_life_days, self.multiplexity_bonus
        )

    def council(self, la_code: str) -> ProfessionalNetwork:
        """The induced sub-network of one council's nodes."""
        return self.subnetwork(self.nodes.filter(pl.col("la_code") == la_code)["node_id"])

    def aggregate(self, level: Level = "organisation") -> ProfessionalNetwork:
        """The same network at organisation level (exact: re-aggregates the tie events)."""
        if level == self.level:
            return self
        if self.level == "organisation":
            raise NetworkInputError("An organisation-level network cannot be split into people.")
        org_of = dict(
            zip(self.nodes["node_id"].to_list(), self.nodes["organisation"].to_list(), strict=True)
        )
        events = self.tie_events.with_columns(
            pl.col("from_node").replace_strict(org_of, default=pl.col("from_node")),
            pl.col("to_node").replace_strict(org_of, default=pl.col("to_node")),
        )
        nodes = organisation_nodes(self.nodes)
        return assemble(
            nodes, events, "organisation", self.as_of, self.half_life_days, self.multiplexity_bonus
        )


def classify_organisation(organisation: str, agency: str | None) -> str:
    """``practice`` for an ODS practice code, else ``social_care_team``/``health_other``/``other``."""
    if organisation.startswith(FRONT_DOOR_PREFIX):
        return "social_care_front_door"
    if PRACTICE_CODE_PATTERN.match(organisation):
        return "practice"
    if agency == "social_care":
        return "social_care_team"
    if agency == "health":
        return "health_other"
    return "other"


def person_nodes(professionals: pl.DataFrame) -> pl.DataFrame:
    missing = {"professional_id", "role", "organisation", "la_code"} - set(professionals.columns)
    if missing:
        raise NetworkInputError(
            f"The professionals frame lacks column(s) {sorted(missing)}; see careties.data.frames."
        )
    people = professionals.unique("professional_id", keep="first", maintain_order=True)
    people = people.with_columns(
        agency=pl.col("role").replace_strict(ROLE_AGENCY, default="other"),
    )
    org_types = {
        org: classify_organisation(org, agency)
        for org, agency in _organisation_agency(people).iter_rows()
    }
    return people.select(
        node_id=pl.col("professional_id"),
        node_type=pl.lit("professional"),
        role=pl.col("role"),
        organisation=pl.col("organisation"),
        org_type=pl.col("organisation").replace_strict(org_types, default="other"),
        agency=pl.col("agency"),
        la_code=pl.col("la_code"),
        n_professionals=pl.lit(1, dtype=pl.UInt32),
    )


def _organisation_agency(people: pl.DataFrame) -> pl.DataFrame:
    """Each organisation's agency: health for practices, else the most common member agency."""
    mode = (
        people.group_by("organisation", "agency")
        .len()
        .sort(["organisation", "len", "agency"], descending=[False, True, False])
        .unique("organisation", keep="first")
    )
    return mode.select(
        "organisation",
        agency=pl.when(pl.col("organisation").str.contains(PRACTICE_CODE_PATTERN.pattern))
        .then(pl.lit("health"))
        .otherwise(pl.col("agency")),
    )


def organisation_nodes(person_nodes: pl.DataFrame) -> pl.DataFrame:
    agencies = _organisation_agency(person_nodes)
    counts = person_nodes.group_by("organisation").agg(
        la_code=pl.col("la_code").mode().sort().first(),
        n_professionals=pl.col("n_professionals").sum().cast(pl.UInt32),
        org_type=pl.col("org_type").first(),
    )
    nodes = counts.join(agencies, on="organisation", how="left").sort("organisation")
    return nodes.select(
        node_id=pl.col("organisation"),
        node_type=pl.lit("organisation"),
        role=pl.lit(None, dtype=pl.String),
        organisation=pl.col("organisation"),
        org_type=pl.col("org_type"),
        agency=pl.col("agency"),
        la_code=pl.col("la_code"),
        n_professionals=pl.col("n_professionals"),
    )


def assemble(
    nodes: pl.DataFrame,
    tie_events: pl.DataFrame,
    level: Level,
    as_of: date,
    half_life_days: float,
    multiplexity_bonus: float,
) -> ProfessionalNetwork:
    known = nodes["node_id"].implode()
    tie_events = tie_events.filter(
        pl.col("from_node").is_in(known)
        & pl.col("to_node").is_in(known)
        & (pl.col("from_node") != pl.col("to_node"))
    )
    if "channel_weight" not in tie_events.columns:
        tie_events = tie_events.with_columns(channel_weight=pl.lit(1.0))
    age = (pl.lit(as_of) - pl.col("when")).dt.total_days()
    a = pl.min_horizontal("from_node", "to_node")
    b = pl.max_horizontal("from_node", "to_node")
    edges = (
        tie_events.with_columns(
            source=a,
            target=b,
            forward=(pl.col("from_node") == a),
            decayed=pl.col("channel_weight") * (0.5 ** (age / half_life_days)),
        )
        .group_by("source", "target")
        .agg(
            frequency=pl.len().cast(pl.UInt32),
            weight=pl.col("decayed").sum(),
            last_contact=pl.col("when").max(),
            multiplexity=pl.col("kind").n_unique().cast(pl.UInt32),
            from_source=pl.col("forward").sum().cast(pl.UInt32),
            contacts=(pl.col("layer") == "contact").sum().cast(pl.UInt32),
            referrals=(pl.col("layer") == "referral").sum().cast(pl.UInt32),
            sign_postings=(pl.col("layer") == "sign_posting").sum().cast(pl.UInt32),
            survey_named=(pl.col("layer") == "survey_named").sum().cast(pl.UInt32),
        )
        .with_columns(from_target=(pl.col("frequency") - pl.col("from_source")).cast(pl.UInt32))
        .with_columns(
            recency_days=(pl.lit(as_of) - pl.col("last_contact")).dt.total_days(),
            reciprocity=(
                pl.min_horizontal("from_source", "from_target")
                / pl.max_horizontal("from_source", "from_target")
            ).cast(pl.Float64),
            reciprocated=(pl.col("from_source") > 0) & (pl.col("from_target") > 0),
            strength=pl.col("weight")
            * (1.0 + multiplexity_bonus * (pl.col("multiplexity").cast(pl.Float64) - 1.0)),
        )
        .sort("source", "target")
        .select(list(EDGE_SCHEMA))
    )
    edges = edges.cast(EDGE_SCHEMA)  # type: ignore[arg-type]
    return ProfessionalNetwork(
        nodes=nodes,
        edges=edges,
        level=level,
        as_of=as_of,
        half_life_days=half_life_days,
        multiplexity_bonus=multiplexity_bonus,
        tie_events=tie_events,
    )
