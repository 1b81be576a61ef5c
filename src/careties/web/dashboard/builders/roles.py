"""Working across roles, and change over time: the survey of every role and the network at two dates.

Section builders of the role sections (the presenters in
``careties.web.presenters.roles`` only present): they load the council's
answers to the survey of every role and its contacts, and run
``careties.relations`` on them for the wave, pair or dates chosen on the page.
"""

from __future__ import annotations

from datetime import date, timedelta

import polars as pl

from careties.relations.network import change_summary, ties_between_dates
from careties.relations.surveys import (
    RATED_ROLES,
    RESPONDENT_ROLES,
    role_matrix,
    role_matrix_change,
    role_pair_trend,
)
from careties.relations.surveys.privacy import MIN_RESPONDENTS
from careties.web.dashboard.builders.relationships import named
from careties.web.presenters.base import Context, NotAvailable

__all__ = [
    "answers",
    "chosen_wave",
    "network_change",
    "role_change",
    "role_map",
    "role_pair",
    "waves",
]


def answers(ctx: Context) -> pl.DataFrame:
    """The council's answers to the survey of every role (instrument ``roles``)."""

    def load() -> pl.DataFrame:
        found = ctx.frame("survey_responses")
        roles = found.filter(pl.col("instrument") == "roles") if not found.is_empty() else found
        if roles.is_empty():
            raise NotAvailable(
                "No answers to the survey of every role are loaded yet (Survey waves: "
                "'Everyone who supports older people')."
            )
        return roles

    return ctx.memo("roles_answers", load)


def waves(ctx: Context) -> list[str]:
    return sorted(answers(ctx)["wave"].drop_nulls().unique().to_list())


def chosen_wave(ctx: Context, name: str, default: str) -> str:
    """The wave named by the page's parameter ``name`` when it is one, else ``default``."""
    wanted = ctx.params.get(name)
    return wanted if wanted in waves(ctx) else default


def role_map(ctx: Context, wave: str) -> pl.DataFrame:
    """The council's role-by-role relational coordination for one wave."""
    found = role_matrix(answers(ctx).filter(pl.col("wave") == wave), by=("la_code",))
    frame = found.filter(pl.col("la_code") == ctx.la_code)
    if frame.is_empty():
        raise NotAvailable(f"No ratings in wave {wave}.")
    return frame


def role_pair(ctx: Context) -> tuple[pl.DataFrame, str, str]:
    """Both directions of the chosen pair of roles over the waves; the rater and rated roles."""
    rater = ctx.params.get("rater") if ctx.params.get("rater") in RESPONDENT_ROLES else "gp"
    default = "social_worker" if rater != "social_worker" else "gp"
    rated = ctx.params.get("rated") if ctx.params.get("rated") in RATED_ROLES else default
    trend = role_pair_trend(answers(ctx), rater, rated, by=("la_code",))
    return trend.filter(pl.col("la_code") == ctx.la_code), rater, rated


def role_change(ctx: Context) -> tuple[pl.DataFrame, str, str, int]:
    """The map at two waves and the change, the floor applied per cell in each.

    The floor is the library's, or the council's if higher. Returns the
    council's rows, the two waves and the floor used.
    """
    found = waves(ctx)
    if len(found) < 2:
        raise NotAvailable("Only one wave of the survey of every role so far.")
    before = chosen_wave(ctx, "before", found[-2])
    after = chosen_wave(ctx, "after", found[-1])
    floor = max(MIN_RESPONDENTS, ctx.policy.rule.min_survey_respondents)
    change = role_matrix_change(answers(ctx), before, after, by=("la_code",), min_respondents=floor)
    return change.filter(pl.col("la_code") == ctx.la_code), before, after, floor


def _date_param(ctx: Context, name: str, default: date) -> date:
    try:
        return date.fromisoformat(ctx.params.get(name, ""))
    except ValueError:
        return default


def network_change(ctx: Context) -> tuple[pl.DataFrame, dict, date, date]:
    """Ties between organisations gained, lost and kept between two dates (the page's
    ``before`` and ``after``; by default a year to the latest contact), with the counts."""
    contacts = ctx.frame("contacts")
    if contacts.is_empty():
        raise NotAvailable("No contacts between professionals are loaded for this council yet.")
    after = _date_param(ctx, "after", contacts["contact_date"].max())
    before = _date_param(ctx, "before", after - timedelta(days=365))
    if not before < after:
        raise NotAvailable("Choose a first date before the second.")
    change = ties_between_dates(
        ctx.frame("professionals"), contacts, before, after, named_ties=named(ctx)
    )
    frame = change.filter(pl.col("la_code") == ctx.la_code)
    return frame, change_summary(frame), before, after
