"""Practices whose relationship health score fell, each with its reasons in words."""

from __future__ import annotations

import polars as pl

from careties.relations.network.health import COMPONENTS

#: The columns of :func:`health_drops`, also when no practice's score fell.
DROP_SCHEMA: dict[str, pl.DataType] = {
    "practice_code": pl.String(),
    "la_code": pl.String(),
    "quarter_from": pl.String(),
    "quarter": pl.String(),
    "score_from": pl.Float64(),
    "score": pl.Float64(),
    "drop": pl.Float64(),
    "main_component": pl.String(),
    "reason": pl.String(),
}

_PLAIN = {
    "relational_coordination": "relational coordination (survey)",
    "network_ties": "ties with social care",
    "knowledge_of_services": "knowledge of local services (survey)",
}


def _reason(row: dict) -> tuple[str, str]:
    changes = []
    for c in COMPONENTS:
        before, after = row[f"{c}_from"], row[f"{c}"]
        wb, wa = row[f"weight_{c}_from"], row[f"weight_{c}"]
        if before is not None and after is None:
            changes.append(
                (-wb * before, c, f"{_PLAIN[c]} not available this quarter (weights shared out)")
            )
            continue
        if before is None or after is None:
            continue
        delta = wa * after - wb * before
        if after < before:
            if c == "network_ties":
                text = (
                    f"ties with social care fell from {before:.0%} to {after:.0%} "
                    f"(tie strength {row['social_care_tie_strength_from']:.1f} to "
                    f"{row['social_care_tie_strength']:.1f}; teams reached "
                    f"{row['teams_reached_from']} to {row['teams_reached']})"
                )
                if row.get("isolated"):
                    text += "; no contact with social care in the window"
            elif c == "relational_coordination":
                text = f"relational coordination fell from {1 + 4 * before:.1f} to {1 + 4 * after:.1f} of 5"
            else:
                text = f"knowledge of local services fell from {before:.0%} to {after:.0%}"
            changes.append((delta, c, text))
    changes.sort(key=lambda item: item[0])
    if not changes:
        return "", "weights changed"
    return changes[0][1], "; ".join(text for _, _, text in changes)


def health_drops(
    practice_quarterly: pl.DataFrame, min_drop: float = 5.0, quarter: str | None = None
) -> pl.DataFrame:
    """Practices whose relationship health score fell by ``min_drop`` points or more.

    Compares each quarter with the one before (only the drop into ``quarter`` if given).
    ``reason`` lists, in plain language, each component that fell, the one that cost most
    points first; ``main_component`` names it. Columns: ``practice_code, la_code,
    quarter_from, quarter, score_from, score, drop, main_component, reason``.
    """
    cols = [
        "score",
        "social_care_tie_strength",
        "teams_reached",
        *COMPONENTS,
        *[f"weight_{c}" for c in COMPONENTS],
    ]
    frame = practice_quarterly.sort("practice_code", "quarter_end").with_columns(
        [pl.col(c).shift(1).over("practice_code").alias(f"{c}_from") for c in cols]
        + [pl.col("quarter").shift(1).over("practice_code").alias("quarter_from")]
    )
    frame = frame.filter(pl.col("score_from").is_not_null()).with_columns(
        drop=pl.col("score_from") - pl.col("score")
    )
    if quarter is not None:
        frame = frame.filter(pl.col("quarter") == quarter)
    frame = frame.filter(pl.col("drop") >= min_drop)
    reasons = [_reason(row) for row in frame.iter_rows(named=True)]
    return (
        frame.with_columns(
            main_component=pl.Series([r[0] for r in reasons], dtype=pl.String),
            reason=pl.Series([r[1] for r in reasons], dtype=pl.String),
        )
        .select(list(DROP_SCHEMA))
        .cast(DROP_SCHEMA)  # type: ignore[arg-type]
        .sort("drop", descending=True)
    )
