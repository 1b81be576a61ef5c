"""England-scale professional network: all metrics, time and peak memory, against NetworkX.

Run: ``.venv/bin/python benchmarks/network.py [--scale england|council] [--seed 0]``

Uses ``careties.data.synth.generate(scale)`` when it exists; otherwise a stand-in generator
in this file with the same shape (153 councils, ~6,300 practices, ~37,000 GPs, ~20,000
social care staff, ~1,000,000 contacts in a year). Only the network work is timed, not the
data generation. Memory is the process peak resident set (ru_maxrss) after each step, and the
process's maximum resident set size at the end.

NetworkX runs on the same graph for the cheap measures and on a council-sized sample for
betweenness and constraint, where the full graph would take far too long; the output says
which.
"""

from __future__ import annotations

import argparse
import resource
import sys
import time
from collections.abc import Callable
from datetime import date, timedelta
from typing import Any

import networkx as nx
import numpy as np
import polars as pl

from careties.relations.network import (
    betweenness,
    betweenness_sampling_error,
    build_network,
    burt_constraint,
    density_by_agency,
    ei_index_for,
    influence,
    isolated_practices,
    reciprocity,
    relationship_health,
    tie_strength,
    weak_ties,
)

ROWS: list[tuple[str, float, float, str]] = []


def measure(label: str, fn: Callable[[], Any], note: str = "") -> Any:
    """Time ``fn`` and report the process's peak resident memory after it (``ru_maxrss``:
    a high-water mark, so a step that raises it is the step that needed that much; Polars'
    and rustworkx's allocations are native, invisible to tracemalloc)."""
    t0 = time.perf_counter()
    out = fn()
    elapsed = time.perf_counter() - t0
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    ROWS.append((label, elapsed, peak, note))
    print(f"  {label:<48} {elapsed:8.2f} s  peak RSS {peak:8,.0f} MiB  {note}", flush=True)
    return out


def stand_in(scale: str, seed: int) -> dict[str, pl.DataFrame]:
    """Frames of the canonical shape, England-sized, when careties.data.synth is absent."""
    rng = np.random.default_rng(seed)
    councils = 153 if scale == "england" else 1
    practices_n = 6_300 if scale == "england" else 40
    gps_n = 37_000 if scale == "england" else 200
    care_n = 20_000 if scale == "england" else 60
    contacts_n = 1_000_000 if scale == "england" else 7_000
    la = np.array([f"E06{100000 + i:06d}"[:9] for i in range(councils)])
    practice_la = rng.integers(0, councils, practices_n)
    practices = np.array([f"{chr(65 + i % 26)}{10000 + i:05d}" for i in range(practices_n)])
    gp_practice = rng.integers(0, practices_n, gps_n)
    care_la = rng.integers(0, councils, care_n)
    care_team = care_la * 10 + rng.integers(0, 10, care_n)
    gp_ids = np.array([f"GP{i:06d}" for i in range(gps_n)])
    care_ids = np.array([f"SC{i:06d}" for i in range(care_n)])
    professionals = pl.DataFrame(
        {
            "professional_id": np.concatenate([gp_ids, care_ids]),
            "role": ["gp"] * gps_n
            + list(
                rng.choice(["social_worker", "occupational_therapist", "care_navigator"], care_n)
            ),
            "organisation": np.concatenate(
                [practices[gp_practice], [f"T{t:05d}" for t in care_team]]
            ),
            "la_code": np.concatenate([la[practice_la[gp_practice]], la[care_la]]),
        }
    )
    # Contacts: mostly GP <-> social care within the council, some GP <-> GP, some care <-> care.
    care_by_la = [np.flatnonzero(care_la == c) for c in range(councils)]
    gp_la = practice_la[gp_practice]
    src = rng.integers(0, gps_n, contacts_n)
    kinds = rng.random(contacts_n)
    to = np.empty(contacts_n, dtype=object)
    for c in range(councils):
        rows = np.flatnonzero(gp_la[src] == c)
        pool = care_by_la[c] if care_by_la[c].size else np.arange(care_n)
        to[rows] = care_ids[pool[rng.integers(0, pool.size, rows.size)]]
    gp_gp = kinds < 0.15
    to[gp_gp] = gp_ids[rng.integers(0, gps_n, gp_gp.sum())]
    frm = gp_ids[src].astype(object)
    flip = rng.random(contacts_n) < 0.4
    frm[flip], to[flip] = to[flip], frm[flip]
    start = date(2025, 4, 1)
    days = rng.integers(0, 365, contacts_n)
    contacts = pl.DataFrame(
        {
            "contact_reference": [f"C{i}" for i in range(contacts_n)],
            "contact_date": pl.Series(
                [start + timedelta(days=int(d)) for d in days], dtype=pl.Date
            ),
            "from_professional": frm.astype(str),
            "to_professional": to.astype(str),
            "channel": rng.choice(
                [
                    "phone",
                    "email",
                    "meeting",
                    "joint_visit",
                    "multidisciplinary_meeting",
                    "training",
                ],
                contacts_n,
            ),
            "purpose": rng.choice(
                ["case_discussion", "referral", "sign_posting", "other"], contacts_n
            ),
            "minutes": rng.integers(5, 60, contacts_n),
        }
    )
    return {"professionals": professionals, "contacts": contacts}


def load(
    scale: str, seed: int, frames_dir: str | None = None
) -> tuple[dict[str, pl.DataFrame], str]:
    if frames_dir:
        frames = {
            kind: pl.read_parquet(f"{frames_dir}/{kind}.parquet")
            for kind in ("professionals", "contacts", "events")
        }
        return frames, f"Parquet frames in {frames_dir} (saved from careties.data.synth)"
    try:
        from careties.data.synth import generate  # type: ignore[attr-defined]
    except ImportError:
        return stand_in(
            scale, seed
        ), "stand-in generator in benchmarks/network.py (careties.data.synth absent)"
    data = generate(scale=scale, seed=seed)
    return data.frames, f"careties.data.synth.generate(scale={scale!r}, seed={seed})"


def to_networkx(network) -> nx.Graph:
    graph = nx.Graph()
    graph.add_nodes_from(network.node_ids)
    graph.add_weighted_edges_from(network.edges.select("source", "target", "strength").iter_rows())
    return graph


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--scale", default="england", choices=["england", "council", "tiny"])
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument("--sample", type=int, default=256, help="betweenness pivots")
    parser.add_argument(
        "--frames",
        help="directory of professionals/contacts/events .parquet to reuse instead of generating",
    )
    args = parser.parse_args()

    t0 = time.perf_counter()
    frames, source = load(args.scale, args.seed, args.frames)
    print(f"data: {source}, generated in {time.perf_counter() - t0:.1f} s (not timed below)")
    professionals, contacts = frames["professionals"], frames["contacts"]
    events = frames.get("events")
    as_of = contacts["contact_date"].max()
    print(
        f"{professionals.height:,} professionals, {contacts.height:,} contacts, "
        f"{0 if events is None else events.height:,} events; as of {as_of}\n"
    )

    print("careties (rustworkx / SciPy / Polars):")
    wall = time.perf_counter()
    person = measure(
        "build_network(level='person')",
        lambda: build_network(professionals, contacts, events, as_of=as_of, window_days=365),
    )
    print(f"    -> {person.nodes.height:,} nodes, {person.edges.height:,} edges")
    org = measure("aggregate to organisations", lambda: person.aggregate("organisation"))
    print(f"    -> {org.nodes.height:,} organisations, {org.edges.height:,} ties")
    measure("tie_strength", lambda: tie_strength(person))
    measure("reciprocity", lambda: reciprocity(person))
    measure("density_by_agency (per council)", lambda: density_by_agency(person))
    measure("E-I index by agency (people)", lambda: ei_index_for(person, "agency"))
    measure("E-I index by organisation (people)", lambda: ei_index_for(person, "organisation"))
    measure("E-I index by council (people)", lambda: ei_index_for(person, "la_code"))
    graph = measure("rustworkx graph", lambda: person.to_rustworkx())
    from careties.relations.network.brokerage import AUTO_EXACT_BUDGET, _exact_cost

    cost = _exact_cost(person)
    exact_ok = cost <= AUTO_EXACT_BUDGET
    sampled = measure(
        "betweenness, auto (people)",
        lambda: betweenness(person, sample="auto" if exact_ok else args.sample),
        note="exact"
        if exact_ok
        else f"sampled k={args.sample}: exact costs {cost:.1e} edge visits",
    )
    measure("betweenness, auto (organisations)", lambda: betweenness(org, sample="auto"))
    measure("Burt's constraint (people)", lambda: burt_constraint(person))
    measure("Burt's constraint (organisations)", lambda: burt_constraint(org))
    measure("isolated practices", lambda: isolated_practices(professionals, contacts, as_of))
    gaps = measure("weak and missing ties", lambda: weak_ties(org))
    measure("relationship health", lambda: relationship_health(org))
    measure(
        "influence per GP (incl. eigenvector per council)",
        lambda: influence(person, events, betweenness_scores=sampled),
    )
    total = time.perf_counter() - wall
    print(
        f"  {'ALL METRICS, ' + args.scale + ', one date':<48} {total:8.2f} s   (target 60 s)"
        f"  weak/missing pairs: {gaps.height:,}"
    )
    del graph
    if not exact_ok:
        measure("(reference, not in total) exact betweenness, people", lambda: betweenness(person))

    # Sampling error on a subsample where exact is affordable: the councils' induced
    # sub-network, same pivot fraction k/n (conservative: error falls with absolute k).
    councils = person.nodes["la_code"].unique().sort().to_list()[:8]
    sub = person.subnetwork(person.nodes.filter(pl.col("la_code").is_in(councils))["node_id"])
    k = max(10, round(args.sample * sub.nodes.height / person.nodes.height))
    err = betweenness_sampling_error(sub, sample=k, seed=args.seed)
    same_k = betweenness_sampling_error(
        sub, sample=min(args.sample, sub.nodes.height), seed=args.seed
    )
    print(
        f"sampled betweenness error on the same sub-network at the same absolute k={same_k.sample}: "
        f"Spearman {same_k.spearman:.3f}, mean abs error {same_k.mean_absolute_error:.2e}, "
        f"max {same_k.max_absolute_error:.2e}, top-10% overlap {same_k.top_decile_overlap:.0%}"
    )
    print(
        f"\nsampled betweenness error on {len(councils)} councils ({err.nodes:,} nodes, {err.edges:,} edges), "
        f"k={err.sample} (same fraction as k={args.sample} on England): Spearman {err.spearman:.3f}, "
        f"mean abs error {err.mean_absolute_error:.2e}, max {err.max_absolute_error:.2e}, "
        f"top-10% overlap {err.top_decile_overlap:.0%}"
    )

    print("\nNetworkX on the same graph:")
    nxg = measure("networkx graph (same edges)", lambda: to_networkx(person))
    measure("networkx density", lambda: nx.density(nxg))
    measure("networkx degree (strength)", lambda: dict(nxg.degree(weight="weight")))
    measure(
        "networkx betweenness, k-sampled (full graph)",
        lambda: nx.betweenness_centrality(nxg, k=16, seed=args.seed),
        note="k=16 only: larger k too slow",
    )
    per_source = ROWS[-1][1] / 16
    print(
        f"    -> NetworkX exact betweenness on the full graph, extrapolated: "
        f"{per_source * nxg.number_of_nodes() / 3600:.1f} hours ({nxg.number_of_nodes():,} sources)"
    )
    nx_councils = councils[:2]
    sub = person.subnetwork(person.nodes.filter(pl.col("la_code").is_in(nx_councils))["node_id"])
    small = to_networkx(sub)
    print(
        f"NetworkX on a subsample ({len(nx_councils)} councils, {small.number_of_nodes():,} nodes, "
        f"{small.number_of_edges():,} edges): exact betweenness and constraint on the full graph "
        "would take far too long"
    )
    measure(
        "networkx betweenness exact (subsample)",
        lambda: nx.betweenness_centrality(small),
    )
    measure("careties betweenness exact (same subsample)", lambda: betweenness(sub))
    measure("networkx constraint (subsample)", lambda: nx.constraint(small, weight="weight"))
    measure("careties constraint (same subsample)", lambda: burt_constraint(sub))
    rss = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    print(f"\nprocess peak resident memory: {rss:,.0f} MiB")
    return 0


if __name__ == "__main__":
    sys.exit(main())
