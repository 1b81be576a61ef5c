"""Benchmark: rates, funnels and the top quartile on England-scale synthetic data.

careties' Polars implementation against a plain pandas groupby implementation
of the same steps, in the same run, on the same data:

1. new permanent admissions of people 65+ (the ASCOF 2C rule: 365-day look-back,
   self-funded excluded, one per person per financial year);
2. admissions and community alternatives per practice and financial year, per
   1,000 registered patients 65+, with Byar intervals;
3. funnel plot positions of practices within each council (latest year);
4. GPs ranked by excess admissions over age-standardised expectation, partially
   pooled towards their practice, and the top quarter per council.

Both share the statistical kernels (``careties.stats``); only the aggregation
differs. Each implementation runs in its own process so that its peak memory
(resident set high-water mark above the loaded data) is its own.

Usage: ``python benchmarks/referrals.py [--seed 0] [--cache var/benchmarks]``.
The synthetic data (about 12 million events) are generated once and cached
as Parquet; generation is not timed.
"""

from __future__ import annotations

import argparse
import contextlib
import json
import subprocess
import sys
import time
from pathlib import Path

KINDS = ("events", "practices", "registered_patients", "professionals")
TARGET_SECONDS = 10.0
TARGET_SPEED_UP = 5.0


def _rss_reset() -> None:
    # Linux: writing 5 resets the peak RSS, so VmHWM then measures only the work timed.
    with contextlib.suppress(OSError):
        Path("/proc/self/clear_refs").write_text("5")


def _peak_mb() -> float:
    for line in Path("/proc/self/status").read_text().splitlines():
        if line.startswith("VmHWM:"):
            return int(line.split()[1]) / 1024
    import resource

    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def _current_mb() -> float:
    for line in Path("/proc/self/status").read_text().splitlines():
        if line.startswith("VmRSS:"):
            return int(line.split()[1]) / 1024
    return 0.0


def ensure_data(cache: Path, seed: int) -> Path:
    """Generate England-scale synthetic frames once and keep them as Parquet."""
    target = cache / f"england-seed{seed}"
    if all((target / f"{k}.parquet").exists() for k in KINDS):
        return target
    from careties.data.synth import generate

    print(f"generating England-scale synthetic data (seed {seed}); not timed ...", flush=True)
    started = time.perf_counter()
    data = generate(scale="england", seed=seed)
    target.mkdir(parents=True, exist_ok=True)
    for kind in KINDS:
        data.frames[kind].write_parquet(target / f"{kind}.parquet")
    print(f"  generated in {time.perf_counter() - started:.0f} s", flush=True)
    return target


# --- careties (Polars) ---------------------------------------------------------------------


def run_polars(directory: Path) -> dict:
    import polars as pl

    # The statistical kernels (and SciPy) load before timing, as in run_pandas.
    import careties.stats.funnel  # noqa: F401
    import careties.stats.intervals  # noqa: F401
    from careties.referrals.admissions import new_admissions
    from careties.referrals.funnel import practice_funnel
    from careties.referrals.rates import practice_rates
    from careties.referrals.referrers import highest_potential_referrers

    frames = {k: pl.read_parquet(directory / f"{k}.parquet") for k in KINDS}
    baseline = _current_mb()
    _rss_reset()
    started = time.perf_counter()
    cpu_started = time.process_time()
    events = frames["events"]
    admissions = new_admissions(events)
    rates = practice_rates(
        events, frames["registered_patients"], frames["practices"], admissions=admissions
    )
    latest = rates["period"].max()
    funnel = practice_funnel(rates, period=latest)
    referrers = highest_potential_referrers(
        events, frames["professionals"], frames["registered_patients"], admissions=admissions
    )
    seconds = time.perf_counter() - started
    cpu_seconds = time.process_time() - cpu_started
    return {
        "seconds": seconds,
        "cpu_seconds": cpu_seconds,
        "peak_mb": _peak_mb() - baseline,
        "events": events.height,
        "admissions": admissions.height,
        "rate_rows": rates.height,
        "funnel_rows": funnel.height,
        "outside_998": int(funnel["position"].is_in(["above_998", "below_998"]).sum()),
        "targets": sorted(referrers.target_set["professional_id"].to_list()),
    }


# --- plain pandas ----------------------------------------------------------------------------


def run_pandas(directory: Path) -> dict:
    import numpy as np
    import pandas as pd
    import polars as pl

    from careties.data.codes import (
        AGE_BANDS_65_PLUS,
        ALTERNATIVE_SERVICE_TYPES,
        RESIDENTIAL_SERVICE_TYPES,
    )
    from careties.stats.funnel import funnel_assess
    from careties.stats.intervals import byar_ci, rate_ci

    frames = {k: pd.read_parquet(directory / f"{k}.parquet") for k in KINDS}
    baseline = _current_mb()
    _rss_reset()
    started = time.perf_counter()
    cpu_started = time.process_time()
    ev = frames["events"]
    self_funded = "nfa: self-funded client or under 12wk disregard"

    # 1. admissions
    res = ev[
        ev["service_type"].isin(RESIDENTIAL_SERVICE_TYPES) & (ev["event_type"] == "service")
    ].copy()
    res = res[res["start_date"].notna()]
    res["_end"] = pd.to_datetime(res["end_date"]).fillna(pd.Timestamp("2262-01-01"))
    res["start"] = pd.to_datetime(res["start_date"])
    keys = ["la_code", "person_key"]
    per_start = (
        res.groupby([*keys, "start"], as_index=False)["_end"].max().sort_values([*keys, "start"])
    )
    per_start["_earlier"] = per_start.groupby(keys)["_end"].cummax()
    per_start["_earlier"] = per_start.groupby(keys)["_earlier"].shift(1)
    outcome_text = res["event_outcome"].fillna("").str.strip().str.lower()
    cand = res[outcome_text != self_funded].merge(
        per_start[[*keys, "start", "_earlier"]], on=[*keys, "start"], how="left"
    )
    is_new = cand["_earlier"].isna() | (cand["_earlier"] <= cand["start"] - pd.Timedelta(days=365))
    cand = cand[is_new & cand["age"].notna()].copy()
    cand["fy"] = np.where(
        cand["start"].dt.month >= 4, cand["start"].dt.year, cand["start"].dt.year - 1
    )
    cand = cand.sort_values([*keys, "start", "event_reference"]).drop_duplicates([*keys, "fy"])
    adm = cand[cand["age"] >= 65].copy()
    adm["period"] = adm["fy"].astype(str) + "-" + ((adm["fy"] + 1) % 100).astype(str).str.zfill(2)
    adm["outcome"] = "residential_admissions"

    # 2. alternatives and rates
    alt = ev[
        ev["service_type"].isin(ALTERNATIVE_SERVICE_TYPES) & (ev["event_type"] == "service")
    ].copy()
    alt = alt[(alt["age"] >= 65) & alt["start_date"].notna()]
    alt = alt[alt["event_outcome"].fillna("").str.strip().str.lower() != self_funded]
    alt["start"] = pd.to_datetime(alt["start_date"])
    fy = np.where(alt["start"].dt.month >= 4, alt["start"].dt.year, alt["start"].dt.year - 1)
    alt["period"] = (
        pd.Series(fy, index=alt.index).astype(str)
        + "-"
        + pd.Series((fy + 1) % 100, index=alt.index).astype(str).str.zfill(2)
    )
    alt["outcome"] = alt["service_type"]
    alt = alt.sort_values("start").drop_duplicates([*keys, "outcome", "period"])
    outcomes = pd.concat(
        [adm[["practice_code", "period", "outcome"]], alt[["practice_code", "period", "outcome"]]]
    )
    counts = (
        outcomes.dropna(subset=["practice_code"])
        .groupby(["practice_code", "period", "outcome"])
        .size()
    )
    practices = frames["practices"][["practice_code", "la_code"]].drop_duplicates("practice_code")
    index = pd.MultiIndex.from_product(
        [
            practices["practice_code"],
            sorted(outcomes["period"].unique()),
            ["residential_admissions", *ALTERNATIVE_SERVICE_TYPES],
        ],
        names=["practice_code", "period", "outcome"],
    )
    rates = (
        counts.reindex(index, fill_value=0)
        .rename("count")
        .reset_index()
        .merge(practices, on="practice_code")
    )
    reg = frames["registered_patients"]
    reg65 = reg[reg["age_band"].isin(AGE_BANDS_65_PLUS) & (reg["sex"] == "ALL")]
    latest_extract = reg65.groupby("practice_code")["extract_date"].transform("max")
    reg65 = reg65[reg65["extract_date"] == latest_extract]
    patients = (
        reg65.groupby("practice_code")["patients"].sum().rename("patients_65_plus").reset_index()
    )
    rates = rates.merge(patients, on="practice_code", how="left")
    denominator = rates["patients_65_plus"].astype(float).where(rates["patients_65_plus"] > 0)
    rate, lower, upper = rate_ci(
        rates["count"].to_numpy(float), denominator.to_numpy(), multiplier=1000
    )
    rates["rate_per_1000"], rates["lower_95"], rates["upper_95"] = rate, lower, upper

    # 3. funnels, latest year
    latest = rates["period"].max()
    units = rates[
        (rates["outcome"] == "residential_admissions")
        & (rates["period"] == latest)
        & (rates["patients_65_plus"] > 0)
    ]
    parts = []
    for la_code, group in units.groupby("la_code"):
        if group["count"].sum() == 0:
            continue
        assessed = funnel_assess(
            pl.from_pandas(group[["practice_code", "count", "patients_65_plus"]]),
            "rate",
            overdispersion="additive" if len(group) >= 3 else None,
            unit="practice_code",
            numerator="count",
            denominator="patients_65_plus",
            multiplier=1000,
        ).to_pandas()
        assessed["la_code"] = la_code
        parts.append(assessed)
    funnel = pd.concat(parts)

    # 4. top quartile of GPs
    pros = frames["professionals"]
    gps = pros[pros["role"] == "gp"][["la_code", "professional_id", "organisation"]].rename(
        columns={"organisation": "practice_code"}
    )
    att = adm  # the synthetic service events name their referrer
    lo = (att["age"].clip(65, 95) // 5) * 5
    att = att.assign(
        age_band=np.where(lo >= 95, "95+", lo.astype(str) + "_" + (lo + 4).astype(str))
    )
    bands = reg[reg["age_band"].isin(AGE_BANDS_65_PLUS) & (reg["sex"] == "ALL")]
    bands = bands[
        bands["extract_date"] == bands.groupby("practice_code")["extract_date"].transform("max")
    ]
    bands = (
        bands.groupby(["practice_code", "age_band"], as_index=False)["patients"]
        .sum()
        .merge(practices, on="practice_code")
    )
    population = bands.groupby(["la_code", "age_band"])["patients"].sum()

    def expected(subset):
        observed = (
            subset[subset["practice_code"].isin(bands["practice_code"])]
            .groupby(["la_code", "age_band"])
            .size()
        )
        band_rate = (
            (observed.reindex(population.index, fill_value=0) / population)
            .rename("rate")
            .reset_index()
        )
        joined = bands.merge(band_rate, on=["la_code", "age_band"], how="left")
        joined["e"] = joined["patients"] * joined["rate"].fillna(0)
        return joined.groupby("practice_code")["e"].sum()

    practice_expected = expected(att[att["practice_code"].notna()])
    gp_expected = expected(att[att["professional_id"].notna()])
    practice_observed = att.dropna(subset=["practice_code"]).groupby("practice_code").size()
    practice_ratio = (
        practice_observed.reindex(practice_expected.index, fill_value=0) / practice_expected
    ).rename("practice_ratio")
    n_gps = gps.groupby("practice_code").size().rename("gps")
    gp_observed = (
        att.dropna(subset=["professional_id"])
        .groupby(["la_code", "professional_id"])
        .size()
        .rename("admissions")
    )
    table = gps.merge(gp_observed.reset_index(), on=["la_code", "professional_id"], how="left")
    table["admissions"] = table["admissions"].fillna(0)
    table = table.merge(
        gp_expected.rename("e").reset_index(), on="practice_code", how="left"
    ).merge(n_gps.reset_index(), on="practice_code", how="left")
    table = table.merge(practice_ratio.reset_index(), on="practice_code", how="left")
    table["expected"] = table["e"].fillna(0) / table["gps"]
    table["excess"] = table["admissions"] - table["expected"]
    byar_ci(table["admissions"].to_numpy(float))
    pooled = (table["admissions"] + 4.0 * table["practice_ratio"].fillna(1.0)) / (
        table["expected"] + 4.0
    )
    table["pooled_excess"] = table["expected"] * (pooled - 1.0)
    table = table.sort_values(
        ["la_code", "pooled_excess", "admissions", "professional_id"],
        ascending=[True, False, False, True],
    )
    table["rank"] = table.groupby("la_code").cumcount() + 1
    table["n"] = table.groupby("la_code")["professional_id"].transform("size")
    targets = table[table["rank"] <= np.ceil(table["n"] * 0.25 - 1e-9)]
    seconds = time.perf_counter() - started
    cpu_seconds = time.process_time() - cpu_started
    return {
        "seconds": seconds,
        "cpu_seconds": cpu_seconds,
        "peak_mb": _peak_mb() - baseline,
        "events": len(ev),
        "admissions": len(adm),
        "rate_rows": len(rates),
        "funnel_rows": len(funnel),
        "outside_998": int(funnel["position"].isin(["above_998", "below_998"]).sum()),
        "targets": sorted(targets["professional_id"].tolist()),
    }


def _child(implementation: str, directory: Path) -> dict:
    completed = subprocess.run(
        [sys.executable, __file__, "--child", implementation, "--data", str(directory)],
        check=True,
        capture_output=True,
        text=True,
    )
    return json.loads(completed.stdout.strip().splitlines()[-1])


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument("--cache", type=Path, default=Path("var/benchmarks"))
    parser.add_argument("--repeat", type=int, default=1, help="runs of each; the median is shown")
    parser.add_argument("--child", choices=("polars", "pandas"), help=argparse.SUPPRESS)
    parser.add_argument("--data", type=Path, help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.child:
        result = (run_polars if args.child == "polars" else run_pandas)(args.data)
        print(json.dumps(result))
        return 0

    directory = ensure_data(args.cache, args.seed)
    import statistics

    results = {}
    for implementation in ("polars", "pandas"):
        runs = [_child(implementation, directory) for _ in range(args.repeat)]
        best = runs[0]
        best["seconds"] = statistics.median(r["seconds"] for r in runs)
        best["peak_mb"] = statistics.median(r["peak_mb"] for r in runs)
        best["cpu_seconds"] = statistics.median(r["cpu_seconds"] for r in runs)
        results[implementation] = best
    p, q = results["polars"], results["pandas"]
    speed_up = q["seconds"] / p["seconds"]
    cpu_speed_up = q["cpu_seconds"] / p["cpu_seconds"]
    agreement = len(set(p["targets"]) & set(q["targets"])) / max(len(q["targets"]), 1)
    print(f"England-scale synthetic data: {p['events']:,} events, {p['admissions']:,} admissions")
    print(
        f"{'':10} {'seconds':>9} {'CPU s':>7} {'peak MB':>9} {'rate rows':>10} {'funnel':>8} "
        f"{'>99.8%':>7} {'targets':>8}"
    )
    for name, r in results.items():
        print(
            f"{name:10} {r['seconds']:9.2f} {r['cpu_seconds']:7.2f} {r['peak_mb']:9.0f} "
            f"{r['rate_rows']:10,} {r['funnel_rows']:8,} {r['outside_998']:7,} {len(r['targets']):8,}"
        )
    print(
        f"speed-up: {speed_up:.1f}x wall, {cpu_speed_up:.1f}x CPU (target {TARGET_SPEED_UP:.0f}x); "
        f"careties {p['seconds']:.2f} s wall, {p['cpu_seconds']:.2f} s CPU (target {TARGET_SECONDS:.0f} s)"
    )
    same = {
        key: p[key] == q[key]
        for key in ("events", "admissions", "rate_rows", "funnel_rows", "outside_998", "targets")
    }
    print(
        f"same admissions: {same['admissions']}; target sets agree on {agreement:.1%} of GPs; "
        f"all results equal: {all(same.values())}"
        + ("" if all(same.values()) else f" (differ: {[k for k, v in same.items() if not v]})")
    )
    met = p["seconds"] <= TARGET_SECONDS and speed_up >= TARGET_SPEED_UP
    print(f"target met (wall): {met}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
