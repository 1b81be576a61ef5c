"""Sections on what to do: the targeting list with its reasons, and the savings scenario."""

from __future__ import annotations

import polars as pl

from careties.planning.presets import get_preset
from careties.planning.savings import SavingsInputs, savings_scenario
from careties.planning.uncertainty import monte_carlo
from careties.web import charts
from careties.web.dashboard.builders.planning import referrers, targeting_list
from careties.web.disclosure import Disclosure
from careties.web.presenters.base import Column, Context, Draft, NotAvailable, section
from careties.web.programme.models import SignPost


def _targeting_draft(ctx: Context, limit: int | None) -> Draft:
    found = referrers(ctx)
    if found.gps.is_empty() and not found.practices.filter(pl.col("admissions") > 0).is_empty():
        # Published files alone: CLD names the person's practice, not the GP.
        return _practice_targets_draft(ctx, found, limit)
    listed = targeting_list(ctx)
    gps = listed.frame.filter(pl.col("la_code") == ctx.la_code).sort("rank")
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
        pl.col("ratio").round(2),
        pl.col("referral_potential").round(2),
        pl.col("network_influence").round(2),
        pl.col("relationship_weakness").round(2),
        pl.col("score").round(3),
        "in_target_set",
        "core20",
        "reason",
    )
    targeted = int(frame["in_target_set"].sum())
    if limit:
        frame = frame.head(limit)

    window = f"{found.window[0]:%d %b %Y} to {found.window[1]:%d %b %Y}"
    return Draft(
        frame=frame,
        columns=[
            Column("rank", "Rank", "count"),
            Column("professional_id", "GP (pseudonymous)"),
            Column("practice_name", "Practice"),
            Column("practice_code", "Practice code"),
            Column("admissions", "Admissions 65+", "count"),
            Column("expected", "Expected", "number"),
            Column("ratio", "Ratio to expected", "number", 2),
            Column("referral_potential", "Referral potential (0-1)", "number", 2),
            Column("network_influence", "Network influence (0-1)", "number", 2),
            Column("relationship_weakness", "Relationship weakness (0-1)", "number", 2),
            Column("score", "Score", "number", 3),
            Column("in_target_set", "Targeted"),
            Column("core20", "Core20 practice"),
            Column("reason", "Reason"),
        ],
        disclosure=Disclosure(counts=("admissions",)),
        chart=_admissions_chart("professional_id", "Highest potential referrers"),
        note=f"{targeted} GPs targeted ({listed.share:.0%} of the council's GPs), ranked by "
        "score = "
        + " + ".join(f"{w:.2f} x {c.replace('_', ' ')}" for c, w in listed.weights.items())
        + f"; admissions {window}; expected counts {found.standardisation}. "
        + " ".join(found.notes + listed.notes),
        extras={"targeted": targeted},
    )


def _practice_targets_draft(ctx: Context, found, limit: int | None) -> Draft:
    """The target list as practices: the top share by excess admissions, said plainly.

    With Client Level Data alone there are no GPs to rank, so the list is the
    council's practices ranked by ``O - E`` (careties.referrals.practice_targets),
    with the same reasons and the same CSV/XLSX exports as the GP list.
    """
    from careties.referrals.practice_targets import PRACTICES_NOT_GPS, practice_targets

    ranked = practice_targets(found.practices, found.months, found.share)
    ranked = ranked.filter(pl.col("la_code") == ctx.la_code).sort("rank")
    if ranked.is_empty():
        raise NotAvailable("No practices with admissions are recorded for this council.")
    from careties.web.dashboard.builders.borders import practice_labels

    names = practice_labels(ctx, ranked["practice_code"])
    frame = ranked.join(names, on="practice_code", how="left").select(
        "rank",
        "practice_code",
        "practice_name",
        "registered",
        "admissions",
        pl.col("expected").round(1),
        pl.col("ratio").round(2),
        "in_target_set",
        "reason",
    )
    targeted = int(frame["in_target_set"].sum())
    if limit:
        frame = frame.head(limit)

    window = f"{found.window[0]:%d %b %Y} to {found.window[1]:%d %b %Y}"
    return Draft(
        frame=frame,
        columns=[
            Column("rank", "Rank", "count"),
            Column("practice_name", "Practice"),
            Column("practice_code", "Practice code"),
            Column("registered", "Registered"),
            Column("admissions", "Admissions 65+", "count"),
            Column("expected", "Expected", "number"),
            Column("ratio", "Ratio to expected", "number", 2),
            Column("in_target_set", "Targeted"),
            Column("reason", "Reason"),
        ],
        disclosure=Disclosure(
            counts=("admissions",), practice_columns=("practice_code", "practice_name")
        ),
        chart=_admissions_chart("practice_code", "Practices with the most excess admissions"),
        note="This is a list of practices, not GPs. "
        + PRACTICES_NOT_GPS.format(share=found.share)
        + f" {targeted} practices targeted; admissions {window}; expected counts "
        + f"{found.standardisation}. "
        + " ".join(found.notes),
        extras={"targeted": targeted, "unit": "practice"},
    )


@section("targeting_head", "Head of the targeting list", "targeting")
def targeting_head(ctx: Context) -> Draft:
    return _targeting_draft(ctx, limit=10)


@section("targeting", "The targeting list", "targeting")
def targeting(ctx: Context) -> Draft:
    return _targeting_draft(ctx, limit=None)


SAVINGS_ROWS = {
    "gps_per_council": ("GPs in the council", "number", 0),
    "share_targeted": ("Share targeted", "percent", 0),
    "gps_targeted_per_council": ("GPs targeted", "number", 0),
    "people_per_gp": ("Admissions avoided per targeted GP a year", "number", 2),
    "people_per_year_per_council": ("Older people kept out of care homes a year", "number", 0),
    "net_saving_per_person_gbp": ("Net saving per person (GBP)", "number", 0),
    "net_saving_per_council_gbp": ("Net annual saving (GBP)", "number", 0),
}


@section("savings", "The savings scenario", "targeting")
def savings(ctx: Context) -> Draft:
    """This council's case at illustrative unit costs, beside the Home Truths 2014 preset."""
    gps = ctx.frame("professionals").filter(pl.col("role") == "gp").height
    if not gps:
        raise NotAvailable("No GPs are loaded for this council.")
    inputs = SavingsInputs(councils=1, gps_per_council=gps)
    council = savings_scenario(inputs).as_dict()
    spread = monte_carlo(inputs, n=2_000, seed=0)
    preset = get_preset("home-truths-2014").outcome().as_dict()
    rows = []
    for key, (label, _, digits) in SAVINGS_ROWS.items():
        scale = 100 if key == "share_targeted" else 1
        low = high = None
        if key in set(spread.summary["output"].to_list()):
            low = round(spread.percentile(key, 5) * scale, digits)
            high = round(spread.percentile(key, 95) * scale, digits)
        rows.append(
            {
                "measure": label,
                "council": round(float(council[key]) * scale, digits),
                "p5": low,
                "p95": high,
                "home_truths": round(float(preset[key]) * scale, digits),
            }
        )
    frame = pl.DataFrame(rows)
    return Draft(
        frame=frame,
        columns=[
            Column("measure", "Measure"),
            Column("council", "This council", "number", 0),
            Column("p5", "5th centile", "number", 0),
            Column("p95", "95th centile", "number", 0),
            Column("home_truths", "Home Truths 2014, per council", "number", 0),
        ],
        disclosure=Disclosure(level="council"),
        note="Illustrative unit costs (careties.planning.savings defaults, not published "
        "figures): replace them with the council's own. Centiles from 2,000 Monte Carlo draws. "
        "Home Truths 2014: iMPOWER's national case (60,000 people, GBP 604m) per council.",
    )


@section(
    "practice_signposting",
    "Local services this practice has sign-posted to",
    "practice",
    cacheable=False,
)
def practice_signposting(ctx: Context) -> Draft:
    """Knowledge of services in use: the survey says what GPs know, this says what they use.

    Sign-posts are recorded from the directory (Programme, Directory), so this
    reads them as they are, uncached.
    """
    services = ctx.frame("services")
    active = services.filter(pl.col("status").fill_null("active") == "active")
    if active.is_empty():
        raise NotAvailable("No local services are in the directory yet.")
    records = list(
        SignPost.objects.filter(la_code=ctx.la_code, practice_code=ctx.practice_code).values(
            "service_id", "signposted_on"
        )
    )
    available = active.group_by("service_type").agg(pl.len().alias("services_available"))
    signposts = pl.DataFrame(
        records, schema={"service_id": pl.String, "signposted_on": pl.Date}
    ).join(services.select("service_id", "service_type"), on="service_id", how="left")
    used = signposts.group_by("service_type").agg(
        pl.len().alias("signposts"), pl.col("signposted_on").max().alias("last_signposted_on")
    )
    frame = (
        available.join(used, on="service_type", how="left")
        .with_columns(pl.col("signposts").fill_null(0).cast(pl.Int64))
        .sort(["signposts", "service_type"], descending=[True, False])
    )
    reached = int((frame["signposts"] > 0).sum())
    return Draft(
        frame=frame,
        columns=[
            Column("service_type", "Type of service"),
            Column("services_available", "Services in the directory", "count"),
            Column("signposts", "People sign-posted", "count"),
            Column("last_signposted_on", "Last sign-posted", "date"),
        ],
        disclosure=Disclosure(level="below_council", counts=("signposts",)),
        note=f"This practice has sign-posted people to {reached} of the {frame.height} types of "
        "local service in the directory. Sign-post from Programme, Directory.",
    )


def _admissions_chart(label_column: str, title: str):
    """The top 25 of a target list (GPs or practices): admissions beside expected, by rank."""

    def chart(shown: pl.DataFrame) -> dict:
        top = shown.head(25)
        return charts.bar_chart(
            [f"{r} {x}" for r, x in zip(top["rank"], top[label_column], strict=True)],
            {"Admissions": top["admissions"].to_list(), "Expected": top["expected"].to_list()},
            title=title,
            value_title="Admissions 65+ in the window",
        )

    return chart
