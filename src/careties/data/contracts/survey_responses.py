"""Survey answers in long format: one row per answer to one question.

Whether a question belongs to its instrument is checked by the relations
package, which owns the instruments; here only the shape is checked.
"""

from __future__ import annotations

import polars as pl

from careties.data import codes, spellings
from careties.data.context import ReadContext
from careties.data.contracts.common import TEAM_CODE_REASON, finish, la_code
from careties.data.layouts import Layout, Mapped
from careties.data.validate import check_duplicates, check_pattern, map_codes, require, upper_code

KIND = "survey_responses"
#: Who answered, repeated on each of their answers.
RESPONDENT_COLUMNS = (
    "response_id",
    "wave",
    "instrument",
    "la_code",
    "organisation",
    "respondent_id",
)
LAYOUTS = [
    Layout(
        KIND,
        "careties",
        required=(*RESPONDENT_COLUMNS, "question_id", "answer"),
    )
]


def convert(mapped: Mapped, ctx: ReadContext) -> pl.DataFrame:
    """Required fields, instrument codes, council and organisation formats."""
    frame = mapped.frame
    require(frame, ctx, ["response_id", "wave", "instrument", "question_id", "answer"])
    frame = map_codes(
        frame,
        ctx,
        "instrument",
        spellings.SURVEY_INSTRUMENTS,
        "instrument",
        codes.SURVEY_INSTRUMENTS,
    )
    frame = la_code(frame, ctx)
    frame = upper_code(frame, "organisation")
    check_pattern(frame, ctx, "organisation", codes.TEAM_CODE_PATTERN, TEAM_CODE_REASON)
    check_duplicates(frame, ctx, ("response_id", "question_id"))
    return finish(frame, KIND)
