"""XmR statistical process control charts, as NHS England's "Making Data Count" (MDC).

The calculations and special-cause rules follow NHS-R's NHSRplotthedots (``ptd_spc``), the R
implementation of MDC, rule for rule, including how it breaks ties and which rule wins when a
point meets several. Reference: NHS England and NHS Improvement, "Making Data Count" (2019) and
"Making Data Count: Getting Started" (2019); Wheeler DJ, Understanding Variation (2000).
"""

from __future__ import annotations

import warnings
from collections.abc import Sequence
from typing import Literal

import numpy as np
import polars as pl
from numpy.lib.stride_tricks import sliding_window_view

from careties.errors import NotEnoughData
from careties.stats._validate import StatsInputError, as_float_array

__all__ = [
    "spc",
    "SPCWarning",
    "LIMIT_SCALE",
    "RUN_LENGTH",
    "TREND_LENGTH",
    "SHORT_SERIES",
    "POINT_TYPES",
    "VARIATION_ICONS",
    "ASSURANCE_ICONS",
]

#: Process limits: mean +/- 2.66 x mean moving range (3 sigma, as 2.66 = 3 / 1.128).
LIMIT_SCALE = 2.66
#: "Close to the limits": beyond mean +/- (2/3) x 2.66 x mean moving range (2 sigma).
TWO_SIGMA_SCALE = 2.0 * LIMIT_SCALE / 3.0
#: Moving ranges of 3.267 x the mean moving range or more are screened out (the upper range
#: limit, D4 = 3.267), and the mean moving range recomputed, as NHSRplotthedots does by default.
MOVING_RANGE_SCREEN = 3.267
#: A shift: this many points in a row on the same side of the mean.
RUN_LENGTH = 7
#: A trend: this many points in a row, each strictly higher (or lower) than the one before.
TREND_LENGTH = 7
#: Fewer points than this in a period give trial limits (NHSRplotthedots warns below 13).
SHORT_SERIES = 13

POINT_TYPES = (
    "common_cause",
    "special_cause_improvement",
    "special_cause_concern",
    "special_cause_neutral_high",
    "special_cause_neutral_low",
)
VARIATION_ICONS = (
    "common_cause",
    "improvement_high",
    "improvement_low",
    "concern_high",
    "concern_low",
    "neutral_high",
    "neutral_low",
)
ASSURANCE_ICONS = ("consistent_pass", "consistent_fail", "inconsistent")


class SPCWarning(UserWarning):
    """A chart was drawn, but its limits should not yet be trusted (too few points)."""


def _runs_ending_at(flags: np.ndarray, length: int) -> np.ndarray:
    """True at i when flags[i - length + 1 .. i] are all true."""
    out = np.zeros(flags.size, dtype=bool)
    if flags.size >= length:
        out[length - 1 :] = sliding_window_view(flags, length).all(axis=1)
    return out


def _part_of(ends: np.ndarray, length: int) -> np.ndarray:
    """True at every point of a window of ``length`` that ends where ``ends`` is true."""
    padded = np.concatenate([ends, np.zeros(length - 1, dtype=bool)])
    return sliding_window_view(padded, length).any(axis=1)


def _trend_points(y: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Points in a run of TREND_LENGTH strictly rising or falling values, and its direction.

    Equal neighbouring values break a trend, as in NHSRplotthedots.
    """
    size = y.size
    steps = np.sign(np.diff(y))
    rising_end = np.zeros(size, dtype=bool)
    falling_end = np.zeros(size, dtype=bool)
    if size >= TREND_LENGTH:
        rising_end[1:] = _runs_ending_at(steps == 1, TREND_LENGTH - 1)
        falling_end[1:] = _runs_ending_at(steps == -1, TREND_LENGTH - 1)
    in_trend = _part_of(rising_end | falling_end, TREND_LENGTH)
    # A point's direction is that of the step after it when the next point is in the same trend,
    # else the step before it (NHSRplotthedots' rule for points at the end of a trend).
    after = np.concatenate([steps, steps[-1:]]) if size > 1 else np.zeros(size)
    before = np.concatenate([[0.0], steps])
    next_in_trend = np.concatenate([in_trend[1:], [False]])
    direction = np.where(next_in_trend & in_trend, after, before)
    return in_trend, direction


def _two_in_three(close: np.ndarray, side: np.ndarray) -> np.ndarray:
    """Points beyond 2 sigma that are 2 of 3 such points in a row on one side of the mean."""
    size = close.size
    padded_close = np.concatenate([[False, False], close, [False, False]]).astype(int)
    padded_side = np.concatenate([[0, 0], side, [0, 0]])
    window_close = sliding_window_view(padded_close, 3).sum(axis=1) >= 2
    window_side = np.abs(sliding_window_view(padded_side, 3).sum(axis=1)) == 3
    window = window_close & window_side
    # window k covers padded positions k..k+2, i.e. points k-2..k; a point is in windows i..i+2.
    hit = sliding_window_view(window, 3).any(axis=1)[:size]
    return hit & close


def _rules(
    y: np.ndarray, mean: float, lower: float, upper: float, lower_2s: float, upper_2s: float
) -> tuple[np.ndarray, ...]:
    outside = (y > upper) | (y < lower)
    side = np.sign(y - mean).astype(int)
    close = ~outside & ((y < lower_2s) | (y > upper_2s))
    in_trend, direction = _trend_points(y)
    two_of_three = _two_in_three(close, side)
    run_end = _runs_ending_at(side == 1, RUN_LENGTH) | _runs_ending_at(side == -1, RUN_LENGTH)
    in_run = _part_of(run_end, RUN_LENGTH)
    above = side > 0
    where = np.where(above, "Above", "Below")
    rule = np.select(
        [outside, in_trend, two_of_three, in_run],
        [
            np.where(side == 1, "Above UCL", "Below LCL"),
            np.where(direction == 1, "7 Point Trend (Increasing)", "7 Point Trend (Decreasing)"),
            np.char.add(np.char.add("2 in 3 ", where), " CL"),
            np.char.add(np.char.add("7 Points ", where), " CL"),
        ],
        default="Common Cause",
    )
    return outside, side, close, rule


def _point_type(rule: np.ndarray, improvement: int) -> np.ndarray:
    high = np.char.find(rule, "Above") >= 0
    high |= np.char.find(rule, "Increasing") >= 0
    low = np.char.find(rule, "Below") >= 0
    low |= np.char.find(rule, "Decreasing") >= 0
    direction = np.where(high, 1, np.where(low, -1, 0))
    if improvement == 0:
        return np.select(
            [direction > 0, direction < 0],
            ["special_cause_neutral_high", "special_cause_neutral_low"],
            default="common_cause",
        )
    oriented = direction * improvement
    return np.select(
        [oriented > 0, oriented < 0],
        ["special_cause_improvement", "special_cause_concern"],
        default="common_cause",
    )


def _variation_icon(point_type: str, improvement: int) -> str:
    if point_type == "common_cause":
        return "common_cause"
    if point_type == "special_cause_neutral_high":
        return "neutral_high"
    if point_type == "special_cause_neutral_low":
        return "neutral_low"
    improving_high = improvement > 0
    if point_type == "special_cause_improvement":
        return "improvement_high" if improving_high else "improvement_low"
    return "concern_low" if improving_high else "concern_high"


def _assurance_icon(
    target: float | None, lower: float, upper: float, improvement: int
) -> str | None:
    if target is None or improvement == 0:
        return None
    if target > upper:
        return "consistent_fail" if improvement > 0 else "consistent_pass"
    if target < lower:
        return "consistent_pass" if improvement > 0 else "consistent_fail"
    return "inconsistent"


def _rebase_positions(
    rebase_at: Sequence[object] | None, dates: pl.Series | None, size: int
) -> list[int]:
    if not rebase_at:
        return []
    positions = []
    for point in rebase_at:
        if dates is None:
            if not isinstance(point, (int, np.integer)) or not 0 <= int(point) < size:
                raise StatsInputError(
                    f"without dates, rebase_at gives positions 0 to {size - 1}; got {point!r}"
                )
            positions.append(int(point))
        else:
            matches = np.flatnonzero((dates == point).fill_null(False).to_numpy())
            if matches.size == 0:
                raise StatsInputError(f"rebase date {point!r} is not one of the chart's dates")
            positions.append(int(matches[0]))
    return sorted(set(positions))


def spc(
    values: object,
    dates: object = None,
    improvement: Literal["down", "up"] | None = None,
    baseline: int | None = None,
    rebase_at: Sequence[object] | None = None,
    *,
    target: float | None = None,
    screen_outliers: bool = True,
) -> pl.DataFrame:
    """An XmR chart as NHS England's Making Data Count and NHSRplotthedots compute it.

    Within each period (the whole series, or the stretches between the points in
    ``rebase_at``), from its first ``baseline`` points (all of them if ``None``):

    - ``mean``: the mean of the values;
    - ``moving_range``: ``|x_i - x_(i-1)|``; the mean moving range ``mR`` leaves out moving
      ranges of 3.267 x mR or more (``screen_outliers``), and is recomputed without them;
    - process limits ``mean +/- 2.66 mR``; two-sigma lines ``mean +/- (2/3) 2.66 mR``.

    Special-cause rules, applied to every point of the period, first match wins:

    1. a point above the upper or below the lower process limit (``"Above UCL"``, ``"Below LCL"``);
    2. 7 points in a row each strictly higher (or lower) than the one before; equal
       neighbours break the trend (``"7 Point Trend (Increasing)"``/``"(Decreasing)"``);
    3. 2 of 3 points in a row beyond the same two-sigma line, all 3 on that side of the mean;
       only the points beyond two sigma (and inside the limits) are flagged (``"2 in 3 Above CL"``);
    4. 7 points in a row on the same side of the mean; a point exactly on the mean breaks the
       run (``"7 Points Above CL"``, ``"7 Points Below CL"``); otherwise ``"Common Cause"``.

    ``improvement`` is ``"up"``, ``"down"`` (admissions measures improve by going down) or
    ``None`` (neither). ``point_type`` is ``common_cause``, ``special_cause_improvement``,
    ``special_cause_concern`` or, without a direction, ``special_cause_neutral_high`` /
    ``special_cause_neutral_low``. ``variation_icon`` is the MDC icon for the period's last point:
    ``common_cause``, ``improvement_high``/``_low``, ``concern_high``/``_low``,
    ``neutral_high``/``_low``. ``assurance_icon`` (needs ``target`` and a direction):
    ``consistent_pass`` (the target lies beyond the limit on the failing side, so every point
    meets it), ``consistent_fail`` (the target lies beyond the limit on the improving side) or
    ``inconsistent`` (hit or miss: the target is between the limits). The chart's icons are
    those on its last row.

    ``values`` must be finite numbers (NaN raises :class:`StatsInputError`: a gap in a series
    changes every moving range after it, so careties will not guess). ``dates``, if given, order
    the points and must be unique; ``rebase_at`` then holds dates, otherwise positions.

    Returns one row per point, in date order, with columns ``position`` (0-based, in the
    order given), ``date`` (if dates were given), ``value``, ``period`` (0, 1, ... per rebase),
    ``mean``, ``moving_range``, ``mean_moving_range``, ``lower_process_limit``,
    ``upper_process_limit``, ``lower_two_sigma``, ``upper_two_sigma``, ``outside_limits``,
    ``relative_to_mean`` (-1, 0, 1), ``close_to_limits``, ``special_cause_rule``,
    ``special_cause`` (bool), ``point_type``, ``variation_icon``, ``target``,
    ``assurance_icon`` and ``short_period`` (fewer than 13 points: trial limits).

    Raises :class:`StatsInputError` for an empty series, NaN values, a period of fewer than 2
    points (no moving range), a baseline under 2, or duplicate dates. Periods shorter than 13
    points still get a chart, flagged ``short_period``, with an :class:`SPCWarning`: MDC
    recommends 15 to 20 points before limits are trusted, and rules that need 7 points simply
    cannot fire in a shorter period.
    """
    direction = {"up": 1, "down": -1, None: 0}.get(improvement)  # type: ignore[arg-type]
    if direction is None:
        raise StatsInputError(f"improvement must be 'up', 'down' or None; got {improvement!r}")
    y = np.atleast_1d(as_float_array(values, "values")).ravel()
    if y.size == 0:
        raise NotEnoughData("the series is empty: an SPC chart needs at least 2 points")
    if np.isnan(y).any():
        raise StatsInputError(
            "the series has missing values (NaN); remove or fill them before charting"
        )
    if baseline is not None and baseline < 2:
        raise StatsInputError("baseline must be at least 2 points (one moving range)")
    order = np.arange(y.size)
    date_series = None
    if dates is not None:
        date_series = pl.Series("date", dates)
        if date_series.len() != y.size:
            raise StatsInputError("dates and values must be the same length")
        if date_series.null_count() or date_series.is_duplicated().any():
            raise StatsInputError("dates must be present and unique, one per value")
        order = date_series.arg_sort().to_numpy()
        date_series = date_series.gather(order)
        y = y[order]
    starts = _rebase_positions(rebase_at, date_series, y.size)
    bounds = sorted({0, *starts, y.size})
    pieces = []
    short = False
    for period, (start, stop) in enumerate(zip(bounds[:-1], bounds[1:], strict=True)):
        segment = y[start:stop]
        if segment.size < 2:
            raise NotEnoughData(
                f"period {period} (from point {start}) has {segment.size} point; "
                "each period needs at least 2 points for a moving range"
            )
        fixed = segment if baseline is None else segment[:baseline]
        mean = float(fixed.mean())
        moving_range = np.abs(np.diff(fixed))
        mean_mr = float(moving_range.mean())
        if screen_outliers:
            kept = moving_range[moving_range < MOVING_RANGE_SCREEN * mean_mr]
            mean_mr = float(kept.mean()) if kept.size else mean_mr
        lower = mean - LIMIT_SCALE * mean_mr
        upper = mean + LIMIT_SCALE * mean_mr
        lower_2s = mean - TWO_SIGMA_SCALE * mean_mr
        upper_2s = mean + TWO_SIGMA_SCALE * mean_mr
        outside, side, close, rule = _rules(segment, mean, lower, upper, lower_2s, upper_2s)
        point_type = _point_type(rule, direction)
        size = segment.size
        short = short or size < SHORT_SERIES
        pieces.append(
            {
                "value": segment,
                "period": np.full(size, period),
                "mean": np.full(size, mean),
                "moving_range": np.concatenate([[np.nan], np.abs(np.diff(segment))]),
                "mean_moving_range": np.full(size, mean_mr),
                "lower_process_limit": np.full(size, lower),
                "upper_process_limit": np.full(size, upper),
                "lower_two_sigma": np.full(size, lower_2s),
                "upper_two_sigma": np.full(size, upper_2s),
                "outside_limits": outside,
                "relative_to_mean": side,
                "close_to_limits": close,
                "special_cause_rule": rule,
                "special_cause": rule != "Common Cause",
                "point_type": point_type,
                "variation_icon": np.full(size, _variation_icon(point_type[-1], direction)),
                "target": np.full(size, np.nan if target is None else float(target)),
                "assurance_icon": np.full(
                    size, _assurance_icon(target, lower, upper, direction), dtype=object
                ),
                "short_period": np.full(size, size < SHORT_SERIES),
            }
        )
    if short:
        warnings.warn(
            f"a period has fewer than {SHORT_SERIES} points: its limits are trial limits, and "
            "rules needing 7 points may not be able to fire",
            SPCWarning,
            stacklevel=2,
        )
    columns = {key: np.concatenate([piece[key] for piece in pieces]) for key in pieces[0]}
    frame = pl.DataFrame(
        {
            "position": order,
            **({"date": date_series} if date_series is not None else {}),
            **{k: v for k, v in columns.items() if k not in ("assurance_icon", "moving_range")},
        }
    )
    return frame.with_columns(
        pl.Series("moving_range", columns["moving_range"], dtype=pl.Float64).fill_nan(None),
        pl.Series("assurance_icon", list(columns["assurance_icon"]), dtype=pl.Utf8),
        pl.col("target").fill_nan(None),
    ).select(
        "position",
        *(["date"] if date_series is not None else []),
        "value",
        "period",
        "mean",
        "moving_range",
        "mean_moving_range",
        "lower_process_limit",
        "upper_process_limit",
        "lower_two_sigma",
        "upper_two_sigma",
        "outside_limits",
        "relative_to_mean",
        "close_to_limits",
        "special_cause_rule",
        "special_cause",
        "point_type",
        "variation_icon",
        "target",
        "assurance_icon",
        "short_period",
    )
