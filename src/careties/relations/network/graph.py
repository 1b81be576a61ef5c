"""Build the professional network from contacts, referrals, sign-posting and survey-named ties.

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
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import date, timedelta
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

#: An event outcome that means the council sign-posted the person elsewhere (CLD wording).
SIGNPOSTING_OUTCOME = "signposting"

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
        return _assemble(
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
        nodes = _organisation_nodes(self.nodes)
        return _assemble(
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


def _person_nodes(professionals: pl.DataFrame) -> pl.DataFrame:
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


def _organisation_nodes(person_nodes: pl.DataFrame) -> pl.DataFrame:
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


def _contact_events(contacts: pl.DataFrame) -> pl.DataFrame:
    return contacts.select(
        from_node=pl.col("from_professional"),
        to_node=pl.col("to_professional"),
        when=pl.col("contact_date"),
        kind=pl.col("channel"),
        layer=pl.when(pl.col("purpose") == "sign_posting")
        .then(pl.lit("sign_posting"))
        .when(pl.col("purpose") == "referral")
        .then(pl.lit("referral"))
        .otherwise(pl.lit("contact")),
        origin=pl.lit("contact"),
    )


def _link_targets(
    contact_events: pl.DataFrame, person_nodes: pl.DataFrame, level: Level
) -> pl.DataFrame:
    """Each practice's *link* in social care: whom its professionals contact most.

    Care events name the referring practice and professional but not the receiving team
    (Client Level Data has no such field, REFERENCE.md), so a referral is attributed to the
    social care team (organisation level) or professional (person level) the practice is in
    most contact with; a practice with none refers to its council's front door.
    """
    meta = person_nodes.select("node_id", "organisation", "org_type", "agency")
    pairs = (
        contact_events.join(
            meta.rename({"node_id": "from_node", "organisation": "from_org"}).select(
                "from_node", "from_org", pl.col("org_type").alias("from_type")
            ),
            on="from_node",
        )
        .join(
            meta.rename({"node_id": "to_node", "organisation": "to_org"}).select(
                "to_node", "to_org", pl.col("agency").alias("to_agency")
            ),
            on="to_node",
        )
        .filter((pl.col("from_type") == "practice") & (pl.col("to_agency") == "social_care"))
    )
    target = "to_org" if level == "organisation" else "to_node"
    return (
        pairs.group_by("from_org", target)
        .len()
        .sort(["from_org", "len", target], descending=[False, True, False])
        .unique("from_org", keep="first")
        .select(practice_code=pl.col("from_org"), link=pl.col(target))
    )


def _referral_events(events: pl.DataFrame, links: pl.DataFrame, level: Level) -> pl.DataFrame:
    requests = events.filter(
        (pl.col("event_type") == "request") & pl.col("practice_code").is_not_null()
    )
    source = "practice_code" if level == "organisation" else "professional_id"
    requests = requests.filter(pl.col(source).is_not_null()).join(
        links, on="practice_code", how="left"
    )
    is_signpost = (
        pl.col("event_outcome").fill_null("").str.to_lowercase().str.contains(SIGNPOSTING_OUTCOME)
    )
    return requests.select(
        from_node=pl.col(source),
        to_node=pl.coalesce(pl.col("link"), pl.lit(FRONT_DOOR_PREFIX) + pl.col("la_code")),
        when=pl.col("start_date"),
        kind=pl.when(is_signpost).then(pl.lit("sign_posting")).otherwise(pl.lit("referral")),
        layer=pl.when(is_signpost).then(pl.lit("sign_posting")).otherwise(pl.lit("referral")),
        origin=pl.lit("event"),
    )


def _survey_events(named_ties: pl.DataFrame, as_of: date) -> pl.DataFrame:
    when = pl.col("named_on") if "named_on" in named_ties.columns else pl.lit(as_of)
    return named_ties.select(
        from_node=pl.col("from_professional"),
        to_node=pl.col("to_professional"),
        when=when.cast(pl.Date),
        kind=pl.lit("survey_named"),
        layer=pl.lit("survey_named"),
        origin=pl.lit("survey"),
    )


def _in_window(column: pl.Expr, as_of: date, window_days: int | None) -> pl.Expr:
    inside = column <= as_of
    if window_days is not None:
        inside &= column > as_of - timedelta(days=window_days)
    return inside


def build_network(
    professionals: pl.DataFrame,
    contacts: pl.DataFrame,
    events: pl.DataFrame | None = None,
    as_of: date | None = None,
    half_life_days: float = 180.0,
    level: Level = "person",
    *,
    window_days: int | None = None,
    named_ties: pl.DataFrame | None = None,
    channel_weights: Mapping[str, float] | None = None,
    multiplexity_bonus: float = 0.25,
) -> ProfessionalNetwork:
    """Build the professional network from canonical frames.

    Ties come from ``contacts`` (layer by purpose: contact, referral, sign-posting), from
    ``events`` (requests for support that name a practice: referrals; those whose outcome
    is sign-posting: sign-posting) and from ``named_ties`` (survey name generators:
    ``from_professional, to_professional`` and optionally ``named_on``, a date).

    Only tie events on or before ``as_of`` (default: the latest date in the data) and, when
    ``window_days`` is given, after ``as_of - window_days`` count. Weights decay
    exponentially with half-life ``half_life_days`` and are scaled by
    ``channel_weights`` (default :data:`DEFAULT_CHANNEL_WEIGHTS`). Self-ties (within one
    professional, or within one organisation at organisation level) are dropped, and so are
    ties to people not in ``professionals``.

    Method: tie strength after Granovetter (1973) and Marsden & Campbell (1984, "Measuring
    tie strength", Social Forces 63), frequency and recency as indicators; multiplexity after
    Verbrugge (1979, "Multiplexity in adult friendships", Social Forces 57).
    """
    if level not in ("person", "organisation"):
        raise NetworkInputError(f"level must be 'person' or 'organisation', not {level!r}.")
    if half_life_days <= 0:
        raise NetworkInputError("half_life_days must be positive.")
    person_nodes = _person_nodes(professionals)
    if as_of is None:
        dates = [contacts["contact_date"].max()]
        if events is not None and events.height:
            dates.append(events["start_date"].max())
        dates = [d for d in dates if d is not None]
        as_of = max(dates) if dates else date.today()
    # Cut to the window first: at England scale the frames hold years of data.
    contacts = contacts.filter(_in_window(pl.col("contact_date"), as_of, window_days))
    if events is not None:
        events = events.filter(
            _in_window(pl.col("start_date"), as_of, window_days)
            & (pl.col("event_type") == "request")
        )
    contact_events = _contact_events(contacts)
    parts = [contact_events]
    if events is not None and events.height:
        links = _link_targets(contact_events, person_nodes, level)
        parts.append(_referral_events(events, links, level))
    if named_ties is not None and named_ties.height:
        parts.append(_survey_events(named_ties, as_of))
    tie_events = pl.concat(parts, how="vertical_relaxed")
    in_window = pl.col("when") <= as_of
    if window_days is not None:
        in_window &= pl.col("when") > as_of - timedelta(days=window_days)
    tie_events = tie_events.filter(in_window)

    # Organisation-level ties may point at front doors; add those as nodes.
    front_doors = (
        tie_events.filter(pl.col("to_node").str.starts_with(FRONT_DOOR_PREFIX))
        .select(pl.col("to_node").unique())
        .to_series()
        .to_list()
    )
    weights = dict(channel_weights or DEFAULT_CHANNEL_WEIGHTS)
    tie_events = tie_events.with_columns(
        channel_weight=pl.col("kind").replace_strict(weights, default=1.0, return_dtype=pl.Float64)
    )
    if level == "person":
        nodes = person_nodes
    else:
        org_of = dict(
            zip(
                person_nodes["node_id"].to_list(),
                person_nodes["organisation"].to_list(),
                strict=True,
            )
        )
        # Practice codes and front doors are not professional ids, so they map to themselves.
        tie_events = tie_events.with_columns(
            pl.col("from_node").replace_strict(org_of, default=pl.col("from_node")),
            pl.col("to_node").replace_strict(org_of, default=pl.col("to_node")),
        )
        nodes = _organisation_nodes(person_nodes)
    if front_doors:
        doors = pl.DataFrame(
            {
                "node_id": front_doors,
                "node_type": "organisation" if level == "organisation" else "front_door",
                "role": None,
                "organisation": front_doors,
                "org_type": "social_care_front_door",
                "agency": "social_care",
                "la_code": [d.removeprefix(FRONT_DOOR_PREFIX) for d in front_doors],
                "n_professionals": 0,
            },
            schema=nodes.schema,
        )
        nodes = pl.concat([nodes, doors])
    return _assemble(nodes, tie_events, level, as_of, half_life_days, multiplexity_bonus)


def _assemble(
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
