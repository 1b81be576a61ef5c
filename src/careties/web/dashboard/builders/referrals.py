"""Referrals: new admissions, practice rates and ASCOF 2C for the council in view.

Section builders of the referrals area: they load the frames once per request
(``Context.frame``), run ``careties.referrals`` and memoise the result for the
other sections of the page (``Context.memo``). The presenters in
``careties.web.presenters.referrals`` only present.
"""

from __future__ import annotations

import polars as pl

from careties.referrals.admissions import new_admissions
from careties.referrals.ascof import ascof_2c
from careties.referrals.rates import practice_rates
from careties.web.presenters.base import Context, NotAvailable

__all__ = ["admissions", "ascof_by_council", "chosen_period", "financial_years", "rates"]


def admissions(ctx: Context) -> pl.DataFrame:
    return ctx.memo("admissions", lambda: new_admissions(ctx.frame("events")))


def rates(ctx: Context) -> pl.DataFrame:
    def compute() -> pl.DataFrame:
        return practice_rates(
            ctx.frame("events"),
            ctx.frame("registered_patients"),
            ctx.frame("practices"),
            period="financial_year",
        )

    return ctx.memo("rates", compute)


def financial_years(ctx: Context) -> list[str]:
    """The financial years with data, latest first (the period filter's choices)."""
    found = rates(ctx)
    if found.is_empty():
        return []
    return sorted(found["period"].unique().to_list(), reverse=True)


def chosen_period(ctx: Context) -> str:
    years = financial_years(ctx)
    if not years:
        raise NotAvailable("No admissions are loaded for this council yet.")
    return ctx.period if ctx.period in years else years[0]


def ascof_by_council(ctx: Context, la_codes: list[str]) -> pl.DataFrame:
    return ascof_2c(
        ctx.frame("events"),
        population=ctx.frame("population"),
        registered_patients=ctx.frame("registered_patients"),
        practices=ctx.frame("practices"),
        admissions=admissions(ctx),
        la_codes=la_codes,
    )
