"""Indirect standardisation: observed against expected counts, as PHEindicatormethods does it.

Why: a practice with an older list admits more people to care homes for reasons
no conversation with a GP will change. Indirect standardisation applies the
reference population's rate in each stratum (age band) to the unit's own
population, ``E = sum_b n_b r_b``, and compares the observed count with that:
the standardised ratio ``O / E``. It is a general public-health method, used by
``careties.referrals`` for practices and GPs, so it lives here.

The interval is PHEindicatormethods' ``calculate_ISRatio``: the observed count's
exact Poisson interval below 10 and Byar's approximation from 10 upwards
(:func:`careties.stats.byar_ci`), divided by ``E``. Tested against the
package's published test workbook (``testdata_DSR_ISR.xlsx``, sheet
``testresults_ISR``).

Missing counts and populations count as zero, as ``calculate_ISRatio`` sums them.
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np
import polars as pl

from careties.errors import NotEnoughData
from careties.stats._validate import StatsInputError
from careties.stats.intervals import EXACT_POISSON_BELOW, byar_ci

__all__ = [
    "ISR_COLUMNS",
    "expected_counts",
    "indirectly_standardised_ratio",
    "ratio_ci",
    "stratum_rates",
]

#: Columns of :func:`indirectly_standardised_ratio` after the unit column(s).
ISR_COLUMNS: tuple[str, ...] = ("observed", "expected", "value", "lower", "upper", "method")


def _columns(frame: pl.DataFrame, needed: Sequence[str], name: str) -> None:
    missing = [c for c in needed if c not in frame.columns]
    if missing:
        raise StatsInputError(f"the {name} frame lacks column(s): {', '.join(missing)}")


def stratum_rates(
    reference: pl.DataFrame,
    *,
    stratum: str,
    observed: str,
    population: str,
    by: Sequence[str] = (),
) -> pl.DataFrame:
    """The reference rate in each stratum: ``sum(observed) / sum(population)``.

    ``by`` keeps separate references (one per council, say). A stratum with no
    population has rate 0: it cannot add to anyone's expected count. Columns:
    ``by``, ``stratum``, ``rate``.
    """
    _columns(reference, [*by, stratum, observed, population], "reference")
    sums = reference.group_by([*by, stratum], maintain_order=True).agg(
        pl.col(observed).cast(pl.Float64).fill_null(0.0).sum().alias("_o"),
        pl.col(population).cast(pl.Float64).fill_null(0.0).sum().alias("_n"),
    )
    if (sums["_o"] < 0).any() or (sums["_n"] < 0).any():
        raise StatsInputError("reference counts and populations must be zero or more")
    return sums.select(
        *by,
        stratum,
        pl.when(pl.col("_n") > 0).then(pl.col("_o") / pl.col("_n")).otherwise(0.0).alias("rate"),
    )


def expected_counts(
    frame: pl.DataFrame,
    rates: pl.DataFrame,
    *,
    unit: str | Sequence[str],
    stratum: str,
    population: str,
    by: Sequence[str] = (),
) -> pl.DataFrame:
    """Each unit's expected count, ``sum over strata of population * reference rate``.

    ``rates`` is :func:`stratum_rates`' output (joined on ``by`` and ``stratum``;
    a stratum missing from it has rate 0). Columns: the unit column(s),
    ``expected`` and ``population`` (the unit's total).
    """
    units = [unit] if isinstance(unit, str) else list(unit)
    _columns(frame, [*units, *by, stratum, population], "units")
    if (frame[population].fill_null(0) < 0).any():
        raise StatsInputError("populations must be zero or more")
    return (
        frame.join(rates, on=[*by, stratum], how="left")
        .group_by(units, maintain_order=True)
        .agg(
            (pl.col(population).cast(pl.Float64).fill_null(0.0) * pl.col("rate").fill_null(0.0))
            .sum()
            .alias("expected"),
            pl.col(population).cast(pl.Float64).fill_null(0.0).sum().alias("population"),
        )
    )


def ratio_ci(
    observed: np.ndarray | Sequence[float],
    expected: np.ndarray | Sequence[float],
    confidence: float = 0.95,
    multiplier: float = 1.0,
) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """``O / E`` and its interval: the count's exact (below 10) or Byar limits over ``E``.

    Where ``E`` is 0 the ratio is undefined and all three are NaN.
    """
    o = np.asarray(observed, dtype=float)
    e = np.asarray(expected, dtype=float)
    if (o < 0).any():
        raise StatsInputError("observed counts must be zero or more")
    if (e < 0).any():
        raise StatsInputError("expected counts must be zero or more")
    lower, upper = byar_ci(o, confidence=confidence)
    with np.errstate(divide="ignore", invalid="ignore"):
        scale = np.where(e > 0, multiplier / e, np.nan)
    return o * scale, np.asarray(lower) * scale, np.asarray(upper) * scale


def indirectly_standardised_ratio(
    frame: pl.DataFrame,
    reference: pl.DataFrame,
    *,
    unit: str,
    stratum: str,
    observed: str = "observed",
    population: str = "population",
    confidence: float = 0.95,
    multiplier: float = 1.0,
) -> pl.DataFrame:
    """The indirectly standardised ratio of each unit, as ``calculate_ISRatio`` gives it.

    ``frame`` has one row per unit and stratum (``observed`` events among
    ``population`` people); ``reference`` one row per stratum with the same two
    column names (the reference population, England or the council as a whole).
    ``multiplier`` is PHE's ``refvalue`` (100 for a ratio x 100). Columns: ``unit``,
    then :data:`ISR_COLUMNS`; ``method`` is ``"Exact"`` below 10 observed and
    ``"Byars"`` from 10, as PHE labels it.
    """
    _columns(frame, [unit, stratum, observed, population], "units")
    if frame.is_empty():
        raise NotEnoughData("there are no units to standardise")
    if (frame[observed].fill_null(0) < 0).any():
        raise StatsInputError("observed counts must be zero or more")
    rates = stratum_rates(reference, stratum=stratum, observed=observed, population=population)
    expected = expected_counts(frame, rates, unit=unit, stratum=stratum, population=population)
    counts = frame.group_by(unit, maintain_order=True).agg(
        pl.col(observed).cast(pl.Float64).fill_null(0.0).sum().alias("observed")
    )
    joined = counts.join(expected.select(unit, "expected"), on=unit, how="left")
    value, lower, upper = ratio_ci(
        joined["observed"].to_numpy(), joined["expected"].to_numpy(), confidence, multiplier
    )
    return joined.with_columns(
        pl.Series("value", value).fill_nan(None),
        pl.Series("lower", lower).fill_nan(None),
        pl.Series("upper", upper).fill_nan(None),
        pl.when(pl.col("observed") < EXACT_POISSON_BELOW)
        .then(pl.lit("Exact"))
        .otherwise(pl.lit("Byars"))
        .alias("method"),
    ).select(unit, *ISR_COLUMNS)
