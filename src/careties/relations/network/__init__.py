"""The professional network between GP practices and social care: build it, measure it.

Public API (frames in, frames or dataclasses out; see docs/network.md for columns)::

    build_network(professionals, contacts, events=None, as_of=None, half_life_days=180,
                  level="person" | "organisation", *, window_days=None, named_ties=None,
                  channel_weights=None, multiplexity_bonus=0.25) -> ProfessionalNetwork
    ProfessionalNetwork.nodes / .edges / .to_rustworkx() / .adjacency() / .aggregate()
        / .council(la_code) / .subnetwork(ids)
    tie_strength(network)                      -> edges with frequency, recency, multiplexity, strength
    reciprocity(network, by=None)              -> float, or per-group frame
    density_by_agency(network, by="agency", per="la_code") -> frame
    ei_index(edges, groups) -> float;  ei_index_by_group(edges, groups) -> frame
    ei_index_for(network, by="agency")         -> (float, frame)
    betweenness(network, sample=None, seed=0)  -> frame (exact, or Brandes-Pich sampled)
    betweenness_sampling_error(network, sample, seed=0) -> SamplingError
    burt_constraint(network)                   -> frame
    effective_size(network, weight="strength", direction="undirected")
                                               -> frame: contacts, effective_size, efficiency
    communities(network, resolution=1.0)       -> frame: node_id, community (Louvain)
    community_summary(network, membership)     -> (frame per community, modularity)
    ties_between_dates(professionals, contacts, before, after) -> gained / lost / kept ties
    isolated_practices(professionals, contacts, as_of, window_days=365) -> frame
    weak_ties(network, threshold=None, relative_threshold=0.25) -> frame
    relationship_health(network, relational_coordination=None, knowledge=None, weights=None)
    metrics_by_quarter(professionals, contacts, events=None, ...) -> QuarterlyMetrics
    council_spc(quarterly.council, metric)     -> stacked SPC frames (careties.stats.spc)
    health_drops(quarterly.practice, min_drop=5.0) -> frame with plain-language reasons
    influence(network, events=None)            -> per-GP centralities and influence_score
    network_figure(network, la_code=...)       -> Plotly figure dict (JSON-serialisable)
    network_png(network, path=None, la_code=...) -> PNG bytes
"""

from careties.relations.network.brokerage import (
    SamplingError,
    betweenness,
    betweenness_sampling_error,
    burt_constraint,
)
from careties.relations.network.build import build_network
from careties.relations.network.communities import (
    communities,
    community_summary,
    louvain_labels,
    modularity,
)
from careties.relations.network.compare import (
    change_summary,
    compare_networks,
    ties_between_dates,
)
from careties.relations.network.drops import health_drops
from careties.relations.network.ei import ei_index, ei_index_by_group, ei_index_for
from careties.relations.network.figures import (
    network_change_figure,
    network_figure,
    network_png,
)
from careties.relations.network.graph import (
    DEFAULT_CHANNEL_WEIGHTS,
    NetworkInputError,
    ProfessionalNetwork,
)
from careties.relations.network.health import DEFAULT_WEIGHTS, relationship_health
from careties.relations.network.holes import effective_size, effective_size_from_adjacency
from careties.relations.network.influence import influence
from careties.relations.network.isolation import isolated_practices, weak_ties
from careties.relations.network.ties import density_by_agency, reciprocity, tie_strength
from careties.relations.network.timeseries import (
    COUNCIL_METRICS,
    QuarterlyMetrics,
    council_spc,
    metrics_by_quarter,
    network_snapshot,
    quarter_label,
)

__all__ = [
    "COUNCIL_METRICS",
    "DEFAULT_CHANNEL_WEIGHTS",
    "DEFAULT_WEIGHTS",
    "NetworkInputError",
    "ProfessionalNetwork",
    "QuarterlyMetrics",
    "SamplingError",
    "betweenness",
    "betweenness_sampling_error",
    "build_network",
    "burt_constraint",
    "change_summary",
    "communities",
    "compare_networks",
    "community_summary",
    "council_spc",
    "density_by_agency",
    "effective_size",
    "effective_size_from_adjacency",
    "ei_index",
    "ei_index_by_group",
    "ei_index_for",
    "health_drops",
    "influence",
    "isolated_practices",
    "louvain_labels",
    "metrics_by_quarter",
    "modularity",
    "network_change_figure",
    "network_figure",
    "network_png",
    "network_snapshot",
    "quarter_label",
    "reciprocity",
    "relationship_health",
    "tie_strength",
    "ties_between_dates",
    "weak_ties",
]
