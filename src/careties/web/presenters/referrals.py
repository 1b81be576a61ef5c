"""Sections on admissions: ASCOF 2C, the monthly SPC chart, the practice funnel, practice rates.

The figures are built in ``careties.web.dashboard.builders.referrals`` (and
``careties.stats``); these functions only choose columns, label them, and say
how to draw them.
"""

from __future__ import annotations

from functools import partial

import numpy as np
import polars as pl

from careties import labels
from careties.referrals.ascof import ascof_2c
from careties.referrals.funnel import practice_funnel as funnel_of_practices
from careties.referrals.trends import admissions_spc, monthly_admissions
from careties.stats import funnel_limits
from careties.web import charts
from careties.web.dashboard.builders.borders import practice_labels
from careties.web.dashboard.builders.referrals import (
    admissions,
    ascof_by_council,
    chosen_period,
    financial_years,
    rates,
)
from careties.web.disclosure import Disclosure, RateSpec
from careties.web.presenters.base import Column, Context, Draft, NotAvailable, section
from careties.web.presenters.figures import ASCOF_COLUMNS, interval_columns, lines_by, spc_figure
from careties.web.scale import aggregates
from careties.web.selectors import councils, load_frame
from careties.web.size_bands import midpoint

#: Published England values of the measure (NHS England, ASCOF; REFERENCE.md).
ENGLAND_ASCOF_2C = {"2022-23": 560.8, "2023-24": 566.0}

#: Outcomes and funnel positions in words, from the one map (careties.labels).
OUTCOME_LABELS = labels.OUTCOMES
POSITION_LABELS = labels.FUNNEL_POSITIONS


def _regional_figure(ctx: Context, council: pl.DataFrame) -> tuple[pl.DataFrame, str]:
    """The council's region as the councils loaded there make it (sum over sum)."""
    loaded = councils()
    region_rows = loaded.filter(pl.col("la_code") == ctx.la_code)
    region = region_rows["region"][0] if region_rows.height else ""
    peers = loaded.filter(pl.col("region") == region)["la_code"].to_list() if region else []
    if len(peers) <= 1:
        return council.select("financial_year", pl.lit(None, pl.Float64).alias("region_rate")), (
            f"{region}: only this council is loaded" if region else "region unknown"
        )

    # The peers' admissions from the counts kept at import: no peer's events are loaded.
    frames = {
        kind: pl.concat([load_frame(kind, code) for code in peers], how="vertical_relaxed")
        for kind in ("population", "registered_patients", "practices")
    }
    peer_ascof = ascof_2c(
        aggregates.no_events(),
        frames["population"],
        frames["registered_patients"],
        frames["practices"],
        admissions=aggregates.admission_rows(peers),
        la_codes=peers,
    )
    pooled = (
        peer_ascof.group_by("financial_year")
        .agg(pl.col("admissions_65_plus").sum(), pl.col("population_65_plus").sum())
        .with_columns(
            (pl.col("admissions_65_plus") / pl.col("population_65_plus") * 100_000)
            .round(1)
            .alias("region_rate")
        )
        .select("financial_year", "region_rate")
    )
    return pooled, f"{region} ({len(peers)} councils loaded)"


@section(
    "ascof", "ASCOF 2C: older people admitted to care homes per 100,000", "overview", region=True
)
def ascof(ctx: Context) -> Draft:
    council = ascof_by_council(ctx, [ctx.la_code]).filter(pl.col("la_code") == ctx.la_code)
    if council.is_empty():
        raise NotAvailable("No admissions or population figures are loaded for this council.")
    regional, region_label = ctx.memo("regional_ascof", lambda: _regional_figure(ctx, council))
    frame = (
        council.join(regional, on="financial_year", how="left")
        .with_columns(
            pl.col("financial_year")
            .replace_strict(ENGLAND_ASCOF_2C, default=None, return_dtype=pl.Float64)
            .alias("england_rate")
        )
        .sort("financial_year")
    )

    def chart(shown: pl.DataFrame) -> dict:
        years = shown["financial_year"].to_list()
        return charts.bar_chart(
            years,
            {
                "This council": shown["rate_per_100k"].to_list(),
                "Region": shown["region_rate"].to_list(),
                "England (published)": shown["england_rate"].to_list(),
            },
            title="ASCOF 2C by financial year",
            value_title="Admissions per 100,000 aged 65+",
            errors={"This council": (shown["lower_95"].to_list(), shown["upper_95"].to_list())},
            horizontal=False,
        )

    latest = frame.tail(1).row(0, named=True)
    return Draft(
        frame=frame,
        columns=[
            Column("financial_year", "Financial year"),
            *ASCOF_COLUMNS,
            Column("region_rate", "Region per 100,000", "rate"),
            Column("england_rate", "England per 100,000", "rate"),
            Column("denominator_source", "Denominator"),
        ],
        disclosure=Disclosure(level="council"),
        chart=chart,
        note=(
            "Lower is better. Named 2A(2) up to 2022-23 and 2C from 2023-24. "
            f"Region: {region_label}. England: NHS England's published figure."
        ),
        extras={"headline": latest},
    )


@section("spc", "Monthly care home admissions, 65+ (SPC chart)", "overview")
def spc_admissions(ctx: Context) -> Draft:
    monthly = monthly_admissions(admissions(ctx), level="council")
    monthly = monthly.filter(pl.col("la_code") == ctx.la_code)
    if monthly.height < 2:
        raise NotAvailable("Fewer than two months of admissions are loaded.")
    chart_frame = admissions_spc(monthly)
    frame = chart_frame.select(
        pl.col("date").alias("month"),
        pl.col("value").cast(pl.Int64).alias("admissions"),
        pl.col("mean").round(1),
        pl.col("lower_process_limit").clip(lower_bound=0).round(1),
        pl.col("upper_process_limit").round(1),
        pl.col("special_cause_rule"),
        pl.col("point_type"),
    )
    last = chart_frame.tail(1).row(0, named=True)
    return Draft(
        frame=frame,
        columns=[
            Column("month", "Month", "date"),
            Column("admissions", "Admissions 65+", "count"),
            Column("mean", "Mean", "number"),
            Column("lower_process_limit", "Lower process limit", "number"),
            Column("upper_process_limit", "Upper process limit", "number"),
            Column("special_cause_rule", "Rule"),
        ],
        disclosure=Disclosure(level="council"),
        chart=partial(
            spc_figure,
            date="month",
            value="admissions",
            title="Monthly admissions",
            y_title="Admissions 65+ per month",
        ),
        note=(
            "XmR chart as NHS England's Making Data Count: fewer admissions is improvement."
            + (" Fewer than 13 points: trial limits." if last.get("short_period") else "")
        ),
        extras={"variation_icon": last["variation_icon"], "assurance_icon": last["assurance_icon"]},
    )


def _per_1000_columns(counted: str) -> list[Column]:
    """A practice's count, its patients 65+ and the rate per 1,000, as both practice tables show them."""
    return [
        Column("count", counted, "count"),
        Column("patients_65_plus", "Patients 65+", "count"),
        Column("rate_per_1000", "Per 1,000", "rate", 2),
    ]


def _per_1000_disclosure(
    *, intervals: tuple[str, ...] = (), practice_columns: tuple[str, ...] = ()
) -> Disclosure:
    """How :func:`_per_1000_columns` are disclosed, in the funnel and the rates over time alike.

    The counts are rounded and the rate (and its interval) recomputed from the
    rounded counts, so the two tables of one practice never disagree.
    """
    return Disclosure(
        counts=("count", "patients_65_plus"),
        rates=(
            RateSpec("rate_per_1000", "count", "patients_65_plus", 1000, 2, intervals=intervals),
        ),
        practice_columns=practice_columns,
    )


def _funnel_draft(ctx: Context, highlight: str | None) -> Draft:
    period = chosen_period(ctx)
    funnel = funnel_of_practices(rates(ctx), period=period)
    funnel = funnel.filter(pl.col("la_code") == ctx.la_code)
    if funnel.is_empty():
        raise NotAvailable(f"No practice has admissions and registered patients in {period}.")

    names = practice_labels(ctx, funnel["practice_code"])
    frame = (
        funnel.join(names, on="practice_code", how="left")
        .with_columns(
            pl.col("position").replace_strict(POSITION_LABELS, default="").alias("position_label")
        )
        .sort("rate_per_1000", descending=True, nulls_last=True)
    )
    target = float(frame["target"][0])
    own = ctx.policy.own_practice if highlight is None else highlight

    def chart(shown: pl.DataFrame) -> dict:
        # Anonymised practices' sizes are bands (web.size_bands): plot them at the middle.
        denominators = [midpoint(v) or 0 for v in shown["patients_65_plus"].to_list()]
        top = max([d for d in denominators if d] or [1])
        grid = np.linspace(max(10.0, top * 0.02), top * 1.1, 60)
        limits = funnel_limits(grid, target / 1000.0, "rate", multiplier=1000)
        highlight_label = (
            (shown.filter(pl.col("practice_code") == own)["practice_name"].to_list() or [None])[0]
            if own
            else None
        )
        return charts.funnel_chart(
            denominators,
            shown["rate_per_1000"].to_list(),
            shown["practice_name"].fill_null("").to_list(),
            {c: limits[c].to_list() for c in limits.columns if c.startswith(("lower", "upper"))},
            grid.tolist(),
            target,
            title="Funnel plot",
            x_title="Registered patients aged 65+",
            y_title="Admissions per 1,000 patients 65+",
            highlight=highlight_label,
        )

    return Draft(
        frame=frame,
        columns=[
            Column("practice_code", "Practice code"),
            Column("practice_name", "Practice"),
            *_per_1000_columns("Admissions 65+"),
            Column("position_label", "Position"),
            Column("registered", "Registered"),
        ],
        disclosure=_per_1000_disclosure(practice_columns=("practice_code", "practice_name")),
        chart=chart,
        note=(
            f"{period}. Council average {target:.2f} per 1,000; limits at 95% and 99.8% "
            "(Spiegelhalter 2005), widened for overdispersion where the data call for it."
        ),
        extras={"period": period, "periods": financial_years(ctx)},
    )


@section(
    "funnel", "Practices compared: admissions per 1,000 patients 65+", "overview", periodic=True
)
def funnel(ctx: Context) -> Draft:
    return _funnel_draft(ctx, None)


@section("practice_funnel", "This practice on the council's funnel plot", "practice", periodic=True)
def practice_funnel(ctx: Context) -> Draft:
    return _funnel_draft(ctx, ctx.practice_code)


@section("practice_rates", "Admissions and alternatives over time", "practice")
def practice_rates(ctx: Context) -> Draft:
    mine = rates(ctx).filter(pl.col("practice_code") == ctx.practice_code)
    if mine.is_empty():
        raise NotAvailable("No events are loaded for this practice.")
    frame = mine.with_columns(
        pl.col("outcome").replace_strict(OUTCOME_LABELS, default=pl.col("outcome")).alias("label")
    ).sort("period", "outcome")
    return Draft(
        frame=frame,
        columns=[
            Column("period", "Financial year"),
            Column("label", "Outcome"),
            *_per_1000_columns("People"),
            *interval_columns("rate", lower="lower_95", upper="upper_95", digits=2),
        ],
        disclosure=_per_1000_disclosure(intervals=("lower_95", "upper_95")),
        chart=partial(
            lines_by,
            x="period",
            group="label",
            value="rate_per_1000",
            groups=list(OUTCOME_LABELS.values()),
            title="Rates per 1,000 patients 65+",
            x_title="Financial year",
            y_title="Per 1,000 patients 65+",
        ),
        note="New permanent care home admissions and new starts of community alternatives, "
        "per 1,000 registered patients aged 65+, with Byar's 95% interval.",
    )
