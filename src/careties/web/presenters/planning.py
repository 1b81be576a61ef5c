"""Sections on what to do: the targeting list with its reasons, and sign-posting.

The savings scenario is :mod:`careties.web.presenters.savings`.
"""

from __future__ import annotations

from collections.abc import Callable

import polars as pl
from django.db.models import Count, Max

from careties.labels import label
from careties.referrals.practice_targets import PRACTICES_NOT_GPS, practice_targets
from careties.web import charts
from careties.web.dashboard.builders.borders import practice_labels
from careties.web.dashboard.builders.planning import referrers, targeting_list
from careties.web.dashboard.builders.relationships import practice_names
from careties.web.disclosure import Disclosure
from careties.web.presenters.base import Column, Context, Draft, NotAvailable, section
from careties.web.programme.models import SignPost

#: What both target lists (GPs, or practices when only CLD is loaded) show of admissions.
OBSERVED = (
    Column("admissions", "Admissions 65+", "count"),
    Column("expected", "Expected", "number"),
    Column("ratio", "Ratio to expected", "number", 2),
)
OBSERVED_VALUES = ("admissions", pl.col("expected").round(1), pl.col("ratio").round(2))


def _list_columns(
    *,
    before: tuple[Column, ...] = (),
    after: tuple[Column, ...] = (),
    scores: tuple[Column, ...] = (),
    flags: tuple[Column, ...] = (),
) -> list[Column]:
    """A target list's columns in one order: rank, who, practice, admissions, score, reason."""
    return [
        Column("rank", "Rank", "count"),
        *before,
        Column("practice_name", "Practice"),
        Column("practice_code", "Practice code"),
        *after,
        *OBSERVED,
        *scores,
        Column("in_target_set", "Targeted"),
        *flags,
        Column("reason", "Reason"),
    ]


def _ranked_draft(
    found,
    frame: pl.DataFrame,
    limit: int | None,
    *,
    columns: list[Column],
    disclosure: Disclosure,
    chart,
    note: Callable[[int, str], str],
    extras: dict | None = None,
) -> Draft:
    """A target list's draft: its head when ``limit``; ``note(targeted, window)`` says the rest."""
    targeted = int(frame["in_target_set"].sum())
    window = f"{found.window[0]:%d %b %Y} to {found.window[1]:%d %b %Y}"
    return Draft(
        frame=frame.head(limit) if limit else frame,
        columns=columns,
        disclosure=disclosure,
        chart=chart,
        note=note(targeted, window),
        extras={"targeted": targeted, **(extras or {})},
    )


def _targeting_draft(ctx: Context, limit: int | None) -> Draft:
    found = referrers(ctx)
    if found.gps.is_empty() and not found.practices.filter(pl.col("admissions") > 0).is_empty():
        # Published files alone: CLD names the person's practice, not the GP.
        return _practice_targets_draft(ctx, found, limit)
    listed = targeting_list(ctx)
    gps = listed.frame.filter(pl.col("la_code") == ctx.la_code).sort("rank")
    if gps.is_empty():
        raise NotAvailable("No GPs with admissions are recorded for this council.")
    # The council's display names (only the council's own roles open this list).
    names = ctx.frame("professionals").select("professional_id", "display_name")
    frame = (
        gps.join(practice_names(ctx), on="practice_code", how="left")
        .join(names, on="professional_id", how="left")
        .with_columns(gp=pl.coalesce("display_name", "professional_id"))
    )
    frame = frame.select(
        "rank",
        "gp",
        "professional_id",
        "practice_code",
        "practice_name",
        *OBSERVED_VALUES,
        pl.col("referral_potential").round(2),
        pl.col("network_influence").round(2),
        pl.col("relationship_weakness").round(2),
        pl.col("score").round(3),
        "in_target_set",
        "core20",
        "reason",
    )
    weights = " + ".join(
        f"{w:.2f} x {label(c, 'targeting_component').lower()}" for c, w in listed.weights.items()
    )
    return _ranked_draft(
        found,
        frame,
        limit,
        columns=_list_columns(
            before=(
                Column("gp", "GP (name where the council gives one)"),
                Column("professional_id", "GP id (pseudonymous)"),
            ),
            scores=(
                Column("referral_potential", "Referral potential (0-1)", "number", 2),
                Column("network_influence", "Network influence (0-1)", "number", 2),
                Column("relationship_weakness", "Relationship weakness (0-1)", "number", 2),
                Column("score", "Score", "number", 3),
            ),
            flags=(Column("core20", "Core20 practice"),),
        ),
        disclosure=Disclosure(counts=("admissions",)),
        chart=_admissions_chart("gp", "Highest potential referrers"),
        note=lambda targeted, window: (
            f"{targeted} GPs targeted ({listed.share:.0%} of the council's GPs), ranked by "
            f"score = {weights}; admissions {window}; expected counts {found.standardisation}. "
            + " ".join(found.notes + listed.notes)
        ),
    )


def _practice_targets_draft(ctx: Context, found, limit: int | None) -> Draft:
    """The target list as practices: the top share by excess admissions, said plainly.

    With Client Level Data alone there are no GPs to rank, so the list is the
    council's practices ranked by ``O - E`` (careties.referrals.practice_targets),
    with the same reasons and the same CSV/XLSX exports as the GP list.
    """
    ranked = practice_targets(found.practices, found.months, found.share)
    ranked = ranked.filter(pl.col("la_code") == ctx.la_code).sort("rank")
    if ranked.is_empty():
        raise NotAvailable("No practices with admissions are recorded for this council.")

    names = practice_labels(ctx, ranked["practice_code"])
    frame = ranked.join(names, on="practice_code", how="left").select(
        "rank", "practice_code", "practice_name", "registered", *OBSERVED_VALUES,
        "in_target_set", "reason",
    )  # fmt: skip
    return _ranked_draft(
        found,
        frame,
        limit,
        columns=_list_columns(after=(Column("registered", "Registered"),)),
        disclosure=Disclosure(
            counts=("admissions",), practice_columns=("practice_code", "practice_name")
        ),
        chart=_admissions_chart("practice_code", "Practices with the most excess admissions"),
        note=lambda targeted, window: (
            "This is a list of practices, not GPs. "
            + PRACTICES_NOT_GPS.format(share=found.share)
            + f" {targeted} practices targeted; admissions {window}; expected counts "
            + f"{found.standardisation}. "
            + " ".join(found.notes)
        ),
        extras={"unit": "practice"},
    )


@section("targeting_head", "Head of the targeting list", "targeting")
def targeting_head(ctx: Context) -> Draft:
    return _targeting_draft(ctx, limit=10)


@section("targeting", "The targeting list", "targeting")
def targeting(ctx: Context) -> Draft:
    return _targeting_draft(ctx, limit=None)


def _signposts_stamp(ctx: Context) -> str:
    """The practice's sign-posts as they stand: how many and the latest (only ever added)."""
    found = SignPost.objects.filter(la_code=ctx.la_code, practice_code=ctx.practice_code).aggregate(
        n=Count("id"), latest=Max("id")
    )
    return f"signposts:{found['n']}:{found['latest'] or 0}"


@section(
    "practice_signposting",
    "Local services this practice has sign-posted to",
    "practice",
    stamp=_signposts_stamp,
)
def practice_signposting(ctx: Context) -> Draft:
    """Knowledge of services in use: the survey says what GPs know, this says what they use.

    Sign-posts are recorded from the directory (Programme, Directory), not imported,
    so the section is kept only as long as the practice's sign-posts stand as they
    were (``_signposts_stamp`` in its key); the services come through the data version.
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
            Column("service_type", "Type of service", labels="service_type"),
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
