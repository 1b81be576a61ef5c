"""Checks shared by several contracts: organisation codes and the final shape."""

from __future__ import annotations

import re

import polars as pl

from careties.data import codes
from careties.data.context import ReadContext
from careties.data.frames import CANONICAL
from careties.data.validate import check_known, check_pattern, require, upper_code

LA_CODE_REASON = "not a valid ONS local authority code (E06, E07, E08, E09 or E10 and six digits, e.g. E09000001)"
PRACTICE_CODE_REASON = "not a valid GP practice ODS code (one letter and five digits, e.g. A81001)"
TEAM_CODE_REASON = (
    "not a valid organisation code (a practice ODS code or a team code of letters, digits, - and _)"
)


def _national_code(
    frame: pl.DataFrame,
    ctx: ReadContext,
    column: str,
    pattern: re.Pattern[str],
    format_reason: str,
    known: set[str] | None,
    unknown_reason: str,
    required: bool,
) -> pl.DataFrame:
    """Upper-case, require, check the format, and check the code is known.

    Only well-formed codes are looked up, so a malformed code gets one error
    (its format), not two.
    """
    frame = upper_code(frame, column)
    if required:
        require(frame, ctx, [column])
    check_pattern(frame, ctx, column, pattern, format_reason)
    valid = frame.filter(pl.col(column).str.contains(pattern.pattern))
    check_known(valid, ctx, column, known, unknown_reason)
    return frame


def la_code(
    frame: pl.DataFrame,
    ctx: ReadContext,
    column: str = "la_code",
    *,
    required: bool = True,
    referential: bool = True,
) -> pl.DataFrame:
    """An ONS council code: upper-cased, required, well-formed and known."""
    known = ctx.known.la_codes if ctx.known and referential else None
    return _national_code(
        frame,
        ctx,
        column,
        codes.LA_CODE_PATTERN,
        LA_CODE_REASON,
        known,
        "unknown council: load it in local_authorities first",
        required,
    )


def practice_code(
    frame: pl.DataFrame,
    ctx: ReadContext,
    column: str = "practice_code",
    *,
    required: bool = True,
    referential: bool = True,
) -> pl.DataFrame:
    """An ODS practice code: upper-cased, required, well-formed and known."""
    known = ctx.known.practice_codes if ctx.known and referential else None
    return _national_code(
        frame,
        ctx,
        column,
        codes.PRACTICE_CODE_PATTERN,
        PRACTICE_CODE_REASON,
        known,
        "unknown practice: load it in practices first",
        required,
    )


def professional(
    frame: pl.DataFrame, ctx: ReadContext, column: str, *, required: bool = True
) -> pl.DataFrame:
    """A pseudonymous professional id: required where stated, known if known ids are given."""
    if required:
        require(frame, ctx, [column])
    known = ctx.known.professional_ids if ctx.known else None
    check_known(frame, ctx, column, known, "unknown professional: load them in professionals first")
    return frame


def finish(frame: pl.DataFrame, kind: str) -> pl.DataFrame:
    """Exactly the canonical columns and types, in canonical order."""
    schema = CANONICAL[kind]
    missing = [
        pl.lit(None, dtype=dtype).alias(name)
        for name, dtype in schema.items()
        if name not in frame.columns
    ]
    frame = frame.with_columns(missing) if missing else frame
    return frame.select([pl.col(name).cast(dtype) for name, dtype in schema.items()])
