"""Sections on relationships: relational coordination both ways, the network, health scores.

The network, the survey scores and the quarterly metrics are built (loaded,
computed, cached) in ``careties.web.dashboard.builders.relationships``; this
module only presents them.
"""

from __future__ import annotations

import polars as pl

from careties import labels
from careties.relations.network import health_drops, weak_ties
from careties.relations.network.figures import sector
from careties.relations.surveys import RC_DIMENSIONS, coordination, relational_coordination
from careties.web import charts
from careties.web.dashboard.builders.relationships import (
    WINDOW_DAYS,
    network_in_period,
    period_end,
    practice_names,
    practice_quarterly,
    quarterly,
    ties_of,
)
from careties.web.disclosure import Disclosure
from careties.web.presenters import wave_choice
from careties.web.presenters.base import Column, Context, Draft, NotAvailable, section
from careties.web.presenters.network import organisation_label

#: The seven dimensions, named as the surveys package names them (the index apart).
RC_LABELS = {d: coordination.RC_LABELS[d] for d in RC_DIMENSIONS}
DIRECTION_LABELS = {
    d: labels.RELATIONSHIP_MEASURES[d] for d in ("gp_to_social_care", "social_care_to_gp")
}
COMPONENT_LABELS = {
    c: labels.RELATIONSHIP_MEASURES[c]
    for c in ("network_ties", "relational_coordination", "knowledge_of_services")
}


#: How a tie between a practice and a team is shown, whichever end the page is about:
#: the strength the health score uses, and each source of the tie counted apart.
TIE_COLUMNS = (
    Column("strength", "Tie strength (in the health score)", "number", 2),
    Column("contacts", "Logged contacts", "count"),
    Column("named", "Named in the survey", "count"),
    Column("care_records", "Referrals in care records (not in the score)", "count"),
    Column("last_contact", "Last contact", "date"),
    Column("status", "Status", labels="tie_status"),
)
TIE_COUNTS = ("contacts", "named", "care_records")
#: The practice, by code and name, as the tables that list practices begin.
PRACTICE_COLUMNS = (Column("practice_code", "Practice code"), Column("practice_name", "Practice"))
#: The RC index and its reliability: shown after the dimensions, blanked with them
#: when a direction has too few respondents.
RC_RELIABILITY = {
    "rc_index": "RC index",
    "alpha": "Cronbach's alpha",
    "alpha_lower": "Alpha 95% lower (Feldt)",
    "alpha_upper": "Alpha 95% upper (Feldt)",
}


@section("rc_directions", "Relational coordination in both directions", "relationships")
def rc_directions(ctx: Context) -> Draft:
    found = ctx.frame("survey_responses")
    if found.is_empty():
        raise NotAvailable("No survey responses are loaded for this council yet.")
    # Each direction from its own survey's latest qualifying wave (or the chosen one).
    parts, chosen = [], {}
    for d in DIRECTION_LABELS:
        try:
            chosen[d] = wave_choice.chosen_wave(ctx, found, wave_choice.DIRECTION_INSTRUMENT[d])
        except NotAvailable:
            continue
        in_wave = found.filter(pl.col("wave") == chosen[d])
        parts.append(
            relational_coordination(in_wave, direction=d, by=("la_code",))
            .filter(pl.col("la_code") == ctx.la_code)
            .with_columns(pl.lit(chosen[d]).alias("wave"))
        )
    if not parts:
        raise NotAvailable(
            "No closed survey wave has enough respondents for relational coordination yet."
        )
    frame = pl.concat(parts, how="vertical_relaxed").with_columns(
        pl.col("direction").replace_strict(DIRECTION_LABELS, default=None).alias("direction_label")
    )
    if frame.is_empty():
        raise NotAvailable("No relational coordination answers in the qualifying waves.")
    latest = " and ".join(sorted(set(chosen.values())))
    dims = [d for d in RC_LABELS if d in frame.columns]

    def chart(shown: pl.DataFrame) -> dict:
        series = {}
        for row in shown.iter_rows(named=True):
            series[row["direction_label"]] = [row[d] for d in dims]
        return charts.bar_chart(
            [RC_LABELS[d] for d in dims],
            series,
            title=f"Relational coordination, wave {latest}",
            value_title="Mean score (1 to 5)",
        )

    # One list says what is shown of each direction and what is blanked under the floor.
    results = [
        *[Column(key, label, "number", 2) for key, label in (RC_LABELS | RC_RELIABILITY).items()],
        Column("band", "Band", labels="rc_band"),
    ]
    return Draft(
        frame=frame,
        columns=[
            Column("direction_label", "Direction"),
            Column("wave", "Wave"),
            Column("n", "Respondents", "count"),
            *results,
        ],
        disclosure=Disclosure(
            level="council", respondents="n", survey_values=tuple(c.key for c in results)
        ),
        chart=chart,
        note=f"Each direction from its survey's latest closed wave with at least "
        f"{wave_choice.respondent_floor()} respondents, unless a wave is chosen ({latest}). "
        "Gittell's seven dimensions, 1 to 5; weak below 3.5, strong above "
        "4.0. A gap between the two directions shows where one side rates the other lower.",
    )


@section("health_trends", "Relationship health score over time", "relationships")
def health_trends(ctx: Context) -> Draft:
    council = quarterly(ctx).council.filter(pl.col("la_code") == ctx.la_code)
    if council.is_empty():
        raise NotAvailable("Not enough contacts yet for a quarterly series.")
    frame = council.select(
        "quarter",
        "quarter_end",
        pl.col("mean_health_score").round(1),
        pl.col("isolated_practices", "weak_or_missing_ties").cast(pl.Int64),
        pl.col("ei_index_agency").round(2),
    ).sort("quarter_end")
    return _over_quarters(
        frame,
        [
            Column("mean_health_score", "Mean health score", "number"),
            Column("isolated_practices", "Isolated practices", "count"),
            Column("weak_or_missing_ties", "Weak or missing ties", "count"),
            Column("ei_index_agency", "E-I index (agency)", "number", 2),
        ],
        title="Mean relationship health score",
        note="Score 0 to 100 per practice from ties with social care, relational coordination "
        "and knowledge of services; the council's mean over the 365 days to each quarter end.",
    )


def _over_quarters(
    frame: pl.DataFrame, measures: list[Column], title: str, note: str, charted: int = 1
) -> Draft:
    """A quarterly series as a section: the quarter, then ``measures``, the first
    ``charted`` of them drawn as lines on the health score's 0 to 100 scale."""

    def chart(shown: pl.DataFrame) -> dict:
        return charts.line_chart(
            shown["quarter"].to_list(),
            {c.label: shown[c.key].to_list() for c in measures[:charted]},
            title=title,
            x_title="Quarter",
            y_title="Score (0 to 100)",
        )

    return Draft(
        frame=frame,
        columns=[Column("quarter", "Quarter"), *measures],
        disclosure=Disclosure(level="council"),
        chart=chart,
        note=note,
    )


@section("weakened", "Practices whose relationships have weakened", "relationships")
def weakened(ctx: Context) -> Draft:
    practice = quarterly(ctx).practice.filter(pl.col("la_code") == ctx.la_code)
    if practice.is_empty():
        raise NotAvailable("Not enough contacts yet for a quarterly series.")
    latest = practice["quarter_end"].max()
    latest_label = practice.filter(pl.col("quarter_end") == latest)["quarter"][0]
    drops = health_drops(practice, quarter=latest_label)
    frame = drops.join(practice_names(ctx), on="practice_code", how="left").select(
        "practice_code",
        "practice_name",
        "quarter_from",
        "quarter",
        pl.col("score_from", "score", "drop").round(1),
        "reason",
    )
    return Draft(
        frame=frame.sort("drop", descending=True),
        columns=[
            *PRACTICE_COLUMNS,
            Column("quarter_from", "From"),
            Column("quarter", "To"),
            Column("score_from", "Score before", "number"),
            Column("score", "Score now", "number"),
            Column("drop", "Fall", "number"),
            Column("reason", "Why"),
        ],
        disclosure=Disclosure(level="council", practice_columns=("practice_code", "practice_name")),
        note=f"Falls of 5 points or more into {latest_label}."
        + ("" if frame.height else " No practice's score fell that far this quarter."),
    )


@section("practice_health", "This practice's relationship health", "practice")
def practice_health(ctx: Context) -> Draft:
    practice = practice_quarterly(ctx)
    components = [c for c in COMPONENT_LABELS if c in practice.columns]
    frame = practice.select(
        "quarter",
        pl.col("score").round(1),
        *[(pl.col(c) * 100).round(0).alias(c) for c in components],
        pl.col("teams_reached").cast(pl.Int64),
    )
    return _over_quarters(
        frame,
        [
            Column("score", "Health score", "number"),
            *[Column(c, COMPONENT_LABELS[c], "number", 0) for c in components],
            Column("teams_reached", "Social care teams reached", "count"),
        ],
        title="Relationship health",
        note=health_explained(practice.row(practice.height - 1, named=True)),
        charted=1 + len(components),
    )


def health_explained(latest: dict) -> str:
    """What the health score is made of, in words, with the latest quarter's figures."""
    return (
        f"How the score is made: 0.4 x relational coordination + 0.4 x ties with social "
        f"care + 0.2 x knowledge of local services, each 0 to 100 (a part the survey has "
        f"too few answers for is left blank and its weight shared by the others). Each "
        f"quarter covers the {WINDOW_DAYS} days to its end. Ties with social care come from "
        f"the logged contacts and survey-named ties with social care teams, recent ones "
        f"counting most: in {latest['quarter']}, {latest['teams_reached']} team(s), tie "
        f"strength {latest['social_care_tie_strength']:.1f}, so a ties part of "
        f"{100 * latest['network_ties']:.0f} (strength / (strength + 6)). The table of ties "
        f"below covers the same year and the same sources; referrals in the care records "
        f"are counted there too but are not in the score: they show how often a practice "
        f"refers, not whether it works with social care."
    )


def _ties_with(ctx: Context, node: str, other: str, listed: pl.DataFrame) -> pl.DataFrame:
    """``node``'s ties with each organisation of ``listed`` (column ``other``) in the year
    of the health score, weak and missing ones flagged (:func:`weak_ties`)."""
    built = network_in_period(ctx)
    own = "team_code" if other == "practice_code" else "practice_code"
    flagged = weak_ties(built).filter(pl.col(own) == node).select(other, "status")
    none = pl.col("strength").fill_null(0.0) == 0
    return (
        listed.join(ties_of(built, node, other), on=other, how="left")
        .join(flagged, on=other, how="left")
        .with_columns(
            pl.col("strength").fill_null(0.0).round(2),
            pl.col(*TIE_COUNTS).fill_null(0),
            pl.coalesce(
                "status",
                pl.when(none & (pl.col("care_records").fill_null(0) > 0))
                .then(pl.lit("referrals_only"))
                .when(none)
                .then(pl.lit("missing"))
                .otherwise(pl.lit("ok")),
            ).alias("status"),
        )
    )


TIE_NOTE = (
    "Weak: below a quarter of the council's median practice-team tie; missing: no logged "
    "contact or survey-named tie in the year; referrals only: care records but no contact."
)


@section("practice_ties", "This practice's ties with social care teams", "practice")
def practice_ties(ctx: Context) -> Draft:
    nodes = network_in_period(ctx).aggregate("organisation").nodes
    teams = (
        nodes.filter((pl.col("agency") == "social_care") & (pl.col("la_code") == ctx.la_code))
        .with_columns(sector(), practice_name=pl.lit(None, dtype=pl.String))
        .select("node_id", "sector", "practice_name", team_code="node_id")
    )
    if teams.is_empty():
        raise NotAvailable("No social care teams are recorded for this council.")
    frame = (
        _ties_with(ctx, ctx.practice_code, "team_code", teams.select("team_code"))
        .join(teams.select("team_code", organisation_label().alias("team")), on="team_code")
        .sort("strength", descending=True)
    )
    return Draft(
        frame=frame,
        columns=[Column("team", "Social care team"), *TIE_COLUMNS],
        disclosure=Disclosure(level="below_council", counts=TIE_COUNTS),
        note=f"In the {WINDOW_DAYS} days to {period_end(ctx):%-d %B %Y}, the year of the "
        f"latest health score above. {TIE_NOTE}",
    )


@section("team_ties", "Your team's ties with practices", "relationships")
def team_ties(ctx: Context) -> Draft:
    """A social worker's own view: every practice of the council and how well
    their team is connected to it, weak and missing ties first."""
    team = ctx.params.get("team")
    if not team:
        raise NotAvailable("This view is for social workers: it shows their own team's ties.")
    frame = _ties_with(ctx, team, "practice_code", practice_names(ctx)).sort(
        ["strength", "practice_code"]
    )
    if frame.is_empty():
        raise NotAvailable("No practices are loaded for this council.")
    return Draft(
        frame=frame,
        columns=[*PRACTICE_COLUMNS, *TIE_COLUMNS],
        disclosure=Disclosure(level="below_council", counts=TIE_COUNTS),
        note=f"Team {team}, in the {WINDOW_DAYS} days to {period_end(ctx):%-d %B %Y}. Weakest "
        f"first: practices where a visit or a call would do most. {TIE_NOTE} Log contacts "
        "under Programme, Activities.",
    )
