"""Checks shared by several contracts: organisation codes and the final shape."""

from __future__ import annotations

import re
from dataclasses import dataclass

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


@dataclass(frozen=True)
class NationalCode:
    """A check of one kind of national code column: upper-cased, required, well-formed and known.

    Called as ``la_code(frame, ctx)`` or ``practice_code(frame, ctx, "column",
    required=False, referential=False)``; the kinds differ only in these
    fields, so each is one row of data rather than its own copy of the steps.
    """

    default_column: str
    pattern: re.Pattern[str]
    format_reason: str
    #: The ``KnownCodes`` field holding the codes already loaded.
    known_field: str
    unknown_reason: str

    def __call__(
        self,
        frame: pl.DataFrame,
        ctx: ReadContext,
        column: str | None = None,
        *,
        required: bool = True,
        referential: bool = True,
    ) -> pl.DataFrame:
        """Upper-case, require, check the format, and check the code is known.

        Only well-formed codes are looked up, so a malformed code gets one
        error (its format), not two.
        """
        column = column or self.default_column
        frame = upper_code(frame, column)
        if required:
            require(frame, ctx, [column])
        check_pattern(frame, ctx, column, self.pattern, self.format_reason)
        known = getattr(ctx.known, self.known_field) if ctx.known and referential else None
        valid = frame.filter(pl.col(column).str.contains(self.pattern.pattern))
        check_known(valid, ctx, column, known, self.unknown_reason)
        return frame


#: An ONS council code (``E09000001``), known if councils are loaded.
la_code = NationalCode(
    "la_code",
    codes.LA_CODE_PATTERN,
    LA_CODE_REASON,
    "la_codes",
    "unknown council: load it in local_authorities first",
)
#: An ODS GP practice code (``A81001``), known if practices are loaded.
practice_code = NationalCode(
    "practice_code",
    codes.PRACTICE_CODE_PATTERN,
    PRACTICE_CODE_REASON,
    "practice_codes",
    "unknown practice: load it in practices first",
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
