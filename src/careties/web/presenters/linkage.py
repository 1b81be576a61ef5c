"""Relationships and admissions, linked: the council's practices, and the region's.

One row per relationship measure (relational coordination, tie strength with social care,
knowledge of services, the health score) and outcome (new permanent admissions 65+, and
emergency admissions 65+ where loaded): the rate ratio per standard deviation better
relationships from :func:`careties.relations.linkage.relationship_admissions`, its 95%
interval and the plain-words verdict. Only model results leave the server: no practice's
count is shown. The models are fitted in ``careties.web.dashboard.builders.linkage`` (a
council's) and ``.regional`` (the region's, from aggregates); these presenters only present.
"""

from __future__ import annotations

import polars as pl

from careties.web import charts
from careties.web.dashboard.builders import linkage, regional
from careties.web.disclosure import Disclosure
from careties.web.presenters.base import Column, Context, Draft, NotAvailable, section


def _draft(frame: pl.DataFrame, where: str) -> Draft:
    fitted = frame.filter(pl.col("rate_ratio").is_not_null())
    if fitted.is_empty():
        reasons = "; ".join(sorted(set(frame["reason"].drop_nulls().to_list())))
        raise NotAvailable(f"No model could be fitted: {reasons}")

    def chart(shown: pl.DataFrame) -> dict:
        rows = shown.filter(pl.col("rate_ratio").is_not_null())
        labels = [f"{m} / {o}" for m, o in rows.select("measure_label", "outcome").iter_rows()]
        return charts.bar_chart(
            labels,
            {"Rate ratio": rows["rate_ratio"].to_list()},
            title=f"Admissions per older patient for one SD better relationships, {where}",
            value_title="Rate ratio (1 = no association)",
            errors={"Rate ratio": (rows["lower"].to_list(), rows["upper"].to_list())},
            reference=1.0,
            reference_label="No association",
        )

    return Draft(
        frame=frame,
        columns=[
            Column("outcome", "Admissions"),
            Column("measure_label", "Relationship measure"),
            Column("practices", "Practices", "count"),
            Column("rate_ratio", "Rate ratio per SD", "number", 2),
            Column("lower", "95% lower", "number", 2),
            Column("upper", "95% upper", "number", 2),
            Column("method", "Model"),
            Column("adjusted_for", "Adjusted for"),
            Column("shown", "What it says"),
        ],
        disclosure=Disclosure(level="council"),
        chart=chart,
        note="A count model across practices with each practice's 65+ list as exposure "
        "(negative binomial, or quasi-Poisson when there is no over-dispersion). A rate ratio "
        "below 1 means practices with better relationships admit fewer older patients. It is "
        "an association, not proof of cause.",
    )


@section("linkage", "Relationships and admissions, linked", "relationships")
def council_linkage(ctx: Context) -> Draft:
    return _draft(linkage.council_models(ctx), "this council's practices")


# Not kept as a built section: until the models of many councils are fitted in the
# background the section says so, and the next view must look again.
@section(
    "regional_linkage",
    "Relationships and admissions across the region",
    "regional",
    cacheable=False,
)
def regional_linkage(ctx: Context) -> Draft:
    frame = regional.linkage_models(ctx)
    return _draft(frame, f"{len(ctx.la_codes)} councils' practices")
