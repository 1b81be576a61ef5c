"""Figures several sections share, read from the disclosed frame by column name."""

from __future__ import annotations

import datetime as dt

import polars as pl

from careties.web.presenters.figures import (
    ASCOF_COLUMNS,
    INDICATOR_COLUMNS,
    interval_bars,
    interval_columns,
    lines_by,
    spc_figure,
)


def test_interval_bars_draw_each_bound_as_its_distance_from_the_value():
    shown = pl.DataFrame(
        {"label": ["a", "b"], "percent": [40.0, None], "lower": [30.0, None], "upper": [55.0, 9.0]}
    )
    figure = interval_bars(shown, "label", "percent", "Percent", title="t", reference=50.0)
    (bars,) = figure["data"]
    assert bars["name"] == "Percent" and bars["y"] == ["a", "b"] and bars["x"] == [40.0, None]
    # A suppressed value has no interval to draw, even when a bound survived.
    assert bars["error_x"]["array"] == [15.0, None]
    assert bars["error_x"]["arrayminus"] == [10.0, None]
    assert figure["layout"]["shapes"][0]["x0"] == 50.0


def test_lines_by_leave_a_gap_where_a_group_has_no_value_and_keep_the_order_asked():
    shown = pl.DataFrame(
        {
            "period": ["2024-25", "2023-24", "2024-25"],
            "label": ["Home care", "Care home admissions", "Care home admissions"],
            "rate": [3.0, 1.0, 2.0],
        }
    )
    figure = lines_by(
        shown, "period", "label", "rate", groups=["Care home admissions", "Home care"], title="t"
    )
    assert [line["name"] for line in figure["data"]] == ["Care home admissions", "Home care"]
    assert figure["data"][0]["x"] == ["2023-24", "2024-25"]
    assert figure["data"][0]["y"] == [1.0, 2.0]
    assert figure["data"][1]["y"] == [None, 3.0]


def test_spc_figure_reads_the_named_date_and_value_with_the_spc_columns():
    shown = pl.DataFrame(
        {
            "month": [dt.date(2025, 4, 1), dt.date(2025, 5, 1)],
            "admissions": [7, 30],
            "mean": [10.0, 10.0],
            "lower_process_limit": [0.0, 0.0],
            "upper_process_limit": [25.0, 25.0],
            "point_type": ["common_cause", "special_cause_concerning"],
        }
    )
    figure = spc_figure(shown, date="month", value="admissions", title="t", y_title="y")
    values = next(trace for trace in figure["data"] if trace["name"] == "Monthly value")
    assert values["y"] == [7, 30]
    assert values["text"] == ["common cause", "special cause concerning"]


def test_shared_column_sets_label_their_intervals_as_every_table_does():
    assert [c.label for c in interval_columns("rate", lower="lo", upper="hi")] == [
        "95% lower",
        "95% upper",
    ]
    assert [c.key for c in ASCOF_COLUMNS][-2:] == ["lower_95", "upper_95"]
    assert [c.kind for c in INDICATOR_COLUMNS if c.key in ("lower", "upper")] == ["percent"] * 2
