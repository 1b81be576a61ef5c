"""Professionals: pseudonymous id, role, organisation, council, and an optional display name.

The display name ("Dr A Shah") is how the council's own pages name a GP beside
the pseudonymous id; it is optional (blank falls back to the id), and the file
may call the column ``display_name`` or ``name``.
"""

from __future__ import annotations

import polars as pl

from careties.data import codes, spellings
from careties.data.context import ReadContext
from careties.data.contracts.common import TEAM_CODE_REASON, finish, la_code
from careties.data.layouts import Layout, Mapped
from careties.data.validate import (
    check_duplicates,
    check_pattern,
    flag,
    map_codes,
    require,
    upper_code,
)

KIND = "professionals"
LAYOUTS = [
    Layout(
        KIND,
        "careties",
        required=("professional_id", "role", "organisation", "la_code"),
        optional=("display_name", "name"),
    )
]
#: Longer than any name a person goes by: a longer cell is a pasted note, not a name.
MAX_NAME_LENGTH = 100


def convert(mapped: Mapped, ctx: ReadContext) -> pl.DataFrame:
    """Roles by their code or human spelling; organisations as ODS or team codes."""
    frame = mapped.frame
    require(frame, ctx, ["professional_id", "role", "organisation"])
    frame = map_codes(frame, ctx, "role", spellings.ROLES, "role", codes.ROLES)
    frame = upper_code(frame, "organisation")
    check_pattern(frame, ctx, "organisation", codes.TEAM_CODE_PATTERN, TEAM_CODE_REASON)
    frame = la_code(frame, ctx)
    check_duplicates(frame, ctx, ("professional_id",))
    return finish(_display_name(frame, ctx), KIND)


def _display_name(frame: pl.DataFrame, ctx: ReadContext) -> pl.DataFrame:
    """One optional name column, spaces collapsed, no longer than ``MAX_NAME_LENGTH``."""
    if "name" in frame.columns and "display_name" in frame.columns:
        flag(
            frame, ctx, "name", pl.col("name").is_not_null(), "give the name once: in display_name"
        )
        frame = frame.drop("name")
    column = next((c for c in ("display_name", "name") if c in frame.columns), None)
    if column is None:
        return frame
    frame = frame.with_columns(pl.col(column).str.replace_all(r"\s+", " "))
    flag(
        frame,
        ctx,
        column,
        pl.col(column).str.len_chars() > MAX_NAME_LENGTH,
        f"longer than {MAX_NAME_LENGTH} characters: a name, not a note",
    )
    return frame.rename({column: "display_name"})
