"""Sections of the regional view: councils side by side, council-level aggregates only."""

from __future__ import annotations

import polars as pl

from careties.web import charts
from careties.web.disclosure import Disclosure
from careties.web.presenters import wave_choice
from careties.web.presenters.base import Column, Context, Draft, NotAvailable, section
from careties.web.presenters.referrals import ENGLAND_ASCOF_2C


def _names(ctx: Context) -> pl.DataFrame:
    return ctx.frame("local_authorities").select("la_code", pl.col("name").alias("council"))


@section("regional_ascof", "ASCOF 2C, councils side by side", "regional")
def regional_ascof(ctx: Context) -> Draft:
    from careties.referrals.ascof import ascof_2c

    if not ctx.la_codes:
        raise NotAvailable("No councils are in your scope.")
    from careties.web.scale import aggregates

    # Admissions from the counts kept at import (careties.web.scale): the regional
    # view never loads an event, however many councils the store holds.
    found = ascof_2c(
        aggregates.no_events(),
        population=ctx.frame("population"),
        registered_patients=ctx.frame("registered_patients"),
        practices=ctx.frame("practices"),
        admissions=aggregates.admission_rows(ctx.la_codes),
        la_codes=ctx.la_codes,
    )
    if found.is_empty():
        raise NotAvailable("No admissions are loaded for the councils in your scope.")
    latest = found["financial_year"].max()
    frame = (
        found.filter(pl.col("financial_year") == latest)
        .join(_names(ctx), on="la_code", how="left")
        .sort("rate_per_100k")
    )
    england = ENGLAND_ASCOF_2C.get(latest)

    def chart(shown: pl.DataFrame) -> dict:
        return charts.bar_chart(
            shown["council"].to_list(),
            {"Per 100,000": shown["rate_per_100k"].to_list()},
            title=f"ASCOF 2C {latest}",
            value_title="Admissions per 100,000 aged 65+",
            errors={"Per 100,000": (shown["lower_95"].to_list(), shown["upper_95"].to_list())},
            reference=england,
            reference_label=f"England {england}" if england else "",
        )

    return Draft(
        frame=frame,
        columns=[
            Column("council", "Council"),
            Column("la_code", "ONS code"),
            Column("measure", "Measure"),
            Column("admissions_65_plus", "Admissions 65+", "count"),
            Column("population_65_plus", "Population 65+", "count"),
            Column("rate_per_100k", "Per 100,000", "rate"),
            Column("lower_95", "95% lower", "rate"),
            Column("upper_95", "95% upper", "rate"),
        ],
        disclosure=Disclosure(level="council"),
        chart=chart,
        note=f"{latest}. Lower is better."
        + (f" England (published): {england}." if england else ""),
    )


@section("regional_surveys", "Survey indicators, councils side by side", "regional")
def regional_surveys(ctx: Context) -> Draft:
    from careties.relations.surveys import headline_indicators

    found = ctx.frame("survey_responses")
    if found.is_empty():
        raise NotAvailable("No survey responses are loaded for the councils in your scope.")
    latest = wave_choice.chosen_wave(ctx, found, "gp")
    indicators = headline_indicators(found.filter(pl.col("wave") == latest), by="la_code")
    frame = (
        indicators.filter(pl.col("instrument") == "gp")
        .join(_names(ctx), on="la_code", how="left")
        .sort("indicator", "council")
    )

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
        columns=[
            Column("council", "Council"),
            Column("label", "Indicator"),
            Column("numerator", "Yes", "count"),
            Column("denominator", "Answered", "count"),
            Column("percent", "Percent", "percent"),
            Column("lower", "95% lower", "percent"),
            Column("upper", "95% upper", "percent"),
        ],
        disclosure=Disclosure(
            level="council",
            respondents="denominator",
            survey_values=("numerator", "percent", "lower", "upper"),
        ),
        chart=chart,
        note=f"{wave_choice.wave_note(latest, ctx)} Wilson 95% intervals; fewer than 5 "
        "respondents never shown.",
    )
