"""The target list when the data name practices but not GPs (Client Level Data as published).

CLD carries the person's GP practice, not the referring GP, so a council
working from published files alone has no GP-level referrers. The practice
ranking still holds: the target list is then the top share (a quarter by
default) of the council's practices by excess admissions (``O - E``), with the
same kind of reason as the GP list, so the report and the dashboard can say
plainly that they list practices.
"""

from __future__ import annotations

import math

import polars as pl

from careties.referrals.referrers import _referral_reason

PRACTICE_TARGET_COLUMNS = (
    "la_code",
    "practice_code",
    "admissions",
    "expected",
    "excess",
    "ratio",
    "rank",
    "in_target_set",
    "reason",
)

#: The sentence both the report and the dashboard show above a practice list.
PRACTICES_NOT_GPS = (
    "The data name practices but not GPs (Client Level Data records the person's practice): "
    "the target list is the top {share:.0%} of practices by excess admissions."
)


def practice_targets(practices: pl.DataFrame, months: int, share: float = 0.25) -> pl.DataFrame:
    """Every practice ranked by excess admissions, the top ``share`` flagged ``in_target_set``.

    ``practices`` is ``Referrers.practices`` (``PRACTICE_COLUMNS``). At least
    one practice per council is targeted when any practice has admissions.
    """
    if not 0.0 < share <= 1.0:
        raise ValueError("share must be above 0 and at most 1, e.g. 0.25")
    if practices.is_empty():
        return pl.DataFrame(
            schema={c: practices.schema.get(c, pl.String) for c in PRACTICE_TARGET_COLUMNS}
            | {"rank": pl.Int64, "in_target_set": pl.Boolean, "reason": pl.String}
        )
    size = pl.len().over("la_code")
    chosen = pl.max_horizontal((size * share).ceil().cast(pl.Int64), pl.lit(1))
    return (
        practices.sort(["la_code", "rank_excess"])
        .with_columns(
            pl.col("rank_excess").alias("rank"),
            ((pl.col("rank_excess") <= chosen) & (pl.col("admissions") > 0)).alias("in_target_set"),
            _referral_reason(max(1, months)).alias("reason"),
        )
        .select(PRACTICE_TARGET_COLUMNS)
    )


def target_count(n_practices: int, share: float) -> int:
    """How many of ``n_practices`` the top ``share`` is (at least one)."""
    return max(1, math.ceil(n_practices * share)) if n_practices else 0
