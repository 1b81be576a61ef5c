"""Planning: the highest potential referrers and the targeting list for the council in view.

Section builders of the targeting area: they combine the referrals, the
network and the surveys (each from its own builder) through
``careties.planning.targeting``, once per request (``Context.memo``). The
presenters in ``careties.web.presenters.planning`` only present.
"""

from __future__ import annotations

import polars as pl

from careties.planning.targeting import TargetingList, TargetingWeights
from careties.planning.targeting import targeting_list as build_targeting_list
from careties.referrals.referrers import Referrers, highest_potential_referrers
from careties.relations.network import influence
from careties.web.bcf.models import core20_weight
from careties.web.dashboard.builders.referrals import admissions
from careties.web.dashboard.builders.relationships import network, survey_scores
from careties.web.presenters.base import Context

__all__ = ["referrers", "targeting_list"]


def referrers(ctx: Context) -> Referrers:
    def compute():
        return highest_potential_referrers(
            ctx.frame("events"),
            ctx.frame("professionals"),
            ctx.frame("registered_patients"),
            admissions=admissions(ctx),
        )

    return ctx.memo("referrers", compute)


def targeting_list(ctx: Context) -> TargetingList:
    """Referral potential joined with network influence and relationship weakness.

    Relationship scores come from the surveys with their own suppression: a
    practice with fewer than 5 respondents has none, and its GPs are scored on
    the other components (the list's notes say so).
    """

    def compute():
        scores = survey_scores(ctx)
        if scores is not None and "suppressed" in scores.columns:
            scores = scores.filter(~pl.col("suppressed"))
        return build_targeting_list(
            referrers(ctx),
            relationships=scores,
            influence=influence(network(ctx), ctx.frame("events")),
            services=ctx.frame("services"),
            deprivation=ctx.frame("practice_deprivation"),
            # The council lead's Core20 weight (BCF page); 0 leaves the score as it was.
            weights=TargetingWeights(core20=core20_weight(ctx.la_code)),
        )

    return ctx.memo("targeting_list", compute)
