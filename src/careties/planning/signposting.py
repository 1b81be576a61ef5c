"""Sign-posting measured: per practice and per targeted GP per quarter, and as an evaluation outcome.

Knowing what exists should show up as GPs sign-posting to it. Two quarterly
series, each meant for an XmR (SPC) chart (:func:`careties.stats.spc.spc`):

- ``per_practice``: sign-posts recorded in the quarter / the council's practices;
- ``per_targeted_gp``: sign-posts by GPs of the programme's targeted practices /
  the GPs of those practices.

Quarters run from the first sign-post's quarter to the last's, with no gaps:
a quarter with none counts as zero, not as missing (an XmR chart's moving
ranges would change otherwise). And the panel for the programme evaluation
(:func:`careties.planning.evaluation.evaluate`): sign-posts per practice per
quarter, every practice every quarter, marked targeted and after the start.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable

import polars as pl

from careties.errors import NotEnoughData
from careties.planning.evaluation import ProgrammeEvaluation, evaluate
from careties.planning.evaluation_panels import _mark, _quarters

__all__ = ["evaluate_signposting", "signposting_panel", "signposting_series"]

LABEL = "Sign-posting to local services"
UNITS = "sign-posts per practice a quarter"


def _quarter(column: str) -> pl.Expr:
    return pl.col(column).dt.truncate("1q").alias("quarter")


def signposting_series(
    signposts: pl.DataFrame,
    practices: pl.DataFrame,
    professionals: pl.DataFrame,
    targeted: Iterable[str],
) -> pl.DataFrame:
    """Quarter, signposts, per_practice and per_targeted_gp (null without targeted GPs)."""
    schema = {
        "quarter": pl.Date,
        "signposts": pl.Int64,
        "per_practice": pl.Float64,
        "per_targeted_gp": pl.Float64,
    }
    if signposts.height == 0 or practices.height == 0:
        return pl.DataFrame(schema=schema)
    targeted = set(targeted)
    gps = professionals.filter(
        (pl.col("role") == "gp") & pl.col("organisation").is_in(list(targeted))
    )
    targeted_gps = gps["professional_id"].n_unique()
    quarters = pl.DataFrame(
        {"quarter": _quarters(signposts["signposted_on"].min(), signposts["signposted_on"].max())}
    )
    counts = (
        signposts.with_columns(_quarter("signposted_on"))
        .group_by("quarter")
        .agg(
            pl.len().cast(pl.Int64).alias("signposts"),
            pl.col("practice_code").is_in(list(targeted)).sum().alias("targeted"),
        )
    )
    n_practices = practices["practice_code"].n_unique()
    return (
        quarters.join(counts, on="quarter", how="left")
        .with_columns(pl.col("signposts", "targeted").fill_null(0).cast(pl.Int64))
        .with_columns(
            (pl.col("signposts") / n_practices).alias("per_practice"),
            (
                pl.col("targeted") / targeted_gps
                if targeted_gps
                else pl.lit(None, dtype=pl.Float64)
            ).alias("per_targeted_gp"),
        )
        .select(list(schema))
        .sort("quarter")
    )


def signposting_panel(
    signposts: pl.DataFrame,
    practices: pl.DataFrame,
    targeted: Iterable[str],
    start: dt.date,
) -> pl.DataFrame:
    """Sign-posts per practice per quarter, every practice every quarter, marked treated and post."""
    if signposts.height == 0:
        empty = pl.DataFrame(
            schema={"practice_code": pl.String, "quarter": pl.Date, "signposts": pl.Float64}
        )
        return _mark(empty, targeted, start)
    quarters = _quarters(signposts["signposted_on"].min(), signposts["signposted_on"].max())
    counts = (
        signposts.with_columns(_quarter("signposted_on"))
        .group_by("practice_code", "quarter")
        .agg(pl.len().cast(pl.Float64).alias("signposts"))
    )
    grid = (
        practices.select("practice_code")
        .unique()
        .join(pl.DataFrame({"quarter": quarters}), how="cross")
        .join(counts, on=["practice_code", "quarter"], how="left")
        .with_columns(pl.col("signposts").fill_null(0.0))
    )
    return _mark(grid, targeted, start)


def evaluate_signposting(
    signposts: pl.DataFrame, practices: pl.DataFrame, targeted: Iterable[str], start: dt.date
) -> ProgrammeEvaluation:
    """Difference in differences of sign-posts per practice a quarter: one more outcome."""
    if signposts.height == 0:
        return ProgrammeEvaluation(
            "signposts", LABEL, UNITS, False, error="No sign-posting has been recorded yet."
        )
    panel = signposting_panel(signposts, practices, targeted, start)
    try:
        return evaluate(panel, "signposts", LABEL, UNITS, lower_is_better=False)
    except NotEnoughData as error:  # e.g. fewer than 2 targeted or comparison practices
        return ProgrammeEvaluation(
            "signposts", LABEL, UNITS, False, error=f"Cannot evaluate: {error}."
        )
