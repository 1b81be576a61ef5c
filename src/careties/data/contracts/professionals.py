"""Professionals: pseudonymous id, role, organisation, council."""

from __future__ import annotations

import polars as pl

from careties.data import codes, spellings
from careties.data.context import ReadContext
from careties.data.contracts.common import TEAM_CODE_REASON, finish, la_code
from careties.data.layouts import Layout, Mapped
from careties.data.validate import check_duplicates, check_pattern, map_codes, require, upper_code

KIND = "professionals"
LAYOUTS = [
    Layout(KIND, "careties", required=("professional_id", "role", "organisation", "la_code"))
]


def convert(mapped: Mapped, ctx: ReadContext) -> pl.DataFrame:
    """Roles by their code or human spelling; organisations as ODS or team codes."""
    frame = mapped.frame
    require(frame, ctx, ["professional_id", "role", "organisation"])
    frame = map_codes(frame, ctx, "role", spellings.ROLES, "role", codes.ROLES)
    frame = upper_code(frame, "organisation")
    check_pattern(frame, ctx, "organisation", codes.TEAM_CODE_PATTERN, TEAM_CODE_REASON)
    frame = la_code(frame, ctx)
    check_duplicates(frame, ctx, ("professional_id",))
    return finish(frame, KIND)
