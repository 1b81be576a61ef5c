"""Benchmark: 95% and 99.8% Wilson and Byar intervals for a million units.

Run: .venv/bin/python benchmarks/stats.py

careties' vectorised kernels are timed on all 1,000,000 units (median of 5 runs) against the
baselines an analyst would really write, in the same run and on the same arrays:

* Wilson: statsmodels' ``proportion_confint(method="wilson")``, which is vectorised over arrays;
* Byar with exact Poisson below 10 events: the same formulas written once with NumPy arrays and
  ``scipy.stats.chi2.ppf`` on the small counts (what PHEindicatormethods' ``byars_ci`` does).

The obvious per-unit SciPy loop (one ``norm``/``chi2`` call per unit and level, the way a
row-at-a-time port of the R functions runs) is also timed, on 20,000 units scaled to a million,
for reference only: no one should write it, so no claim rests on it.
"""

from __future__ import annotations

import statistics
import time

import numpy as np
from scipy.stats import chi2, norm
from statsmodels.stats.proportion import proportion_confint

from careties.stats import byar_ci, wilson_ci

UNITS = 1_000_000
LOOP_SAMPLE = 20_000
LEVELS = (0.95, 0.998)


def median_seconds(function, repeats):
    times = []
    for _ in range(repeats):
        start = time.perf_counter()
        function()
        times.append(time.perf_counter() - start)
    return statistics.median(times)


def vectorised(successes, trials, counts):
    for level in LEVELS:
        wilson_ci(successes, trials, level)
        byar_ci(counts, level)


def wilson_statsmodels(successes, trials):
    for level in LEVELS:
        found = proportion_confint(successes, trials, alpha=1 - level, method="wilson")
    return found


def wilson_careties(successes, trials):
    for level in LEVELS:
        wilson_ci(successes, trials, level)


def byar_careties(counts):
    for level in LEVELS:
        byar_ci(counts, level)


def byar_numpy_scipy(counts):
    """Byar's approximation with exact Poisson limits below 10, vectorised the plain way."""
    counts = np.asarray(counts, dtype=float)
    small = counts < 10
    for level in LEVELS:
        z = norm.ppf(level + (1 - level) / 2)
        lower = counts * (1 - 1 / (9 * counts) - z / (3 * np.sqrt(counts))) ** 3
        upper = (counts + 1) * (1 - 1 / (9 * (counts + 1)) + z / (3 * np.sqrt(counts + 1))) ** 3
        exact_lower = chi2.ppf((1 - level) / 2, 2 * counts[small]) / 2
        exact_upper = chi2.ppf(level + (1 - level) / 2, 2 * counts[small] + 2) / 2
        lower[small] = np.nan_to_num(exact_lower)
        upper[small] = exact_upper
    return lower, upper


def per_unit_loop(successes, trials, counts):
    for x, n, c in zip(successes.tolist(), trials.tolist(), counts.tolist(), strict=True):
        for level in LEVELS:
            z = norm.ppf(level + (1 - level) / 2)
            spread = z * np.sqrt(z * z + 4 * x * (1 - x / n))
            (2 * x + z * z - spread) / 2 / (n + z * z)
            (2 * x + z * z + spread) / 2 / (n + z * z)
            if c < 10:
                chi2.ppf((1 - level) / 2, 2 * c) / 2
                chi2.ppf(level + (1 - level) / 2, 2 * c + 2) / 2
            else:
                c * (1 - 1 / (9 * c) - z / (3 * np.sqrt(c))) ** 3
                (c + 1) * (1 - 1 / (9 * (c + 1)) + z / (3 * np.sqrt(c + 1))) ** 3


def main() -> None:
    rng = np.random.default_rng(2024)
    trials = rng.integers(1, 20_000, size=UNITS)
    successes = rng.binomial(trials, 0.3)
    counts = rng.poisson(rng.gamma(1.0, 60.0, size=UNITS))  # about 15% below 10 events
    with np.errstate(divide="ignore", invalid="ignore"):
        fast = median_seconds(lambda: vectorised(successes, trials, counts), 5)
        wilson = median_seconds(lambda: wilson_careties(successes, trials), 5)
        wilson_sm = median_seconds(lambda: wilson_statsmodels(successes, trials), 5)
        byar = median_seconds(lambda: byar_careties(counts), 5)
        byar_np = median_seconds(lambda: byar_numpy_scipy(counts), 5)
        sample = slice(0, LOOP_SAMPLE)
        loop = median_seconds(
            lambda: per_unit_loop(successes[sample], trials[sample], counts[sample]), 3
        )
    loop_million = loop * UNITS / LOOP_SAMPLE
    # The baselines compute the same intervals (last level), or the comparison means nothing.
    with np.errstate(divide="ignore", invalid="ignore"):
        for mine, theirs in (
            (wilson_ci(successes, trials, LEVELS[-1]), wilson_statsmodels(successes, trials)),
            (byar_ci(counts, LEVELS[-1]), byar_numpy_scipy(counts)),
        ):
            for a, b in zip(mine, theirs, strict=True):
                assert np.allclose(a, b, rtol=1e-9, atol=1e-12), "baseline differs from careties"
    print(f"units: {UNITS:,}; levels: 95% and 99.8%; Wilson and Byar (exact Poisson below 10)")
    print(f"share of counts below 10 (exact Poisson): {np.mean(counts < 10):.1%}")
    print("medians of 5 runs, both levels:")
    print(
        f"  Wilson: careties {wilson:.3f} s; statsmodels proportion_confint (vectorised) "
        f"{wilson_sm:.3f} s -> {wilson_sm / wilson:.2f}x statsmodels' speed"
    )
    print(
        f"  Byar/exact Poisson: careties {byar:.3f} s; NumPy/SciPy vectorised {byar_np:.3f} s "
        f"-> {byar_np / byar:.2f}x the NumPy/SciPy speed"
    )
    print(
        f"  both: careties {fast:.3f} s; vectorised baselines {wilson_sm + byar_np:.3f} s "
        f"-> {(wilson_sm + byar_np) / fast:.2f}x"
    )
    print(
        f"reference only, per-unit SciPy loop (median of 3 on {LOOP_SAMPLE:,} units): "
        f"{loop:.3f} s -> {loop_million:.1f} s scaled to {UNITS:,} ({loop_million / fast:.0f}x)"
    )


if __name__ == "__main__":
    main()
