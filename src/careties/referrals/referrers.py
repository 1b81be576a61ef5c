"""Highest potential referrers: the GPs and practices behind a council's care home admissions.

Home Truths' claim is that a council can keep people out of residential care by
working closely with the quarter of its GPs who influence most admissions. This
module finds them in the council's own data and says why each was chosen.

Method, per council, over a window of dates (default: all the data):

1. **Attribution.** Each new permanent admission (the ASCOF 2C rule) goes to the
   professional and practice on the service event; where the service event
   names no one, to those on the person's latest earlier request, assessment or
   review within 365 days (GP-originated requests reach social care as
   "Community / Other route", so the referrer is often only on the request).
2. **Expected admissions, indirectly standardised by age band.** The council's
   admission rate in each five-year band from 65-69 to 95+ (attributed
   admissions over registered patients in that band), applied to each practice's
   own registered patients: ``E_p = sum_b n_pb * r_b``. Older lists admit more
   people for reasons no conversation with a GP will change, and this takes that
   out. A GP's expected count is the practice's, shared equally among its GPs
   (there is no per-GP list size). Without registered patients, every GP in the
   council is expected to have the council's mean (a crude comparison, labelled).
3. **Ranking.** GPs and practices are ranked by admissions (``rank_admissions``)
   and by excess over expected, ``O - E`` (``rank_excess``). The target set is
   the top ``share`` (default 25%, rounded up) of the council's GPs by
   ``rank_by`` (default ``"excess"``: a GP with a large list and an ordinary
   rate is not where the avoidable admissions are).
4. **Partial pooling.** A GP's own count is small (a handful a year), so a
   league table of raw ratios is mostly noise (Spiegelhalter et al. on ranking
   institutions). The GP's ratio is shrunk towards their practice's ratio,
   ``(O_g + k R_p) / (E_g + k)``, an empirical-Bayes (gamma-Poisson) estimate
   with a prior worth ``k`` expected admissions (``pooling``, default 4)
   centred on the practice's ``O_p / E_p``: GPs in one practice share its
   patients and its habits. ``pooled_excess = E_g (pooled_ratio - 1)`` is what
   ``rank_excess`` orders by; ``pooling=0`` ranks by the raw excess.

The standardised ratio ``O / E`` has a 95% interval from Byar's method on the
observed count (PHEindicatormethods ``phe_isr``).

Step 1 lives in :mod:`careties.referrals.attribution`, step 2 in
:mod:`careties.referrals.expected` (on :mod:`careties.stats.standardisation`);
this module ranks, pools and chooses.
"""

from __future__ import annotations

import datetime as dt
import math
from dataclasses import dataclass
from typing import Literal

import polars as pl

from careties.errors import NotEnoughData
from careties.referrals.admissions import new_admissions
from careties.referrals.attribution import (
    ATTRIBUTION_LOOKBACK_DAYS,
    age_band,
    attribute_admissions,
)
from careties.referrals.expected import (
    AGE_STANDARDISED,
    CRUDE,
    crude,
    ratio_interval,
    standardised,
)

__all__ = [
    "AGE_STANDARDISED",
    "ATTRIBUTION_LOOKBACK_DAYS",
    "CRUDE",
    "DEFAULT_POOLING",
    "DEFAULT_SHARE",
    "GP_COLUMNS",
    "PRACTICE_COLUMNS",
    "Referrers",
    "ReferrersInputError",
    "age_band",
    "attribute_admissions",
    "highest_potential_referrers",
    "target_count",
]

RankBy = Literal["excess", "admissions"]

DEFAULT_SHARE = 0.25
#: Prior strength of the practice's ratio, in expected admissions (see step 4).
DEFAULT_POOLING = 4.0

#: What a GP and a practice both have: their count, its rate, and O against E.
_OBSERVED_AGAINST_EXPECTED = (
    "admissions",
    "admissions_per_year",
    "expected",
    "excess",
    "ratio",
    "ratio_lower_95",
    "ratio_upper_95",
)

GP_COLUMNS = (
    "la_code",
    "professional_id",
    "practice_code",
    *_OBSERVED_AGAINST_EXPECTED,
    "practice_ratio",
    "pooled_ratio",
    "pooled_excess",
    "rank_admissions",
    "rank_excess",
    "rank",
    "in_target_set",
    "reason",
)

PRACTICE_COLUMNS = (
    "la_code",
    "practice_code",
    "gps",
    "patients_65_plus",
    *_OBSERVED_AGAINST_EXPECTED,
    "rank_admissions",
    "rank_excess",
    "target_gps",
)


class ReferrersInputError(ValueError):
    """The frames given cannot support the ranking (said in a council analyst's words)."""


@dataclass(frozen=True)
class Referrers:
    """The outcome of :func:`highest_potential_referrers`.

    ``gps`` has ``GP_COLUMNS`` (one row per GP), ``practices`` ``PRACTICE_COLUMNS``,
    ``window`` the first and last dates counted, ``standardisation`` how the
    expected counts were made, and ``notes`` anything a reader should know.
    """

    gps: pl.DataFrame
    practices: pl.DataFrame
    window: tuple[dt.date, dt.date]
    share: float
    rank_by: str
    standardisation: str
    notes: tuple[str, ...]

    @property
    def target_set(self) -> pl.DataFrame:
        """The GPs chosen, best first."""
        return self.gps.filter(pl.col("in_target_set")).sort("la_code", "rank")

    @property
    def months(self) -> int:
        """Length of the window in whole months (for "14 admissions in 12 months")."""
        return max(1, round(((self.window[1] - self.window[0]).days + 1) / 30.4375))


def _ranks(
    frame: pl.DataFrame, id_column: str, rank_by: str, excess_column: str = "excess"
) -> pl.DataFrame:
    """Dense, tie-broken ranks within council: 1 is the highest.

    Excess is compared rounded to 9 decimals: it is a float sum whose last bit
    depends on the order threads add it up, so two practices equal in exact
    arithmetic could swap places (and the top quartile change) between two
    computations of the same data. Ties then fall to the id.
    """
    excess = pl.col(excess_column).round(9)
    by_admissions = frame.sort(
        [pl.col("la_code"), pl.col("admissions"), excess, pl.col(id_column)],
        descending=[False, True, True, False],
    ).with_columns(pl.int_range(1, pl.len() + 1).over("la_code").alias("rank_admissions"))
    by_excess = by_admissions.sort(
        [pl.col("la_code"), excess, pl.col("admissions"), pl.col(id_column)],
        descending=[False, True, True, False],
    ).with_columns(pl.int_range(1, pl.len() + 1).over("la_code").alias("rank_excess"))
    chosen = "rank_excess" if rank_by == "excess" else "rank_admissions"
    return by_excess.with_columns(pl.col(chosen).alias("rank"))


def _referral_reason(months: int) -> pl.Expr:
    """ "14 admissions in 12 months, 1.8 times expected" - the referral part of a GP's reason."""
    count = pl.col("admissions")
    noun = pl.when(count == 1).then(pl.lit("admission")).otherwise(pl.lit("admissions"))
    ratio_text = (
        pl.when(pl.col("ratio").is_null())
        .then(pl.lit("none expected"))
        .otherwise(pl.format("{} times expected", pl.col("ratio").round(1)))
    )
    return pl.format("{} {} in {} months, {}", count, noun, pl.lit(months), ratio_text)


def _practice_context() -> pl.Expr:
    """ "practice A81001 1.6 times expected" - why pooling moved a GP."""
    return pl.when(pl.col("practice_ratio").is_not_null()).then(
        pl.format(
            "practice {} {} times expected",
            pl.col("practice_code"),
            pl.col("practice_ratio").round(1),
        )
    )


def highest_potential_referrers(
    events: pl.DataFrame,
    professionals: pl.DataFrame | None = None,
    registered_patients: pl.DataFrame | None = None,
    *,
    share: float = DEFAULT_SHARE,
    rank_by: RankBy = "excess",
    start: dt.date | None = None,
    end: dt.date | None = None,
    admissions: pl.DataFrame | None = None,
    pooling: float = DEFAULT_POOLING,
) -> Referrers:
    """Rank every GP and practice in each council by the admissions they influence.

    ``events`` are canonical events (one council or many); ``professionals``
    gives the GPs (role ``gp``, ``organisation`` = practice code) so that GPs
    with no admissions are ranked too, at the bottom; ``registered_patients``
    allows age standardisation. ``start``/``end`` bound the admissions counted
    (inclusive; default the span of the events). ``share`` of each council's GPs,
    rounded up, form the target set.

    Returns a :class:`Referrers`. See the module docstring for the method.
    """
    if not 0.0 < share <= 1.0:
        raise ReferrersInputError(f"the share targeted must be above 0 and at most 1; got {share}")
    if rank_by not in ("excess", "admissions"):
        raise ReferrersInputError(f"rank_by must be 'excess' or 'admissions'; got {rank_by!r}")
    notes: list[str] = []
    span = events.select(
        pl.col("start_date").min().alias("a"), pl.col("start_date").max().alias("b")
    )
    first = start or span["a"][0]
    last = end or span["b"][0]
    if first is None or last is None:
        raise NotEnoughData("there are no dated events to count admissions from")
    if admissions is None:
        admissions = new_admissions(events)
    attributed = attribute_admissions(events, admissions).filter(
        pl.col("start_date").is_between(first, last)
    )
    years = ((last - first).days + 1) / 365.25

    roster = _gp_roster(professionals, attributed, notes)
    gp_counts = (
        attributed.filter(pl.col("professional_id").is_not_null())
        .group_by("la_code", "professional_id")
        .agg(pl.len().cast(pl.Int64).alias("admissions"))
    )
    unknown = attributed.filter(pl.col("professional_id").is_null()).height
    if unknown:
        notes.append(
            f"{unknown} of {attributed.height} admissions name no referring professional; "
            "they count for their practice but for no GP."
        )
    gps = roster.join(gp_counts, on=["la_code", "professional_id"], how="left").with_columns(
        pl.col("admissions").fill_null(0)
    )
    practice_totals = (
        attributed.filter(pl.col("practice_code").is_not_null())
        .group_by("la_code", "practice_code")
        .agg(pl.len().cast(pl.Int64).alias("admissions"))
    )
    gps_per_practice = roster.group_by("practice_code").agg(pl.len().cast(pl.Int64).alias("gps"))

    midpoint = first + (last - first) / 2
    if registered_patients is not None and not registered_patients.is_empty():
        standardisation = AGE_STANDARDISED
        gps, practices = standardised(
            attributed, gps, practice_totals, gps_per_practice, registered_patients, midpoint
        )
    else:
        standardisation = CRUDE
        notes.append(
            "No registered patients by age band: expected admissions are the council mean per GP."
        )
        gps, practices = crude(gps, practice_totals, gps_per_practice)

    if pooling < 0:
        raise ReferrersInputError(f"pooling must be zero or more; got {pooling}")
    practices = ratio_interval(
        practices.with_columns((pl.col("admissions") - pl.col("expected")).alias("excess"))
    )
    practice_ratio = practices.select("practice_code", pl.col("ratio").alias("practice_ratio"))
    gps = (
        ratio_interval(
            gps.with_columns((pl.col("admissions") - pl.col("expected")).alias("excess"))
        )
        .join(practice_ratio, on="practice_code", how="left")
        .with_columns(
            (
                (pl.col("admissions") + pooling * pl.col("practice_ratio").fill_null(1.0))
                / (pl.col("expected") + pooling)
            ).alias("pooled_ratio")
        )
        .with_columns(
            pl.when(pl.lit(pooling) > 0)
            .then(pl.col("expected") * (pl.col("pooled_ratio") - 1.0))
            .otherwise(pl.col("excess"))
            .fill_nan(None)
            .alias("pooled_excess")
        )
    )
    gps = _ranks(gps, "professional_id", rank_by, "pooled_excess")
    target_size = (
        gps.group_by("la_code")
        .agg(pl.len().alias("_n"))
        .with_columns((pl.col("_n") * share - 1e-9).ceil().cast(pl.Int64).alias("_target_n"))
    )
    months = max(1, round(((last - first).days + 1) / 30.4375))
    reason = _referral_reason(months)
    if pooling > 0:
        reason = pl.concat_str([reason, _practice_context()], separator="; ", ignore_nulls=True)
    gps = (
        gps.join(target_size, on="la_code")
        .with_columns(
            (pl.col("rank") <= pl.col("_target_n")).alias("in_target_set"),
            (pl.col("admissions") / years).alias("admissions_per_year"),
        )
        .with_columns(reason.alias("reason"))
        .select(GP_COLUMNS)
        .sort("la_code", "rank")
    )
    targets_per_practice = gps.group_by("practice_code").agg(
        pl.col("in_target_set").sum().cast(pl.Int64).alias("target_gps")
    )
    practices = (
        _ranks(practices, "practice_code", rank_by)
        .join(targets_per_practice, on="practice_code", how="left")
        .with_columns(
            pl.col("target_gps").fill_null(0),
            (pl.col("admissions") / years).alias("admissions_per_year"),
        )
        .select(PRACTICE_COLUMNS)
        .sort("la_code", "rank_excess" if rank_by == "excess" else "rank_admissions")
    )
    return Referrers(
        gps=gps,
        practices=practices,
        window=(first, last),
        share=share,
        rank_by=rank_by,
        standardisation=standardisation,
        notes=tuple(notes),
    )


def _gp_roster(
    professionals: pl.DataFrame | None, attributed: pl.DataFrame, notes: list[str]
) -> pl.DataFrame:
    """Every GP to rank: ``la_code``, ``professional_id``, ``practice_code``."""
    if professionals is not None and not professionals.is_empty():
        roster = professionals.filter(pl.col("role") == "gp").select(
            "la_code", "professional_id", pl.col("organisation").alias("practice_code")
        )
        if roster.is_empty():
            raise ReferrersInputError("the professionals list has no GPs (role 'gp') to rank")
        return roster.unique(["la_code", "professional_id"])
    notes.append(
        "No list of professionals: only GPs who referred at least once are ranked, "
        "at the practice they referred from most."
    )
    return (
        attributed.filter(pl.col("professional_id").is_not_null())
        .group_by("la_code", "professional_id")
        .agg(pl.col("practice_code").drop_nulls().mode().sort().first())
    )


def target_count(n_gps: int, share: float = DEFAULT_SHARE) -> int:
    """How many GPs a council targets: ``ceil(share * n_gps)`` (52 of 208 at 25%)."""
    return math.ceil(n_gps * share - 1e-9)
