"""The relationship health score of each practice.

Three components, each on a 0-1 scale and shown alongside the score:

- ``relational_coordination``: the practice's survey Relational Coordination score
  (Gittell 2006/2011: seven dimensions on a 1-5 scale, averaged) rescaled ``(rc - 1) / 4``;
  frame ``practice_code, rc_score`` from the survey scoring.
- ``network_ties``: the strength of the practice's ties to its council's social care,
  ``s / (s + half_saturation)`` with ``s`` the sum of its organisation-level tie strengths
  to social care teams (and the front door); saturating, so that the first ties count most.
- ``knowledge_of_services``: the share of local services the practice's GPs know,
  frame ``practice_code, knowledge_share`` (0-1) from the GP survey.

``score = 100 * sum(w_c * component_c) / sum(w_c)`` over the components available for
that practice: a component that was not collected is marked ``not available`` and its
weight is shared out among the others. Default weights 0.4 / 0.4 / 0.2 (tunable).
"""

from __future__ import annotations

from collections.abc import Mapping

import polars as pl

from careties.relations.network.graph import ProfessionalNetwork

COMPONENTS = ("relational_coordination", "network_ties", "knowledge_of_services")

DEFAULT_WEIGHTS: dict[str, float] = {
    "relational_coordination": 0.4,
    "network_ties": 0.4,
    "knowledge_of_services": 0.2,
}

#: Tie strength at which ``network_ties`` is 0.5; about six recent contacts a year with
#: social care across the practice (tunable).
DEFAULT_HALF_SATURATION = 6.0


def practice_social_care_ties(network: ProfessionalNetwork) -> pl.DataFrame:
    """Per practice: ``practice_code, la_code, social_care_tie_strength, teams_reached``.

    Measured on contacts and survey-named ties, not on referral volume from care events."""
    if network.tie_events is not None:
        network = network.restricted(("contact", "survey"))
    org = network.aggregate("organisation")
    nodes = org.nodes
    care = nodes.filter(pl.col("agency") == "social_care").select(other=pl.col("node_id"))
    practices = nodes.filter(pl.col("org_type") == "practice").select(
        "la_code", practice_code=pl.col("node_id")
    )
    edges = org.edges.select("source", "target", "strength")
    ends = pl.concat(
        [
            edges.select(practice_code="source", other="target", strength="strength"),
            edges.select(practice_code="target", other="source", strength="strength"),
        ]
    ).join(care, on="other")
    sums = ends.group_by("practice_code").agg(
        social_care_tie_strength=pl.col("strength").sum(),
        teams_reached=pl.col("other").n_unique().cast(pl.Int64),
    )
    return practices.join(sums, on="practice_code", how="left").with_columns(
        pl.col("social_care_tie_strength").fill_null(0.0), pl.col("teams_reached").fill_null(0)
    )


def relationship_health(
    network: ProfessionalNetwork,
    relational_coordination: pl.DataFrame | None = None,
    knowledge: pl.DataFrame | None = None,
    weights: Mapping[str, float] | None = None,
    half_saturation: float = DEFAULT_HALF_SATURATION,
) -> pl.DataFrame:
    """Relationship health score (0-100) per practice, each component visible.

    Inputs: the network (either level), optionally ``relational_coordination``
    (``practice_code, rc_score``, 1-5) and ``knowledge`` (``practice_code,
    knowledge_share``, 0-1). Columns: ``practice_code, la_code, social_care_tie_strength,
    teams_reached, relational_coordination, network_ties, knowledge_of_services`` (null when
    not available), ``weight_<component>`` (the weight applied after renormalising; 0 when
    not available), ``available`` (comma-separated components used), ``not_available``,
    ``score``.
    """
    w = dict(DEFAULT_WEIGHTS)
    if weights:
        unknown = set(weights) - set(COMPONENTS)
        if unknown:
            raise ValueError(f"Unknown health component(s) {sorted(unknown)}; use {COMPONENTS}.")
        w.update(weights)
    frame = practice_social_care_ties(network).with_columns(
        network_ties=pl.col("social_care_tie_strength")
        / (pl.col("social_care_tie_strength") + half_saturation)
    )
    if relational_coordination is not None:
        rc = relational_coordination.group_by("practice_code").agg(
            relational_coordination=((pl.col("rc_score").mean() - 1.0) / 4.0).clip(0.0, 1.0)
        )
        frame = frame.join(rc, on="practice_code", how="left")
    else:
        frame = frame.with_columns(relational_coordination=pl.lit(None, dtype=pl.Float64))
    if knowledge is not None:
        kn = knowledge.group_by("practice_code").agg(
            knowledge_of_services=pl.col("knowledge_share").mean().clip(0.0, 1.0)
        )
        frame = frame.join(kn, on="practice_code", how="left")
    else:
        frame = frame.with_columns(knowledge_of_services=pl.lit(None, dtype=pl.Float64))
    total = pl.sum_horizontal(
        [pl.when(pl.col(c).is_not_null()).then(pl.lit(w[c])).otherwise(0.0) for c in COMPONENTS]
    )
    frame = frame.with_columns(_total=total)
    frame = frame.with_columns(
        [
            pl.when(pl.col(c).is_not_null() & (pl.col("_total") > 0))
            .then(pl.lit(w[c]) / pl.col("_total"))
            .otherwise(0.0)
            .alias(f"weight_{c}")
            for c in COMPONENTS
        ]
    )
    score = pl.sum_horizontal(
        [pl.col(c).fill_null(0.0) * pl.col(f"weight_{c}") for c in COMPONENTS]
    )
    available = pl.concat_str(
        [pl.when(pl.col(c).is_not_null()).then(pl.lit(c)) for c in COMPONENTS],
        separator=",",
        ignore_nulls=True,
    )
    missing = pl.concat_str(
        [pl.when(pl.col(c).is_null()).then(pl.lit(c)) for c in COMPONENTS],
        separator=",",
        ignore_nulls=True,
    )
    return (
        frame.with_columns(
            score=pl.when(pl.col("_total") > 0).then(100.0 * score),
            available=available,
            not_available=missing,
        )
        .drop("_total")
        .select(
            "practice_code",
            "la_code",
            "social_care_tie_strength",
            "teams_reached",
            *COMPONENTS,
            *[f"weight_{c}" for c in COMPONENTS],
            "available",
            "not_available",
            "score",
        )
        .sort("la_code", "practice_code")
    )
