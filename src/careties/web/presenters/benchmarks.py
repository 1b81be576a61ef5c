"""The council beside England, its region and its peers, from the published files stored.

Published ASCOF (every council) and NHS England's peer groups are loaded with
``careties import published_ascof FILE`` and ``careties import peer_groups
FILE`` (careties.web.benchmarks). This section ranks the council among its
peers with 95% intervals (Byar's method on the published counts), with England
and the region beside them, and says whether careties' own figure for the same
year agrees with the published one.
"""

from __future__ import annotations

import polars as pl

from careties.referrals.published import agreement_line, comparison
from careties.web import charts
from careties.web.benchmarks.services import peer_groups, published_ascof
from careties.web.dashboard.builders.referrals import ascof_by_council
from careties.web.disclosure import Disclosure
from careties.web.presenters.base import Column, Context, Draft, NotAvailable, section

GROUP_LABELS = {"council": "This council", "peer": "Peer", "England": "England", "region": "Region"}


def _year_and_measure(published: pl.DataFrame, own: pl.DataFrame) -> tuple[str, str, dict | None]:
    """The latest year both careties and the published file have; else the latest published."""
    shared = own.filter(pl.col("financial_year").is_in(published["financial_year"].implode()))
    if not shared.is_empty():
        latest = shared.sort("financial_year").row(-1, named=True)
        return latest["financial_year"], latest["measure"], latest
    newest = published.sort("financial_year").row(-1, named=True)
    return newest["financial_year"], newest["measure"], None


@section(
    "benchmarks",
    "ASCOF 2C beside England, the region and peer councils (published figures)",
    "overview",
)
def benchmarks(ctx: Context) -> Draft:
    published = published_ascof().filter(pl.col("measure").is_in(["ASCOF 2C", "ASCOF 2A(2)"]))
    if published.is_empty():
        raise NotAvailable(
            "No published ASCOF figures are loaded: `careties import published_ascof FILE` "
            "(NHS England's ASCOF file for all councils) and `careties import peer_groups FILE`."
        )
    own = ascof_by_council(ctx, [ctx.la_code]).filter(pl.col("la_code") == ctx.la_code)
    year, measure, latest = _year_and_measure(published, own)
    peers = peer_groups()
    table = comparison(
        published, ctx.la_code, year, measure=measure, peers=peers if peers.height else None
    )
    if table.filter(pl.col("group") == "council").is_empty():
        raise NotAvailable(
            f"The published file has no {measure} figure for this council in {year}."
        )
    table = table.with_columns(
        pl.col("group").replace_strict(GROUP_LABELS, default=pl.col("group")).alias("group_label")
    ).sort(pl.col("rank").is_null(), "rank", "label")
    row = published.filter(
        (pl.col("la_code") == ctx.la_code)
        & (pl.col("financial_year") == year)
        & (pl.col("measure") == measure)
    )
    line = agreement_line(
        latest["rate_per_100k"] if latest else None,
        latest["admissions_65_plus"] if latest else None,
        row.row(0, named=True) if not row.is_empty() else None,
    )

    def chart(shown: pl.DataFrame) -> dict:
        ordered = shown.sort("outcome", descending=True, nulls_last=True)
        labels = [
            f"{'#' + str(r) + ' ' if r is not None else ''}{n} ({g})"
            for r, n, g in zip(
                ordered["rank"], ordered["label"], ordered["group_label"], strict=True
            )
        ]
        return charts.bar_chart(
            labels,
            {"Per 100,000 aged 65+": ordered["outcome"].to_list()},
            title=f"{measure} {year}: the council, England, region and peers",
            value_title="Admissions per 100,000 aged 65+ (lower is better)",
            errors={
                "Per 100,000 aged 65+": (
                    ordered["lower_95"].to_list(),
                    ordered["upper_95"].to_list(),
                )
            },
        )

    peer_count = table.filter(pl.col("group") == "peer").height
    return Draft(
        frame=table,
        columns=[
            Column("rank", "Rank among peers (1 = lowest)", "count"),
            Column("label", "Council or area"),
            Column("group_label", "Group"),
            Column("numerator", "Admissions 65+ (published)", "number", 0),
            Column("denominator", "Population 65+ (published)", "number", 0),
            Column("outcome", "Per 100,000 (published)", "rate"),
            Column("lower_95", "95% lower", "rate"),
            Column("upper_95", "95% upper", "rate"),
        ],
        # Published council-level figures: public already, nothing below council level.
        disclosure=Disclosure(level="council"),
        chart=chart,
        note=(
            f"{measure} {year}, NHS England's published figures; {peer_count} peer councils "
            "(NHS England's nearest neighbours). Intervals: Byar's method on the published "
            f"counts. Lower is better. {line}"
        ),
        extras={"agreement": line, "year": year, "measure": measure},
    )
