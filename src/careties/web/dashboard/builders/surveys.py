"""Surveys: the council's survey responses, their waves and headline indicators.

Section builders of the surveys area (load once per request, score with
``careties.relations.surveys``, memoise); the presenters in
``careties.web.presenters.surveys`` only present.
"""

from __future__ import annotations

import polars as pl

from careties.relations.surveys import headline_indicators
from careties.web.presenters.base import Context, NotAvailable

__all__ = ["headline", "responses", "waves"]


def responses(ctx: Context) -> pl.DataFrame:
    found = ctx.frame("survey_responses")
    if found.is_empty():
        raise NotAvailable("No survey responses are loaded for this council yet.")
    return found


def waves(ctx: Context) -> list[str]:
    return sorted(responses(ctx)["wave"].unique().to_list())


def headline(ctx: Context) -> pl.DataFrame:
    return ctx.memo("headline", lambda: headline_indicators(responses(ctx), by="wave"))
