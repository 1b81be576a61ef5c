"""Practices across borders: which practices in a council's data are registered elsewhere.

Patients register with practices across council borders, and Client Level
Data names the person's practice whatever council it sits in; ASCOF counts
them for the council responsible for their care. Practice tables therefore
mark such practices "registered outside the council", and name them from the
national practice file when it is loaded (the practice belongs to another
council's list there, so the council's own frame does not hold its name).
"""

from __future__ import annotations

import polars as pl

from careties.web.presenters.base import Context
from careties.web.selectors import load_frame

__all__ = ["OUTSIDE", "practice_labels"]

#: The words practice tables show beside a practice registered in another council.
OUTSIDE = "registered outside the council"


def practice_labels(ctx: Context, codes: list[str] | pl.Series) -> pl.DataFrame:
    """``practice_code``, ``practice_name`` and ``registered`` for each of ``codes``.

    ``registered`` is :data:`OUTSIDE` for a practice that is not on this
    council's practice list, blank otherwise; the name comes from the council's
    list, else from any council's (the national file), else stays blank.
    """
    wanted = sorted({str(c) for c in codes if c})
    own = ctx.frame("practices").select("practice_code", "name")
    own_codes = set(own["practice_code"].to_list())
    others = [c for c in wanted if c not in own_codes]
    elsewhere = (
        load_frame(
            "practices",
            where=(
                "practice_code IN (" + ", ".join(["%s"] * len(others)) + ")",
                others,
            ),
        )
        .select("practice_code", "name")
        .unique("practice_code")
        if others
        else own.head(0)
    )
    names = pl.concat([own, elsewhere], how="vertical_relaxed").unique("practice_code")
    frame = pl.DataFrame({"practice_code": wanted}, schema={"practice_code": pl.String})
    return frame.join(names, on="practice_code", how="left").select(
        "practice_code",
        pl.col("name").alias("practice_name"),
        pl.when(pl.col("practice_code").is_in(list(own_codes)))
        .then(pl.lit(""))
        .otherwise(pl.lit(OUTSIDE))
        .alias("registered"),
    )
