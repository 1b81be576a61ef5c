"""Contacts between professionals: who talked to whom, how, why and for how long.

``contact_reference`` is optional. When a file has none, each row gets a
stable one: ``c`` + the first 20 hex digits of SHA-256 over the row's content
(date, from, to, channel, purpose, minutes, as normalised) and the row's
occurrence among identical rows (0 for the first, 1 for the second, ...).
Re-importing the same file therefore changes nothing, and two genuinely
identical contacts on one day stay two contacts.
"""

from __future__ import annotations

import hashlib

import polars as pl

from careties.data import codes, spellings
from careties.data.context import ReadContext
from careties.data.contracts.common import finish, professional
from careties.data.layouts import Layout, Mapped
from careties.data.validate import check_duplicates, flag, map_codes, require, to_date, to_int

KIND = "contacts"
CONTENT = ("contact_date", "from_professional", "to_professional", "channel", "purpose", "minutes")

LAYOUTS = [Layout(KIND, "careties", required=CONTENT, optional=("contact_reference",))]


def convert(mapped: Mapped, ctx: ReadContext) -> pl.DataFrame:
    """Check each contact; derive references where the file has none."""
    frame = mapped.frame
    require(frame, ctx, ["contact_date", "channel", "purpose", "minutes"])
    frame = to_date(frame, ctx, "contact_date")
    frame = professional(frame, ctx, "from_professional")
    frame = professional(frame, ctx, "to_professional")
    flag(
        frame,
        ctx,
        "to_professional",
        pl.col("from_professional") == pl.col("to_professional"),
        "a contact needs two different professionals (from and to are the same)",
    )
    frame = map_codes(
        frame, ctx, "channel", spellings.CONTACT_CHANNELS, "channel", codes.CONTACT_CHANNELS
    )
    frame = map_codes(
        frame, ctx, "purpose", spellings.CONTACT_PURPOSES, "purpose", codes.CONTACT_PURPOSES
    )
    frame = to_int(frame, ctx, "minutes", minimum=0, below_reason="negative number of minutes")
    if "contact_reference" in frame.columns:
        require(frame, ctx, ["contact_reference"])
    else:
        frame = frame.with_columns(derived_references(frame).alias("contact_reference"))
    check_duplicates(frame, ctx, ("contact_reference",))
    return finish(frame, KIND)


def derived_references(frame: pl.DataFrame) -> pl.Series:
    """Stable references from each row's content and its occurrence among identical rows."""
    content = pl.concat_str(
        [pl.col(c).cast(pl.String).fill_null("") for c in CONTENT], separator="\x1f"
    )
    keyed = frame.select(
        pl.concat_str(
            [content, pl.int_range(pl.len()).over(content).cast(pl.String)], separator="\x1e"
        ).alias("k")
    ).to_series()
    unique = keyed.unique()
    digests = {
        v: "c" + hashlib.sha256(v.encode("utf-8")).hexdigest()[:20] for v in unique.to_list()
    }
    return keyed.replace_strict(digests, return_dtype=pl.String)
