"""The regional view: councils side by side, from aggregates only.

Section builders of the regional page (the presenters in
``careties.web.presenters.regional`` only present). Nothing here loads a
council's events, contacts or survey answers: ASCOF 2C comes from the
admissions counts kept at import, the survey indicators from each council's
stored survey counts, the linkage models from each council's stored practice
inputs (``careties.web.scale``). A council whose data moved on since its
aggregates were stored is recomputed first, alone (``scale.freshness``), so the
page costs the same whether the store holds one council or all of England.
"""

from __future__ import annotations

import polars as pl
from django.core.cache import cache

from careties.referrals.ascof import ascof_2c
from careties.relations.surveys.indicators import with_wilson
from careties.relations.surveys.privacy import MIN_RESPONDENTS, suppress_small_groups
from careties.web.dashboard.builders import linkage
from careties.web.presenters import wave_choice
from careties.web.presenters.base import Context, NotAvailable
from careties.web.scale import aggregates, freshness, linkage_inputs, survey_counts
from careties.web.scale.warm import fit_regional_linkage
from careties.web.selectors import load_frame

__all__ = ["ascof", "council_names", "linkage_models", "survey_indicators"]


def _scope(ctx: Context) -> list[str]:
    if not ctx.la_codes:
        raise NotAvailable("No councils are in your scope.")
    return sorted(set(ctx.la_codes))


def council_names(ctx: Context) -> pl.DataFrame:
    """``la_code, council`` of the councils in view (one query, however many councils)."""
    def load() -> pl.DataFrame:
        found = load_frame("local_authorities").filter(pl.col("la_code").is_in(ctx.la_codes))
        return found.select("la_code", pl.col("name").alias("council"))

    return ctx.memo("regional_names", load)


def ascof(ctx: Context) -> tuple[pl.DataFrame, str]:
    """ASCOF 2C of every council in view for the latest year, lowest first, and that year."""
    codes = _scope(ctx)
    population = load_frame("population").filter(pl.col("la_code").is_in(codes))
    # Registered lists stand in for the population only where a council has no ONS
    # estimate, so only those councils' lists are read (none, for England).
    estimated = set(population.drop_nulls(["year", "population_65_plus"])["la_code"].to_list())
    missing = [code for code in codes if code not in estimated]
    lists = {
        kind: pl.concat([load_frame(kind, code) for code in missing], how="vertical_relaxed")
        if missing
        else None
        for kind in ("registered_patients", "practices")
    }
    # Admissions from the counts kept at import (careties.web.scale): the regional
    # view never loads an event, however many councils the store holds.
    found = ascof_2c(
        aggregates.no_events(),
        population=population,
        registered_patients=lists["registered_patients"],
        practices=lists["practices"],
        admissions=aggregates.admission_rows(codes),
        la_codes=codes,
    )
    if found.is_empty():
        raise NotAvailable("No admissions are loaded for the councils in your scope.")
    latest = found["financial_year"].max()
    frame = (
        found.filter(pl.col("financial_year") == latest)
        .join(council_names(ctx), on="la_code", how="left")
        .sort("rate_per_100k")
    )
    return frame, latest


def survey_indicators(ctx: Context, instrument: str = "gp") -> tuple[pl.DataFrame, str]:
    """The headline indicators of ``instrument`` per council for the chosen wave, and the wave.

    The pooled counts give the same figures as ``headline_indicators`` on every
    council's answers: a council whose respondents took part in the wave has a
    row for every indicator asked anywhere in it (zero answers when it was not
    asked there), then the Wilson interval and the floor as on the council pages.
    """
    codes = _scope(ctx)
    freshness.fresh("surveys", codes)
    respondents = survey_counts.respondents(codes)
    if respondents.is_empty():
        raise NotAvailable("No survey responses are loaded for the councils in your scope.")
    wave = wave_choice.chosen_wave_from_counts(ctx, respondents, instrument)
    counts = survey_counts.counts(codes, wave, instrument)
    taking_part = respondents.filter(
        (pl.col("wave") == wave) & (pl.col("instrument") == instrument)
    ).select("la_code", "wave", "instrument")
    asked = counts.select("indicator", "label").unique("indicator")
    pooled = (
        taking_part.join(asked, how="cross")
        .join(
            counts.select("la_code", "indicator", "numerator", "denominator"),
            on=["la_code", "indicator"],
            how="left",
        )
        .with_columns(pl.col("numerator", "denominator").fill_null(0))
    )
    found = suppress_small_groups(
        with_wilson(pooled, "numerator", "denominator"),
        "denominator",
        ["numerator", "percent", "lower", "upper"],
        MIN_RESPONDENTS,
    )
    frame = (
        found.select(
            "la_code",
            "indicator",
            "label",
            "instrument",
            "numerator",
            "denominator",
            "percent",
            "lower",
            "upper",
            "suppressed",
        )
        .join(council_names(ctx), on="la_code", how="left")
        .sort("indicator", "council")
    )
    return frame, wave


#: Up to this many councils the region's models are fitted during the request. Each
#: council has its own intercept in the model, so the fit grows with the councils: for
#: all of England (153 councils, 6,300 practices) the eight negative binomial fits take
#: minutes, past any page's time limit. Beyond this, they are fitted in the task queue
#: and the section says so until they are ready.
INLINE_COUNCILS = 12
#: How long a queued fit keeps others from queueing the same one again (seconds).
PENDING_SECONDS = 15 * 60


def linkage_models(ctx: Context, *, inline: bool | None = None) -> pl.DataFrame:
    """The relationship-admissions models across the councils in view, kept until their data change.

    ``inline``: fit now even for many councils (the task queue's job does); by default
    only up to :data:`INLINE_COUNCILS`, else the fit is queued and
    :class:`NotAvailable` says it is under way.
    """
    codes = _scope(ctx)

    def compute() -> pl.DataFrame:
        facts = freshness.fresh("linkage", codes).values()
        loaded = {key for council in facts for key, present in council.items() if present}
        if not loaded & {"surveys", "contacts"}:
            raise NotAvailable(
                "Neither survey answers nor contacts are loaded, so there is nothing to link."
            )
        # A measure's column exists when any council in view has its source, as it did
        # when the councils' rows were pooled: a column of nulls is a model that says why
        # it cannot be fitted, an absent one no model at all.
        absent = [
            *(linkage.SURVEY_MEASURES if "surveys" not in loaded else ()),
            *(linkage.NETWORK_MEASURES if "contacts" not in loaded else ()),
            *(("deprivation_score",) if "deprivation" not in loaded else ()),
        ]
        inputs = linkage_inputs.inputs(codes).drop(absent)
        counts = {"permanent": linkage_inputs.permanent_counts(codes)}
        if "emergency" in loaded:
            counts["emergency"] = linkage_inputs.emergency_counts(codes)
        return linkage.models(inputs, counts)

    def queue() -> pl.DataFrame:

        marker = f"careties-regional-linkage-pending:{ctx.version()}"
        if cache.add(marker, True, PENDING_SECONDS):
            fit_regional_linkage.enqueue(codes)
        raise NotAvailable(
            f"The models across {len(codes)} councils' practices are being fitted in the "
            "background (a few minutes for all of England). Reload the page to see them."
        )

    fit_now = inline if inline is not None else len(codes) <= INLINE_COUNCILS
    return ctx.cached("linkage_models_regional", compute if fit_now else queue)
