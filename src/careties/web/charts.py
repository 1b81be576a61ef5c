"""Plotly figures built with ``plotly.graph_objects``, drawn in the browser by ``careties/charts.js``.

Plotly checks every trace and layout as it is built; the figure then goes on as
a plain dict into a ``<script type="application/json">`` block (no inline
JavaScript, so a strict Content-Security-Policy holds; plotly.js is served from
the package, never a CDN). Every chart has its title (``layout.meta.title``, the
caption) and axis titles, and sits beside a table of the same figures, its text
alternative. Colours are NHS identity colours with 3:1 contrast against white
for non-text elements (WCAG 2.2 1.4.11).
"""

from __future__ import annotations

import datetime as dt
import json
import math
from collections.abc import Sequence
from typing import Any

import numpy as np
import plotly.graph_objects as go
from markupsafe import Markup
from plotly.basedatatypes import BaseTraceType

NHS_BLUE = "#005eb8"
NHS_DARK_BLUE = "#003087"
NHS_ORANGE = "#ed8b00"
NHS_DARK_GREY = "#425563"
NHS_MID_GREY = "#768692"
NHS_GREEN = "#007f3b"
NHS_RED = "#d5281b"
NHS_PURPLE = "#330072"
PALETTE = (NHS_BLUE, NHS_ORANGE, NHS_GREEN, NHS_PURPLE, NHS_DARK_GREY, NHS_RED)

#: Making Data Count point colours: improvement blue, concern orange, common cause grey.
POINT_COLOURS = {
    "common_cause": NHS_MID_GREY,
    "special_cause_improvement": NHS_BLUE,
    "special_cause_concern": NHS_ORANGE,
    "special_cause_neutral_high": NHS_PURPLE,
    "special_cause_neutral_low": NHS_PURPLE,
}


def _plain(value: Any) -> Any:
    if isinstance(value, dt.date | dt.datetime):
        return value.isoformat()
    return value


def _values(values: Sequence[Any]) -> list[Any]:
    return [_plain(v) for v in values]


def layout(title: str, x_title: str = "", y_title: str = "", **extra: Any) -> dict:
    """The shared look: NHS font stack, no title inside the plot (the caption is the title)."""
    base = {
        "font": {"family": "Frutiger W01, Arial, sans-serif", "size": 14, "color": "#212b32"},
        "margin": {"l": 60, "r": 20, "t": 20, "b": 60},
        "xaxis": {"title": {"text": x_title}, "automargin": True},
        "yaxis": {"title": {"text": y_title}, "automargin": True, "rangemode": "tozero"},
        # Above the plot: below it, the legend collides with the x-axis title.
        "legend": {"orientation": "h", "yanchor": "bottom", "y": 1.02, "x": 0},
        "hovermode": "closest",
        "meta": {"title": title},
    }
    base.update(extra)
    return base


def figure(data: Sequence[BaseTraceType | dict], figure_layout: dict | go.Layout) -> dict:
    """A JSON-ready dict of checked traces and layout, without ``go.Figure``'s 10 kB template."""
    # A dict is checked by making it its trace; a go trace was checked when it was made.
    traces = [
        trace if isinstance(trace, BaseTraceType) else go.Figure(data=[trace]).data[0]
        for trace in data
    ]
    checked_layout = (
        figure_layout if isinstance(figure_layout, go.Layout) else go.Layout(figure_layout)
    )
    return {
        "data": [trace.to_plotly_json() for trace in traces],
        "layout": checked_layout.to_plotly_json(),
    }


def line_chart(
    x: Sequence[Any],
    series: dict[str, Sequence[Any]],
    *,
    title: str,
    x_title: str = "",
    y_title: str = "",
) -> dict:
    """One line per series against a shared x axis."""
    data = [
        go.Scatter(
            mode="lines+markers",
            name=name,
            x=_values(x),
            y=_values(ys),
            line={"color": PALETTE[i % len(PALETTE)], "width": 2},
        )
        for i, (name, ys) in enumerate(series.items())
    ]
    return figure(data, layout(title, x_title, y_title))


def _error_bars(values: list[Any], lower: Sequence[Any], upper: Sequence[Any]) -> dict[str, Any]:
    """Asymmetric error bars from interval bounds (Plotly wants distances from the value)."""
    return {
        "type": "data",
        "symmetric": False,
        "array": [
            (u - v) if u is not None and v is not None else None
            for v, u in zip(values, upper, strict=True)
        ],
        "arrayminus": [
            (v - lo) if lo is not None and v is not None else None
            for v, lo in zip(values, lower, strict=True)
        ],
        "color": NHS_DARK_GREY,
    }


def _reference_line(reference: float, label: str, horizontal: bool) -> dict[str, Any]:
    """A dashed line across the plot at ``reference`` on the value axis, with its label."""
    axis = "x" if horizontal else "y"
    across = "y" if horizontal else "x"
    extra: dict[str, Any] = {
        "shapes": [
            {
                "type": "line",
                f"{axis}0": reference,
                f"{axis}1": reference,
                f"{axis}ref": axis,
                f"{across}ref": "paper",
                f"{across}0": 0,
                f"{across}1": 1,
                "line": {"color": NHS_DARK_BLUE, "dash": "dash", "width": 2},
            }
        ]
    }
    if label:
        extra["annotations"] = [
            {
                "text": label,
                "showarrow": False,
                axis: reference,
                across: 1.02,
                f"{axis}ref": axis,
                f"{across}ref": "paper",
            }
        ]
    return extra


def bar_chart(
    categories: Sequence[str],
    series: dict[str, Sequence[Any]],
    *,
    title: str,
    value_title: str = "",
    errors: dict[str, tuple[Sequence[Any], Sequence[Any]]] | None = None,
    horizontal: bool = True,
    reference: float | None = None,
    reference_label: str = "",
) -> dict:
    """Grouped bars, optionally with intervals (``errors`` as lower and upper bounds)."""
    axis_cat, axis_val = ("y", "x") if horizontal else ("x", "y")
    data = []
    for i, (name, values) in enumerate(series.items()):
        values = _values(values)
        bars: dict[str, Any] = {
            axis_cat: list(categories),
            axis_val: values,
        }
        if errors and name in errors:
            bars[f"error_{axis_val}"] = _error_bars(values, *errors[name])
        data.append(
            go.Bar(
                name=name,
                orientation="h" if horizontal else "v",
                marker={"color": PALETTE[i % len(PALETTE)]},
                **bars,
            )
        )
    value_axis = {"title": {"text": value_title}, "automargin": True, "rangemode": "tozero"}
    # Every bar labelled: Plotly skips category labels when they crowd unless told each one.
    labels = list(categories)
    category_axis = {
        "automargin": True,
        "type": "category",
        "tickmode": "array",
        "tickvals": labels,
        "ticktext": labels,
    }
    extra: dict[str, Any] = {"barmode": "group"}
    if horizontal:
        # Tall enough for each label to have its own line (about 22 px a bar group).
        rows = len(labels) * max(1, len(series))
        extra["height"] = max(360, min(2400, 120 + 22 * rows))
        extra.update(xaxis=value_axis, yaxis={**category_axis, "autorange": "reversed"})
    else:
        extra.update(xaxis=category_axis, yaxis=value_axis)
    if reference is not None:
        extra.update(_reference_line(reference, reference_label, horizontal))
    return figure(data, layout(title, **extra))


#: An SPC chart's points in the legend, by what a point is.
_PERIODS = {"Month": "Monthly value", "Quarter": "Quarterly value"}


def spc_chart(
    dates: Sequence[Any],
    values: Sequence[float],
    mean: Sequence[float],
    lower: Sequence[float],
    upper: Sequence[float],
    point_types: Sequence[str],
    *,
    title: str,
    y_title: str = "",
    period: str = "Month",
) -> dict:
    """An XmR chart as Making Data Count draws it: grey common cause, blue/orange special cause.

    ``period`` ("Month" or "Quarter"): what a point is, for the x axis and the legend.
    """
    x = _values(dates)
    limit = {"mode": "lines", "x": x, "line": {"color": NHS_MID_GREY, "dash": "dash", "width": 1.5}}
    data = [
        go.Scatter(name="Process limits", y=list(upper), **limit),
        go.Scatter(name="Lower limit", y=list(lower), showlegend=False, **limit),
        go.Scatter(
            mode="lines",
            name="Mean",
            x=x,
            y=list(mean),
            line={"color": NHS_DARK_GREY, "width": 1.5},
        ),
        go.Scatter(
            mode="lines+markers",
            name=_PERIODS[period],
            x=x,
            y=list(values),
            line={"color": NHS_MID_GREY, "width": 1.5},
            marker={
                "size": 9,
                "color": [POINT_COLOURS.get(p, NHS_MID_GREY) for p in point_types],
            },
            text=[p.replace("_", " ") for p in point_types],
            hovertemplate="%{x}: %{y}<br>%{text}<extra></extra>",
        ),
    ]
    return figure(data, layout(title, period, y_title))


def funnel_chart(
    denominators: Sequence[float],
    values: Sequence[float | None],
    labels: Sequence[str],
    limits: dict[str, Sequence[float]],
    limit_x: Sequence[float],
    target: float,
    *,
    title: str,
    x_title: str,
    y_title: str,
    highlight: str | None = None,
) -> dict:
    """Units against their denominators inside 95% and 99.8% control limits."""
    data: list[go.Scatter] = []
    styles = {
        "upper_99_8": ("99.8% limits", NHS_DARK_GREY, "dash", True),
        "lower_99_8": ("99.8% lower", NHS_DARK_GREY, "dash", False),
        "upper_95": ("95% limits", NHS_MID_GREY, "dot", True),
        "lower_95": ("95% lower", NHS_MID_GREY, "dot", False),
    }
    for key, (name, colour, dash, legend) in styles.items():
        if key in limits:
            data.append(
                go.Scatter(
                    mode="lines",
                    name=name,
                    x=list(limit_x),
                    y=list(limits[key]),
                    line={"color": colour, "dash": dash, "width": 1.5},
                    showlegend=legend,
                    hoverinfo="skip",
                )
            )
    data.append(
        go.Scatter(
            mode="lines",
            name="Council average",
            x=[min(limit_x, default=0), max(limit_x, default=1)],
            y=[target, target],
            line={"color": NHS_DARK_BLUE, "width": 1.5},
        )
    )
    shown = [
        (d, v, lab) for d, v, lab in zip(denominators, values, labels, strict=True) if v is not None
    ]
    above, below = _outside(shown, limit_x, limits)
    outside = {s[2] for s in above + below}

    def points(group: list, name: str, marker: dict, **more: Any) -> go.Scatter:
        return go.Scatter(
            name=name,
            x=[s[0] for s in group],
            y=[s[1] for s in group],
            text=[s[2] for s in group],
            marker=marker,
            **more,
        )

    for group, name, colour in (
        (above, "Above the 99.8% limit", NHS_ORANGE),
        (below, "Below the 99.8% limit", NHS_DARK_BLUE),
    ):
        if group:
            data.append(
                points(
                    group,
                    name,
                    {"color": colour, "size": 11},
                    mode="markers+text",
                    textposition="top center",
                    hovertemplate="%{text}: %{y:.1f}<extra></extra>",
                )
            )
    others = [s for s in shown if s[2] != highlight and s[2] not in outside]
    data.append(
        points(
            others,
            "Practices",
            {"color": NHS_BLUE, "size": 9},
            mode="markers",
            hovertemplate="%{text}: %{y:.1f}<extra></extra>",
        )
    )
    mine = [s for s in shown if s[2] == highlight]
    if mine:
        data.append(
            points(
                mine,
                f"{highlight}",
                {"color": NHS_ORANGE, "size": 14, "symbol": "diamond"},
                mode="markers",
            )
        )
    chart_layout = layout(title, x_title, y_title)
    # The axis fits the practices, not the limits (which run off towards small denominators).
    top = max([s[1] for s in shown] + [target], default=0)
    if top > 0:
        chart_layout["yaxis"]["range"] = [0, top * 1.2]
    return figure(data, chart_layout)


def _outside(
    shown: list[tuple[float, float, str]],
    limit_x: Sequence[float],
    limits: dict[str, Sequence[float]],
) -> tuple[list, list]:
    """Units above the upper and below the lower 99.8% limit at their own denominator."""
    if "upper_99_8" not in limits or not len(limit_x):
        return [], []
    xs = np.asarray(limit_x, dtype=float)
    order = np.argsort(xs)

    def at(key: str, x: float) -> float:
        ys = np.asarray(limits[key], dtype=float)[order]
        return float(np.interp(x, xs[order], ys))

    above = [s for s in shown if s[1] > at("upper_99_8", s[0])]
    below = [s for s in shown if s[1] < at("lower_99_8", s[0])] if "lower_99_8" in limits else []
    return above, below


def _finite(value: Any) -> Any:
    """NaN and infinities become null: JSON has no NaN, and a gap is what they mean."""
    if isinstance(value, float):
        return value if math.isfinite(value) else None
    if isinstance(value, dict):
        return {k: _finite(v) for k, v in value.items()}
    if isinstance(value, list | tuple):
        return [_finite(v) for v in value]
    return value


def as_json(figure_dict: dict) -> Markup:
    """The figure as JSON safe to place inside ``<script type="application/json">``."""
    text = json.dumps(_finite(figure_dict), default=_plain, separators=(",", ":"), allow_nan=False)
    # "</" would end the script element early; "<!--" could open a comment.
    text = text.replace("<", "\\u003c").replace(">", "\\u003e").replace("&", "\\u0026")
    return Markup(text)
