"""Tie strength, reciprocity and density within and across agencies."""

from __future__ import annotations

import polars as pl

from careties.relations.network.graph import ProfessionalNetwork


def tie_strength(
    network: ProfessionalNetwork, multiplexity_bonus: float | None = None
) -> pl.DataFrame:
    """Strength of every tie: frequency, recency, multiplexity and their composite.

    ``strength = weight * (1 + multiplexity_bonus * (multiplexity - 1))`` where ``weight`` is
    the recency-decayed, channel-weighted count of tie events (see :func:`build_network`)
    and ``multiplexity`` the number of distinct kinds of tie (channels, referral,
    sign-posting, survey-named). Granovetter (1973, "The strength of weak ties") defines
    strength by time, intensity and reciprocal services; Marsden & Campbell (1984) validate
    frequency and recency as its indicators; Verbrugge (1979) shows multiplex ties are the
    stronger ones. ``multiplexity_bonus`` defaults to the network's (0.25).

    Columns: ``source, target, frequency, recency_days, last_contact, multiplexity,
    reciprocity, weight, strength``.
    """
    bonus = network.multiplexity_bonus if multiplexity_bonus is None else multiplexity_bonus
    return network.edges.select(
        "source",
        "target",
        "frequency",
        "recency_days",
        "last_contact",
        "multiplexity",
        "reciprocity",
        "weight",
        strength=pl.col("weight") * (1.0 + bonus * (pl.col("multiplexity").cast(pl.Float64) - 1.0)),
    )


def reciprocity(network: ProfessionalNetwork, by: str | None = None) -> float | pl.DataFrame:
    """Share of directed ties that are reciprocated (Wasserman & Faust 1994, section 13.2).

    A directed tie i -> j exists when i contacted j at least once; the overall reciprocity
    is (directed ties whose reverse also exists) / (directed ties), as
    ``networkx.overall_reciprocity``. With ``by`` a node column (``la_code``, ``agency``),
    a frame ``<by>, directed_ties, reciprocated_ties, reciprocity`` for ties whose two ends
    share that value.
    """
    edges = network.edges.select(
        directed=(pl.col("from_source") > 0).cast(pl.Int64)
        + (pl.col("from_target") > 0).cast(pl.Int64),
        mutual=pl.col("reciprocated").cast(pl.Int64) * 2,
        source=pl.col("source"),
        target=pl.col("target"),
    )
    if by is None:
        total = edges["directed"].sum()
        return float(edges["mutual"].sum() / total) if total else float("nan")
    groups = network.nodes.select("node_id", by)
    edges = (
        edges.join(groups.rename({"node_id": "source", by: "g1"}), on="source")
        .join(groups.rename({"node_id": "target", by: "g2"}), on="target")
        .filter(pl.col("g1") == pl.col("g2"))
    )
    return (
        edges.group_by(pl.col("g1").alias(by))
        .agg(directed_ties=pl.col("directed").sum(), reciprocated_ties=pl.col("mutual").sum())
        .with_columns(reciprocity=pl.col("reciprocated_ties") / pl.col("directed_ties"))
        .sort(by)
    )


def density_by_agency(
    network: ProfessionalNetwork, by: str = "agency", per: str | None = "la_code"
) -> pl.DataFrame:
    """Density of ties within and across groups (agencies by default), per council.

    Density is ties present / ties possible (Wasserman & Faust 1994, section 4.3.1): within
    a group of ``n`` nodes ``n (n - 1) / 2`` are possible, across groups of ``n_a`` and
    ``n_b`` nodes ``n_a n_b``. With ``per`` (default ``la_code``) pairs are counted only
    inside each council and ties across councils are left out; ``per=None`` treats the
    whole network as one.

    Columns: ``[per,] group_a, group_b, nodes_a, nodes_b, ties, possible, density``, with
    ``group_a <= group_b``; ``group_a == group_b`` rows are within-group density.
    """
    keys = [per] if per else []
    nodes = network.nodes.select("node_id", *keys, pl.col(by).alias("_g"))
    sizes = nodes.group_by(*keys, "_g").agg(n=pl.len())
    pairs = (
        sizes.join(sizes, on=keys, how="inner", suffix="_b")
        if keys
        else sizes.join(sizes, how="cross", suffix="_b")
    )
    pairs = pairs.filter(pl.col("_g") <= pl.col("_g_b")).select(
        *keys,
        group_a=pl.col("_g"),
        group_b=pl.col("_g_b"),
        nodes_a=pl.col("n"),
        nodes_b=pl.col("n_b"),
    )
    src = nodes.rename({"node_id": "source", "_g": "ga", **({per: "pa"} if per else {})})
    tgt = nodes.rename({"node_id": "target", "_g": "gb", **({per: "pb"} if per else {})})
    edges = network.edges.select("source", "target").join(src, on="source").join(tgt, on="target")
    if per:
        edges = edges.filter(pl.col("pa") == pl.col("pb")).rename({"pa": per})
    ties = edges.group_by(
        *keys,
        group_a=pl.min_horizontal("ga", "gb"),
        group_b=pl.max_horizontal("ga", "gb"),
    ).agg(ties=pl.len())
    out = pairs.join(ties, on=[*keys, "group_a", "group_b"], how="left").with_columns(
        ties=pl.col("ties").fill_null(0).cast(pl.Int64),
        possible=pl.when(pl.col("group_a") == pl.col("group_b"))
        .then(pl.col("nodes_a").cast(pl.Int64) * (pl.col("nodes_a").cast(pl.Int64) - 1) // 2)
        .otherwise(pl.col("nodes_a").cast(pl.Int64) * pl.col("nodes_b").cast(pl.Int64)),
    )
    return out.with_columns(
        density=pl.when(pl.col("possible") > 0).then(pl.col("ties") / pl.col("possible"))
    ).sort(*keys, "group_a", "group_b")
