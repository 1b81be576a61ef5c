"""Anonymised practices' sizes in bands, so a size cannot be matched to a public list.

NHS Digital publishes every practice's registered patients by age. A practice
shown as "Practice 3F2A1" with "Patients 65+: 1,235" (rounded to 5) was matched
to its public list size uniquely 38 times in 40. For practices a role sees
anonymised, sizes are shown as bands ("1,000 to 1,999") built from the table's
own practices so that every band holds at least ``MIN_PER_BAND`` of them. Their
rate is the shown (rounded) count over the mean size of the band's practices:
any rate computed from a practice's own size gives that size back as
count / rate (a security probe recovered 6 of 34 sizes that way when the count
was a multiple of 5), whereas count / rate now gives only the band's mean, shared
by at least five practices. Their intervals are withheld. The user's own
practice keeps its exact figures.
"""

from __future__ import annotations

import math
from bisect import bisect_left

import polars as pl

MIN_PER_BAND = 5
STEP = 250  # band edges fall on multiples of this


def _edges(values: list[int]) -> list[tuple[int, float]]:
    """Consecutive bands with edges on STEP multiples, each holding MIN_PER_BAND values."""
    values = sorted(values)
    if len(values) < MIN_PER_BAND * 2:
        return [(0, math.inf)]  # too few practices to band: one band for all
    bands: list[tuple[int, float]] = []
    low = 0
    while True:
        high = low + STEP
        while bisect_left(values, high) - bisect_left(values, low) < MIN_PER_BAND:
            high += STEP
        if len(values) - bisect_left(values, high) < MIN_PER_BAND:
            bands.append((low, math.inf))
            return bands
        bands.append((low, high - 1))
        low = high


def label(low: int, high: float) -> str:
    if high == math.inf:
        return f"{low:,} or more" if low else "any size"
    return f"{low:,} to {int(high):,}"


def band_of(value: int | None, bands: list[tuple[int, float]]) -> str | None:
    if value is None:
        return None
    for low, high in bands:
        if low <= value <= high:
            return label(low, high)
    return label(*bands[0]) if value < bands[0][0] else label(*bands[-1])


def midpoint(text: object) -> float | None:
    """A number for a chart axis from a shown size (a band's middle, or the number itself)."""
    if text is None:
        return None
    if isinstance(text, int | float):
        return float(text)
    digits = [
        int(part.replace(",", "")) for part in str(text).split() if part.replace(",", "").isdigit()
    ]
    if len(digits) == 2:
        return (digits[0] + digits[1]) / 2
    return float(digits[0]) if digits else None


def band(original: pl.DataFrame, out: pl.DataFrame, anonymised: pl.Series, rates) -> pl.DataFrame:
    """Sizes of anonymised rows as bands; their rates from the true figures; intervals withheld."""
    if not anonymised.any():
        return out
    for rate in rates:
        size = rate.denominator
        if size not in out.columns or not original[size].dtype.is_integer():
            continue
        true_sizes = original[size]
        bands = _edges([int(v) for v in true_sizes.drop_nulls().to_list()])
        shown = [
            band_of(int(t), bands)
            if hidden and t is not None
            else (None if s is None else str(int(s)))
            for t, s, hidden in zip(
                true_sizes.to_list(), out[size].to_list(), anonymised.to_list(), strict=True
            )
        ]
        out = out.with_columns(pl.Series(size, shown, dtype=pl.String))
        if rate.column in out.columns and rate.numerator in out.columns:
            every_band = [None if t is None else band_of(int(t), bands) for t in true_sizes]
            band_mean = _band_means(true_sizes, every_band)
            shown_count = out[rate.numerator].cast(pl.Float64, strict=False)
            exact = (
                pl.DataFrame({"count": shown_count, "size": band_mean})
                .select(
                    pl.when(pl.col("size") > 0)
                    .then(pl.col("count") / pl.col("size") * rate.multiplier)
                    .round(rate.digits)
                    .alias("_rate")
                )["_rate"]
            )
            hidden_rate = (
                out[f"_suppressed_{rate.column}"]
                if f"_suppressed_{rate.column}" in out.columns
                else None
            )
            keep = anonymised if hidden_rate is None else anonymised & ~hidden_rate.fill_null(False)
            out = out.with_columns(
                pl.when(pl.Series(keep))
                .then(exact)
                .otherwise(pl.col(rate.column))
                .alias(rate.column)
            )
        for interval in rate.intervals:
            if interval in out.columns:
                out = out.with_columns(
                    pl.when(pl.Series(anonymised))
                    .then(None)
                    .otherwise(pl.col(interval))
                    .alias(interval)
                )
    return out


def _band_means(true_sizes: pl.Series, shown: list[str | None]) -> pl.Series:
    """Each row's band's mean true size: the one size a band's rates may be computed from."""
    frame = pl.DataFrame(
        {"size": true_sizes.cast(pl.Float64), "band": pl.Series(shown, dtype=pl.String)}
    )
    return frame.select(pl.col("size").mean().over("band"))["size"]
