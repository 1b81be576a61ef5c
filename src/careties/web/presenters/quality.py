"""The data-quality section: what each rule of the ASCOF method left out, and why.

The figures come from ``careties.referrals.quality`` (DHSC's ASCOF 2B/2C
rules in order, then flags across all events). Counts are disclosed like
every other count: small ones suppressed for users who may not see them.
"""

from __future__ import annotations

import polars as pl

from careties.referrals.quality import data_quality as table
from careties.web.disclosure import Disclosure
from careties.web.presenters.base import Column, Context, Draft, NotAvailable, section
from careties.web.selectors import load_frame


@section("data_quality", "Data quality: rows and people left out, and why", "overview")
def data_quality(ctx: Context) -> Draft:
    events = ctx.frame("events")
    if events.is_empty():
        raise NotAvailable("No events are loaded for this council yet.")
    # Every practice loaded: a practice across the border is named, not "not loaded".
    frame = ctx.memo("data_quality", lambda: table(events, load_frame("practices")))
    return Draft(
        frame=frame.with_columns(pl.col("rows").cast(pl.Int64), pl.col("people").cast(pl.Int64)),
        columns=[
            Column("measure", "Measure"),
            Column("check", "Left out or flagged because"),
            Column("rows", "Rows", "count"),
            Column("people", "People", "count"),
        ],
        # Small counts of people inside one council: disclosed as below-council counts.
        disclosure=Disclosure(level="below_council", counts=("rows", "people")),
        note=(
            "ASCOF 2B/2C: each residential or nursing service starting in the latest year, under "
            "the first rule of DHSC's method it fails, then those counted. All events: values "
            "kept as given outside their code list, blank dates of birth, practices outside "
            "the council or not loaded. Method: docs/referrals.md."
        ),
    )
