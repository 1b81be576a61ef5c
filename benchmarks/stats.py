"""Benchmark: 95% and 99.8% Wilson and Byar intervals for a million units.

Run: .venv/bin/python benchmarks/stats.py

careties' vectorised kernels are timed on all 1,000,000 units (median of 5 runs). The
comparison is the obvious per-unit SciPy loop (scipy.stats.norm / chi2 called once per unit
and level, the way a one-row-at-a-time port of the R functions would run); it is timed in this
same run on a sample of 20,000 units (median of 3) and scaled per unit to a million.
"""

from __future__ import annotations

import statistics
import time

import numpy as np
from scipy.stats import chi2, norm

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
    fast = median_seconds(lambda: vectorised(successes, trials, counts), 5)
    sample = slice(0, LOOP_SAMPLE)
    loop = median_seconds(
        lambda: per_unit_loop(successes[sample], trials[sample], counts[sample]), 3
    )
    loop_million = loop * UNITS / LOOP_SAMPLE
    print(f"units: {UNITS:,}; levels: 95% and 99.8%; Wilson and Byar (exact Poisson below 10)")
    print(f"share of counts below 10 (exact Poisson): {np.mean(counts < 10):.1%}")
    print(f"careties vectorised, median of 5: {fast:.3f} s")
    print(
        f"per-unit SciPy loop, median of 3 on {LOOP_SAMPLE:,} units: {loop:.3f} s "
        f"-> {loop_million:.1f} s scaled to {UNITS:,}"
    )
    print(f"speed-up: {loop_million / fast:.0f}x (target: at least 50x)")


if __name__ == "__main__":
    main()
