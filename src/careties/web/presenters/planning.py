"""Sections on what to do: the targeting list with its reasons, and the savings scenario."""

from __future__ import annotations

import polars as pl

from careties.web import charts
from careties.web.disclosure import Disclosure
from careties.web.presenters.base import Column, Context, Draft, NotAvailable, section
from careties.web.presenters.referrals import admissions


def referrers(ctx: Context):
    from careties.referrals.referrers import highest_potential_referrers

    def compute():
        return highest_potential_referrers(
            ctx.frame("events"),
            ctx.frame("professionals"),
            ctx.frame("registered_patients"),
            admissions=admissions(ctx),
        )

    return ctx.memo("referrers", compute)


def _targeting_draft(ctx: Context, limit: int | None) -> Draft:
    found = referrers(ctx)
    gps = found.gps.filter(pl.col("la_code") == ctx.la_code).sort("rank")
    if gps.is_empty():
        raise NotAvailable("No GPs with admissions are recorded for this council.")
    names = ctx.frame("practices").select("practice_code", pl.col("name").alias("practice_name"))
    frame = gps.join(names, on="practice_code", how="left").select(
        "rank",
        "professional_id",
        "practice_code",
        "practice_name",
        "admissions",
        pl.col("expected").round(1),
        pl.col("excess").round(1),
        pl.col("ratio").round(2),
        "in_target_set",
        "reason",
    )
    targeted = int(frame["in_target_set"].sum())
    if limit:
        frame = frame.head(limit)

    def chart(shown: pl.DataFrame) -> dict:
        top = shown.head(25)
        return charts.bar_chart(
            [f"{r} {g}" for r, g in zip(top["rank"], top["professional_id"], strict=True)],
            {"Admissions": top["admissions"].to_list(), "Expected": top["expected"].to_list()},
            title="Highest potential referrers",
            value_title="Admissions 65+ in the window",
        )

    window = f"{found.window[0]:%d %b %Y} to {found.window[1]:%d %b %Y}"
    return Draft(
        frame=frame,
        columns=[
            Column("rank", "Rank", "count"),
            Column("professional_id", "GP (pseudonymous)"),
            Column("practice_name", "Practice"),
            Column("admissions", "Admissions 65+", "count"),
            Column("expected", "Expected", "number"),
            Column("excess", "Excess", "number"),
            Column("ratio", "Ratio", "number", 2),
            Column("in_target_set", "Targeted"),
            Column("reason", "Reason"),
        ],
        disclosure=Disclosure(counts=("admissions",)),
        chart=chart,
        note=f"{targeted} GPs targeted ({found.share:.0%} of the council's GPs), ranked by "
        f"{found.rank_by}; admissions {window}; expected counts {found.standardisation}. "
        + " ".join(found.notes),
        extras={"targeted": targeted},
    )


@section("targeting_head", "Head of the targeting list", "targeting")
def targeting_head(ctx: Context) -> Draft:
    return _targeting_draft(ctx, limit=10)


@section("targeting", "The targeting list", "targeting")
def targeting(ctx: Context) -> Draft:
    return _targeting_draft(ctx, limit=None)


@section("savings", "The savings scenario", "targeting")
def savings(ctx: Context) -> Draft:
    try:
        from careties.planning import savings_scenario  # type: ignore[attr-defined]
    except ImportError as missing:
        raise NotAvailable(
            "The savings scenario is not available yet in this version of careties."
        ) from missing
    scenario = savings_scenario(referrers(ctx), admissions(ctx))  # pragma: no cover
    frame = scenario if isinstance(scenario, pl.DataFrame) else pl.DataFrame(scenario)
    return Draft(
        frame=frame,
        columns=[Column(c, c.replace("_", " ").capitalize()) for c in frame.columns],
        disclosure=Disclosure(level="council"),
    )
