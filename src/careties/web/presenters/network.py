"""The professional network as people read it: named, coloured by sector, filtered.

One section, ``network``: the drawing of the council's organisations (practices and
teams by name, coloured and shaped by sector, sized by the measure the user picks),
the tie gaps *listed* beside it (practices with no tie to adult social care, weak
practice-team ties), and the figures as a table folded under the drawing. The choices
(measure, sector, kind of tie) are plain GET parameters, so the form works without
JavaScript. Ties cover the year the practice pages' health scores cover
(``builders.relationships.period_end``).
"""

from __future__ import annotations

from datetime import date

import polars as pl

from careties.relations.network import ProfessionalNetwork, communities, effective_size, weak_ties
from careties.relations.network.figures import SECTORS, network_figure, sector
from careties.relations.network.health import practice_social_care_ties
from careties.web import access, disclosure, selectors
from careties.web.dashboard.builders.relationships import (
    WINDOW_DAYS,
    network_in_period,
    period_end,
    practice_names,
)
from careties.web.disclosure import Disclosure
from careties.web.presenters.base import Column, Context, Draft, NotAvailable, section

#: What node sizes can follow: the table's measures, each a column the user may choose.
SIZE_MEASURES = {
    "strength": Column("total_strength", "Total tie strength", "number", 2),
    "ties": Column("ties", "Number of ties (degree)", "count"),
    "effective_size": Column("effective_size", "Brokerage (Burt's effective size)", "number", 2),
    "contacts": Column("contacts", "Contacts and referrals", "count"),
}
#: Kinds of tie, by where the tie was recorded (``ProfessionalNetwork.restricted``).
TIE_KINDS = {
    "all": ("Every kind of tie", ("contact", "event", "survey")),
    "contact": ("Logged contacts", ("contact",)),
    "referral": ("Referrals in care records", ("event",)),
    "survey": ("Named in the survey", ("survey",)),
}
#: Sectors shown beside the practices; the front door goes with social care.
AGENCIES = {
    "all": ("Every agency", tuple(SECTORS)),
    "social_care": ("GP practices and adult social care", ("gp", "social_care", "front_door")),
    "community_health": ("GP practices and community health", ("gp", "community_health")),
    "voluntary": ("GP practices and voluntary organisations", ("gp", "voluntary")),
}


def _chosen(ctx: Context, name: str, options: dict, default: str) -> str:
    wanted = ctx.params.get(name)
    return wanted if wanted in options else default


def _choice(name: str, label: str, options: dict, selected: str, words=lambda v: v[0]) -> dict:
    return {
        "name": name,
        "label": label,
        "options": [(key, words(value)) for key, value in options.items()],
        "selected": selected,
    }


def organisation_label() -> pl.Expr:
    """An organisation's name in words: the practice's name, else its team code read aloud."""
    code = pl.col("node_id")
    return (
        pl.when(pl.col("practice_name").is_not_null())
        .then(pl.col("practice_name"))
        .when(pl.col("sector") == "front_door")
        .then(pl.lit("Adult social care front door"))
        .when(code.str.starts_with("ASC-"))
        .then(
            pl.lit("Adult social care, ")
            + code.str.strip_prefix("ASC-").str.replace_all("-", " ").str.to_titlecase()
        )
        .otherwise(code)
        .alias("label")
    )


def _filtered(ctx: Context, kinds: tuple[str, ...], sectors: tuple[str, ...]):
    built = network_in_period(ctx)
    if kinds != TIE_KINDS["all"][1]:
        built = built.restricted(kinds)
    local = built.aggregate("organisation").council(ctx.la_code)
    keep = local.nodes.with_columns(sector()).filter(pl.col("sector").is_in(list(sectors)))
    return local.subnetwork(keep["node_id"])


def _measures(local: ProfessionalNetwork, ctx: Context) -> pl.DataFrame:
    edges = local.edges
    ends = pl.concat(
        [
            edges.select(pl.col(end).alias("node_id"), "strength", "frequency")
            for end in ("source", "target")
        ]
    )
    per_node = ends.group_by("node_id").agg(
        pl.col("strength").sum().round(2).alias("total_strength"),
        pl.len().cast(pl.Int64).alias("ties"),
        pl.col("frequency").sum().cast(pl.Int64).alias("contacts"),
    )
    structure = (
        communities(local).join(
            effective_size(local).select("node_id", "effective_size", "efficiency"), on="node_id"
        )
        if edges.height
        else pl.DataFrame(schema={"node_id": pl.String, "community": pl.Int64})
    )
    names = practice_names(ctx).rename({"practice_code": "node_id"})
    return (
        local.nodes.select("node_id", "org_type", "agency")
        .with_columns(sector())
        .join(per_node, on="node_id", how="left")
        .join(structure, on="node_id", how="left")
        .join(names, on="node_id", how="left")
        .with_columns(
            organisation_label(),
            pl.col("sector").replace_strict({k: v[0] for k, v in SECTORS.items()}).alias("kind"),
            pl.col("ties", "contacts").fill_null(0),
            pl.col("total_strength").fill_null(0.0),
            *[
                pl.col(c).cast(pl.Float64).round(2)
                for c in ("effective_size", "efficiency")
                if c in structure.columns
            ],
        )
        .sort("total_strength", descending=True)
    )


def _with_team(pairs: pl.DataFrame, nodes: pl.DataFrame, words: str) -> pl.DataFrame:
    """``practice_code, team_code, strength`` pairs as gap rows: ``words`` + the team's name."""
    teams = nodes.select(
        "node_id", sector(), practice_name=pl.lit(None, dtype=pl.String)
    ).with_columns(organisation_label())
    return pairs.join(teams.select(team_code="node_id", team="label"), on="team_code").select(
        "practice_code", gap=pl.lit(words) + pl.col("team"), strength=pl.col("strength").round(2)
    )


def tie_gaps(ctx: Context, as_of: date) -> pl.DataFrame:
    """Ties expected and absent, to list beside the drawing, in the year to ``as_of``:
    each practice with no logged contact or named tie with adult social care; each
    practice that refers to a team or the front door (care records) without any contact
    with it; each weak practice-team tie (below a quarter of the council's median)."""
    built = network_in_period(ctx)
    org = built.aggregate("organisation")
    nodes = org.nodes.filter(pl.col("la_code") == ctx.la_code)
    none = (
        practice_social_care_ties(built)
        .filter((pl.col("la_code") == ctx.la_code) & (pl.col("teams_reached") == 0))
        .select(
            "practice_code",
            gap=pl.lit(f"No tie with adult social care in the year to {as_of:%-d %B %Y}"),
            strength=pl.lit(0.0),
        )
    )
    relating = built.restricted(("contact", "survey")).aggregate("organisation").edges
    talked = pl.concat(
        [
            relating.select(practice_code="source", team_code="target"),
            relating.select(practice_code="target", team_code="source"),
        ]
    )
    referred_only = (
        org.tie_events.filter(pl.col("origin") == "event")
        .select(practice_code="from_node", team_code="to_node")
        .unique()
        .join(
            nodes.filter(pl.col("org_type") == "practice").select(practice_code="node_id"),
            on="practice_code",
            how="semi",
        )
        .join(talked, on=["practice_code", "team_code"], how="anti")
        .with_columns(strength=pl.lit(0.0))
    )
    weak = weak_ties(built, include_missing=False).select("practice_code", "team_code", "strength")
    frame = pl.concat(
        [
            none,
            _with_team(referred_only, nodes, "Refers in care records but no contact with "),
            _with_team(weak, nodes, "Weak tie with "),
        ],
        how="vertical_relaxed",
    ).join(practice_names(ctx), on="practice_code", how="left")
    return frame.with_columns(pl.coalesce("practice_name", "practice_code").alias("practice_name"))


def _gap_rows(ctx: Context, as_of: date) -> dict:
    shown = disclosure.apply(
        tie_gaps(ctx, as_of),
        Disclosure(level="council", practice_columns=("practice_code", "practice_name")),
        ctx.policy,
    )
    return {
        "title": "Ties that are missing or weak",
        "columns": ["Practice", "What is missing"],
        "rows": shown.select("practice_name", "gap").rows(),
        "empty": "Every practice has a tie with adult social care, and none is weak.",
    }


@section("network", "The professional network", "relationships")
def network_view(ctx: Context) -> Draft:
    size = _chosen(ctx, "size", SIZE_MEASURES, "strength")
    kind = _chosen(ctx, "tie", TIE_KINDS, "all")
    agency = _chosen(ctx, "agency", AGENCIES, "all")
    as_of = period_end(ctx)
    local = _filtered(ctx, TIE_KINDS[kind][1], AGENCIES[agency][1])
    if local.nodes.is_empty():
        raise NotAvailable("No organisations of these kinds are in this council's network.")
    frame = _measures(local, ctx)
    column, words = SIZE_MEASURES[size].key, SIZE_MEASURES[size].label
    anonymised = ctx.policy.anonymise_practices

    def chart(shown: pl.DataFrame) -> dict:
        # The drawing names organisations; users who see practices only as benchmarks
        # get the table, which disclosure has already anonymised.
        if anonymised:
            return {}
        return network_figure(
            local,
            influence=shown.select("node_id", pl.col(column).cast(pl.Float64).alias("influence")),
            communities=shown.select("node_id", "community") if "community" in shown else None,
            labels=shown.select("node_id", "label"),
            size_label=words.lower(),
        )

    draft = Draft(
        frame=frame,
        columns=[
            Column("label", "Organisation"),
            Column("kind", "Sector"),
            *SIZE_MEASURES.values(),
            Column("efficiency", "Efficiency", "number", 2),
            Column("community", "Community"),
        ],
        disclosure=Disclosure(
            level="below_council", counts=("contacts",), practice_columns=("node_id", "label")
        ),
        chart=chart,
        note=f"Ties in the {WINDOW_DAYS} days to {as_of:%-d %B %Y} (the period of the "
        "practices' health scores) from logged contacts, referrals in the care records and "
        "people named in the survey's network questions, weighted by frequency and recency "
        "(half-life 180 days). "
        f"Showing: {TIE_KINDS[kind][0]}; {AGENCIES[agency][0]}; sized by: {words}. Colour and shape show the sector; a coloured outline, the "
        "community (groups that work more with each other than outside, Louvain). "
        "Effective size: contacts not tied to each other (Burt); efficiency: that as a share "
        "of all contacts. Missing and weak ties are listed beside the drawing, not drawn.",
    )
    draft.extras.update(
        fold_table=True,
        aside=_gap_rows(ctx, as_of),
        choices=[
            _choice("size", "Size organisations by", SIZE_MEASURES, size, lambda c: c.label),
            _choice("agency", "Organisations", AGENCIES, agency),
            _choice("tie", "Kind of tie", TIE_KINDS, kind),
        ],
    )
    return draft


def other_councils(user, la_code: str | None) -> dict:
    """The councils besides ``la_code`` whose network ``user`` may open: the network's
    council filter, as links (a council is a page of its own). Per user, so added after
    the shared, cached section is built (``dashboard.sections``)."""
    if la_code is None:
        return {}
    loaded = selectors.councils().select("la_code", "name").rows()
    codes = access.councils_in_scope(user, [code for code, _ in loaded])
    return {
        "other_councils": [
            {"la_code": code, "name": name}
            for code, name in loaded
            if code in codes
            and code != la_code
            and access.can_view_page(user, "relationships", code)
        ]
    }
