"""Sections on the surveys: headline indicators with intervals, wave against wave, knowledge.

Scores are built in ``careties.web.dashboard.builders.surveys`` from
``careties.relations.surveys``, which already blanks groups of
fewer than 5 respondents; disclosure checks the same again on the way out
(``respondents``/``survey_values``), so a change in one cannot undo the other.
"""

from __future__ import annotations

from functools import partial

import polars as pl

from careties.errors import NotEnoughData
from careties.relations.surveys import HOME_TRUTHS_FIGURES, knowledge_matrix, wave_change
from careties.web import charts
from careties.web.dashboard.builders.surveys import headline, responses, waves
from careties.web.disclosure import Disclosure
from careties.web.presenters import wave_choice
from careties.web.presenters.base import Column, Context, Draft, NotAvailable, section
from careties.web.presenters.figures import INDICATOR_COLUMNS, interval_bars, interval_columns

INDICATOR_DISCLOSURE = Disclosure(
    level="council",
    respondents="denominator",
    survey_values=("numerator", "percent", "lower", "upper"),
)


def _indicator_draft(ctx: Context, limit: int | None) -> Draft:
    latest = wave_choice.chosen_wave(ctx, responses(ctx))
    frame = headline(ctx).filter(pl.col("wave") == latest)
    if frame.is_empty():
        raise NotAvailable(f"No headline indicator can be computed for wave {latest}.")
    frame = frame.with_columns(
        pl.col("indicator")
        .replace_strict(HOME_TRUTHS_FIGURES, default=None, return_dtype=pl.Float64)
        .alias("home_truths")
    )
    if limit:
        frame = frame.filter(pl.col("instrument") == "gp").head(limit)

    return Draft(
        frame=frame,
        columns=[*INDICATOR_COLUMNS, Column("home_truths", "Home Truths 2013 (%)", "number")],
        disclosure=INDICATOR_DISCLOSURE,
        chart=partial(
            interval_bars,
            category="label",
            value="percent",
            name="Percent",
            title=f"Headline indicators, {latest}",
            value_title="Percent of respondents",
        ),
        note=f"{wave_choice.wave_note(latest, ctx)} Wilson score 95% intervals. Results from "
        "fewer than 5 respondents are never shown.",
        extras={"wave": latest},
    )


@section("survey_headlines", "Headline survey indicators", "surveys")
def survey_headlines(ctx: Context) -> Draft:
    return _indicator_draft(ctx, limit=6)


@section("survey_indicators", "Survey indicators with 95% intervals", "surveys")
def survey_indicators(ctx: Context) -> Draft:
    return _indicator_draft(ctx, limit=None)


@section("wave_change", "Wave against wave", "surveys")
def wave_against_wave(ctx: Context) -> Draft:
    found = waves(ctx)
    if len(found) < 2:
        raise NotAvailable("Only one survey wave is loaded: a comparison needs two.")
    wave_from, wave_to = found[-2], found[-1]
    labels = headline(ctx).select("indicator", "label").unique("indicator")
    parts = []
    for indicator in [*labels["indicator"].to_list(), "rc_index"]:
        try:
            parts.append(wave_change(responses(ctx), indicator, wave_from, wave_to))
        except NotEnoughData:  # its survey was not run in these waves: leave the row out
            continue
    if not parts:
        raise NotAvailable(f"No indicator has answers in both {wave_from} and {wave_to}.")
    frame = (
        pl.concat(parts, how="vertical_relaxed")
        .join(labels, on="indicator", how="left")
        .with_columns(
            pl.col("label").fill_null("Relational coordination index (GPs about social care, 1-5)")
        )
    )

    return Draft(
        frame=frame,
        columns=[
            Column("label", "Indicator"),
            Column("value_from", wave_from, "number"),
            Column("value_to", wave_to, "number"),
            Column("difference", "Change", "number"),
            *interval_columns("number"),
            Column("p_value", "p", "number", 3),
            Column("n_from", f"Respondents {wave_from}", "count"),
            Column("n_to", f"Respondents {wave_to}", "count"),
        ],
        disclosure=Disclosure(
            level="council",
            respondents="n_to",
            survey_values=("value_from", "value_to", "difference", "lower", "upper", "p_value"),
        ),
        chart=partial(
            interval_bars,
            category="label",
            value="difference",
            name="Change",
            title=f"Change from {wave_from} to {wave_to}",
            value_title="Change (percentage points; RC index points)",
            reference=0.0,
        ),
        note="Percentages: Newcombe's interval for a difference of proportions; relational "
        "coordination: Welch's t. Waves treated as independent samples.",
    )


@section("practice_knowledge", "What this practice's GPs know of local services", "practice")
def practice_knowledge(ctx: Context) -> Draft:
    latest = wave_choice.chosen_wave(ctx, responses(ctx), "gp")
    wave_responses = responses(ctx).filter(pl.col("wave") == latest)
    matrix = knowledge_matrix(wave_responses).filter(pl.col("practice_code") == ctx.practice_code)
    if matrix.is_empty():
        raise NotAvailable(f"None of this practice's GPs answered the survey in {latest}.")
    frame = matrix.with_columns(
        [(pl.col(c) * 100).round(0).alias(c) for c in matrix.columns if c.startswith("share_")]
    )

    def chart(shown: pl.DataFrame) -> dict:
        levels = {
            "share_know_nothing": "Know nothing",
            "share_heard_of": "Heard of it",
            "share_know_well": "Know it well",
            "share_have_referred": "Have referred",
        }
        figure = charts.bar_chart(
            shown["service"].to_list(),
            {label: shown[c].to_list() for c, label in levels.items() if c in shown.columns},
            title="Knowledge of local services",
            value_title="Percent of the practice's GPs",
        )
        figure["layout"]["barmode"] = "stack"
        return figure

    return Draft(
        frame=frame,
        columns=[
            Column("service", "Service", labels="service_type"),
            Column("respondents", "GPs answering", "count"),
            Column("share_know_nothing", "Know nothing", "percent", 0),
            Column("share_heard_of", "Heard of it", "percent", 0),
            Column("share_know_well", "Know it well", "percent", 0),
            Column("share_have_referred", "Have referred", "percent", 0),
            Column("mean_quality", "Quality (1-5)", "number"),
        ],
        disclosure=Disclosure(
            respondents="respondents",
            survey_values=(
                "share_know_nothing",
                "share_heard_of",
                "share_know_well",
                "share_have_referred",
                "mean_quality",
            ),
        ),
        chart=chart,
        note=f"GP survey. {wave_choice.wave_note(latest, ctx)} Practices with fewer than 5 GPs "
        "answering are not shown.",
    )
