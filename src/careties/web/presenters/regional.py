"""Sections of the regional view: councils side by side, council-level aggregates only.

The figures come from ``careties.web.dashboard.builders.regional`` (aggregates
kept per council); these presenters only turn them into tables and charts.
"""

from __future__ import annotations

from functools import partial

import polars as pl

from careties.web import charts
from careties.web.dashboard.builders import regional
from careties.web.disclosure import Disclosure
from careties.web.presenters import wave_choice
from careties.web.presenters.base import Column, Context, Draft, section
from careties.web.presenters.figures import ASCOF_COLUMNS, INDICATOR_COLUMNS, interval_bars
from careties.web.presenters.referrals import ENGLAND_ASCOF_2C
from careties.web.presenters.surveys import INDICATOR_DISCLOSURE


@section("regional_ascof", "ASCOF 2C, councils side by side", "regional")
def regional_ascof(ctx: Context) -> Draft:
    frame, latest = regional.ascof(ctx)
    england = ENGLAND_ASCOF_2C.get(latest)

    return Draft(
        frame=frame,
        columns=[
            Column("council", "Council"),
            Column("la_code", "ONS code"),
            *ASCOF_COLUMNS,
        ],
        disclosure=Disclosure(level="council"),
        chart=partial(
            interval_bars,
            category="council",
            value="rate_per_100k",
            name="Per 100,000",
            lower="lower_95",
            upper="upper_95",
            title=f"ASCOF 2C {latest}",
            value_title="Admissions per 100,000 aged 65+",
            reference=england,
            reference_label=f"England {england}" if england else "",
        ),
        note=f"{latest}. Lower is better."
        + (f" England (published): {england}." if england else ""),
    )


@section("regional_surveys", "Survey indicators, councils side by side", "regional")
def regional_surveys(ctx: Context) -> Draft:
    frame, latest = regional.survey_indicators(ctx, "gp")

    def chart(shown: pl.DataFrame) -> dict:
        labels = shown["label"].unique(maintain_order=True).to_list()
        series = {}
        for council in shown["council"].unique(maintain_order=True).to_list():
            part = shown.filter(pl.col("council") == council)
            lookup = dict(zip(part["label"], part["percent"], strict=True))
            series[council] = [lookup.get(label) for label in labels]
        return charts.bar_chart(
            labels, series, title=f"GP survey, {latest}", value_title="Percent of GPs"
        )

    return Draft(
        frame=frame,
        columns=[Column("council", "Council"), *INDICATOR_COLUMNS],
        disclosure=INDICATOR_DISCLOSURE,
        chart=chart,
        note=f"{wave_choice.wave_note(latest, ctx)} Wilson 95% intervals; fewer than 5 "
        "respondents never shown.",
    )
