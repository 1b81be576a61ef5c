"""Network questions: the people a respondent names become ties in the professional network.

"Who in adult social care do you go to about an older patient?" (and its mirror, "Who in
general practice ...") are name generators (Burt 1984; Marsden 1990): each person named
is a tie from the respondent to them. A respondent is known only through a personal link
(their pseudonymous ``respondent_id``); names from anonymous links cannot make a tie and
are left out. The ties feed :func:`careties.relations.network.build_network` as
``named_ties`` (layer ``survey_named``).
"""

from __future__ import annotations

from collections.abc import Mapping
from datetime import date

import polars as pl

from careties.relations.surveys.instruments import MULTI_SEPARATOR
from careties.relations.surveys.responses import check_responses

#: The network questions, by id, and whose names each offers.
NETWORK_QUESTIONS: dict[str, str] = {"named_social_care": "social_care", "named_gp": "gp"}


def named_ties(
    responses: pl.DataFrame,
    professionals: pl.DataFrame | None = None,
    wave_dates: Mapping[str, date] | None = None,
) -> pl.DataFrame:
    """One row per (respondent, person named): ``from_professional, to_professional, wave,
    question_id`` and, with ``wave_dates`` (wave name -> its opening date), ``named_on``,
    so a named tie enters the network at its wave (null for a wave not listed). With
    ``professionals``, names not on the roster are dropped (a name typed by hand that
    matches nobody cannot be a tie)."""
    check_responses(responses)
    rows = responses.filter(
        pl.col("question_id").is_in(list(NETWORK_QUESTIONS)) & pl.col("respondent_id").is_not_null()
    )
    ties = (
        rows.select(
            from_professional=pl.col("respondent_id"),
            to_professional=pl.col("answer").str.split(MULTI_SEPARATOR),
            wave=pl.col("wave"),
            question_id=pl.col("question_id"),
        )
        .explode("to_professional")
        .with_columns(pl.col("to_professional").str.strip_chars())
        .filter(
            (pl.col("to_professional") != "")
            & (pl.col("to_professional") != pl.col("from_professional"))
        )
        .unique(maintain_order=True)
    )
    if professionals is not None:
        known = professionals["professional_id"].implode()
        ties = ties.filter(pl.col("to_professional").is_in(known))
    if wave_dates is not None:
        ties = ties.with_columns(
            named_on=pl.col("wave").replace_strict(
                dict(wave_dates), default=None, return_dtype=pl.Date
            )
        )
    return ties
