"""The targeting list: which GPs to work with first, with every part of the score shown.

A GP belongs on the list for three reasons, in this order of weight by default:

``referral_potential`` (weight 0.6)
    how far above expectation the GP's admissions are, as the GP's place in the
    council's ranking from :func:`careties.referrals.referrers.highest_potential_referrers`
    (1 for the top GP, 0 for the last);
``network_influence`` (weight 0.2)
    how central the GP is in the professional network (``influence`` from
    ``careties.relations.network.influence``), as a percentile within the council:
    an influential GP carries a change in practice to colleagues;
``relationship_weakness`` (weight 0.2)
    how weak the GP's (or practice's) relationship with adult social care is: the
    mean of ``(5 - rc_score) / 4`` (Relational Coordination, 1-5) and
    ``1 - knowledge_share`` (share of local services the GP knows), from
    ``careties.relations.surveys.practice_relationship_scores``. Weak ties are
    where a knowledge-building programme has most to give.

``score = sum(w_i c_i) / sum(w_i)`` over the components that are present. A
component whose frame is not given is dropped with a note and the weights of
the others rescaled, so the list still works on admissions alone. The top
``share`` of each council's GPs by score is the target set.

Optional inputs (documented columns; others are ignored):

* ``relationships``: ``professional_id`` *or* ``practice_code``, ``rc_score``
  (1-5), ``knowledge_share`` (0-1); either score may be null.
* ``influence``: ``professional_id``, ``influence`` (or ``influence_score``, as
  ``careties.relations.network.influence`` names it; any scale, ranked within council).
* ``services``: the canonical services frame, to say "knows 2 of 8 local services".
* ``deprivation``: ``practice_code`` and ``core20`` (bool), or the canonical
  ``practice_deprivation`` frame (Core20 then = the most deprived fifth of its
  practices, ``careties.bcf.inequalities.core20``). Adds the ``core20`` column
  and the reason "a Core20 practice"; with ``TargetingWeights.core20`` above 0
  (default 0), a Core20 practice's GPs score 1 on a fourth component, so a
  council can weigh the BCF's health-inequalities duty into the list.
"""

from __future__ import annotations

from dataclasses import dataclass

import polars as pl

from careties.bcf.inequalities import core20
from careties.referrals.referrers import Referrers

TARGETING_COLUMNS = (
    "la_code",
    "professional_id",
    "practice_code",
    "admissions",
    "expected",
    "excess",
    "ratio",
    "rc_score",
    "knowledge_share",
    "influence",
    "referral_potential",
    "network_influence",
    "relationship_weakness",
    "score",
    "rank",
    "in_target_set",
    "reason",
    "core20",
)


class TargetingInputError(ValueError):
    """An optional input frame lacks the columns the targeting list needs."""


@dataclass(frozen=True)
class TargetingWeights:
    """Weights of the three components; only their ratios matter."""

    referral_potential: float = 0.6
    network_influence: float = 0.2
    relationship_weakness: float = 0.2
    #: Weight of practices in the most deprived fifth (Core20); 0 leaves the score unchanged.
    core20: float = 0.0


@dataclass(frozen=True)
class TargetingList:
    """The ranked list (``frame``, ``TARGETING_COLUMNS``), the weights used, and notes."""

    frame: pl.DataFrame
    weights: dict[str, float]
    share: float
    notes: tuple[str, ...]

    @property
    def target_set(self) -> pl.DataFrame:
        """The GPs to work with, highest score first."""
        return self.frame.filter(pl.col("in_target_set")).sort("la_code", "rank")


def relationship_rating(rc_score: pl.Expr) -> pl.Expr:
    """Plain words for a Relational Coordination score on the 1-5 scale.

    Below 2 "poor", below 3 "unsatisfactory", below 4 "good", else "very good":
    the words GPs used about adult social care in the Home Truths surveys.
    """
    return (
        pl.when(rc_score < 2)
        .then(pl.lit("poor"))
        .when(rc_score < 3)
        .then(pl.lit("unsatisfactory"))
        .when(rc_score < 4)
        .then(pl.lit("good"))
        .otherwise(pl.lit("very good"))
    )


def _percentile_within_council(column: str) -> pl.Expr:
    """0 for the lowest in the council, 1 for the highest (ties share the mean rank)."""
    n = pl.col(column).count().over("la_code")
    rank = pl.col(column).rank("average").over("la_code")
    return pl.when(n > 1).then((rank - 1) / (n - 1)).otherwise(pl.lit(1.0))


def _require(frame: pl.DataFrame, columns: tuple[str, ...], name: str) -> None:
    missing = [c for c in columns if c not in frame.columns]
    if missing:
        raise TargetingInputError(f"the {name} frame lacks column(s): {', '.join(missing)}")


def targeting_list(
    referrers: Referrers,
    *,
    relationships: pl.DataFrame | None = None,
    influence: pl.DataFrame | None = None,
    services: pl.DataFrame | None = None,
    weights: TargetingWeights | None = None,
    share: float | None = None,
    deprivation: pl.DataFrame | None = None,
) -> TargetingList:
    """Join referral potential with network influence and relationship weakness; rank; explain.

    ``share`` defaults to the share used for ``referrers``. See the module
    docstring for the score and the optional frames.
    """
    weights = weights or TargetingWeights()
    share = referrers.share if share is None else share
    notes: list[str] = []
    gps = referrers.gps.with_columns(
        (1 - (pl.col("rank") - 1) / (pl.len().over("la_code") - 1).clip(lower_bound=1)).alias(
            "referral_potential"
        )
    )

    active = {"referral_potential": weights.referral_potential}
    if (
        influence is not None
        and "influence" not in influence.columns
        and ("influence_score" in influence.columns)
    ):
        influence = influence.rename({"influence_score": "influence"})
    if influence is not None and not influence.is_empty():
        _require(influence, ("professional_id", "influence"), "influence")
        gps = gps.join(
            influence.select("professional_id", pl.col("influence").cast(pl.Float64)).unique(
                "professional_id"
            ),
            on="professional_id",
            how="left",
        ).with_columns(_percentile_within_council("influence").alias("network_influence"))
        active["network_influence"] = weights.network_influence
    else:
        gps = gps.with_columns(
            pl.lit(None, pl.Float64).alias("influence"),
            pl.lit(None, pl.Float64).alias("network_influence"),
        )
        notes.append(
            "No network influence given (careties.relations.network.influence): "
            "that component is left out and the others reweighted."
        )

    if relationships is not None and not relationships.is_empty():
        key = "professional_id" if "professional_id" in relationships.columns else "practice_code"
        _require(relationships, (key,), "relationships")
        scores = relationships.select(
            key,
            (pl.col("rc_score") if "rc_score" in relationships.columns else pl.lit(None))
            .cast(pl.Float64)
            .alias("rc_score"),
            (
                pl.col("knowledge_share")
                if "knowledge_share" in relationships.columns
                else pl.lit(None)
            )
            .cast(pl.Float64)
            .alias("knowledge_share"),
        ).unique(key)
        gps = gps.join(scores, on=key, how="left").with_columns(
            pl.mean_horizontal(
                (5.0 - pl.col("rc_score")) / 4.0, 1.0 - pl.col("knowledge_share")
            ).alias("relationship_weakness")
        )
        active["relationship_weakness"] = weights.relationship_weakness
        if key == "practice_code":
            notes.append("Relationship scores are per practice: each GP takes their practice's.")
    else:
        gps = gps.with_columns(
            pl.lit(None, pl.Float64).alias("rc_score"),
            pl.lit(None, pl.Float64).alias("knowledge_share"),
            pl.lit(None, pl.Float64).alias("relationship_weakness"),
        )
        notes.append(
            "No relationship scores given (careties.relations.surveys): "
            "that component is left out and the others reweighted."
        )

    gps = _with_core20(gps, deprivation)
    if weights.core20 > 0 and deprivation is not None and not deprivation.is_empty():
        gps = gps.with_columns(pl.col("core20").cast(pl.Float64).alias("_core20"))
        active["_core20"] = weights.core20

    # A GP missing one component is scored on the others, reweighted for that GP.
    weighted = [pl.col(c).fill_nan(None) * w for c, w in active.items()]
    present = [
        pl.when(pl.col(c).is_not_null()).then(pl.lit(w)).otherwise(0.0) for c, w in active.items()
    ]
    gps = gps.with_columns(
        (pl.sum_horizontal(weighted) / pl.sum_horizontal(present)).alias("score")
    )
    gps = (
        gps.sort(
            ["la_code", "score", "excess", "professional_id"], descending=[False, True, True, False]
        )
        .with_columns(pl.int_range(1, pl.len() + 1).over("la_code").alias("_rank"))
        .with_columns(
            (pl.col("_rank") <= (pl.len().over("la_code") * share - 1e-9).ceil()).alias(
                "in_target_set"
            )
        )
        .drop("rank")
        .rename({"_rank": "rank"})
    )
    gps = gps.with_columns(_reason(services).alias("reason"))
    total = sum(active.values())
    used = {c.lstrip("_"): w / total for c, w in active.items()}
    return TargetingList(
        frame=gps.select(TARGETING_COLUMNS),
        weights=used,
        share=share,
        notes=tuple(notes),
    )


def _with_core20(gps: pl.DataFrame, deprivation: pl.DataFrame | None) -> pl.DataFrame:
    """Each GP's practice's Core20 flag (null when the practice has no score)."""
    if deprivation is None or deprivation.is_empty():
        return gps.with_columns(pl.lit(None, pl.Boolean).alias("core20"))
    if "core20" not in deprivation.columns:
        _require(deprivation, ("practice_code", "deprivation_score"), "deprivation")
        deprivation = core20(deprivation)
    flags = deprivation.select("practice_code", pl.col("core20").cast(pl.Boolean)).unique(
        "practice_code"
    )
    return gps.join(flags, on="practice_code", how="left")


def _reason(services: pl.DataFrame | None) -> pl.Expr:
    """The referral reason, then the relationship and knowledge parts where known."""
    rating = pl.format(
        "relationship with adult social care rated {}", relationship_rating(pl.col("rc_score"))
    )
    if services is not None and not services.is_empty():
        n_services = (
            services.filter(pl.col("status").fill_null("active") == "active")
            .group_by("la_code")
            .agg(pl.len().alias("n"))
        )
        counts = dict(n_services.iter_rows())
        n_expr = pl.col("la_code").replace_strict(counts, default=None, return_dtype=pl.Int64)
        knows = (
            pl.when(n_expr.is_not_null() & (n_expr > 0))
            .then(
                pl.format(
                    "knows {} of {} local services",
                    (pl.col("knowledge_share") * n_expr).round(0).cast(pl.Int64),
                    n_expr,
                )
            )
            .otherwise(
                pl.format(
                    "knows {}% of local services",
                    (pl.col("knowledge_share") * 100).round(0).cast(pl.Int64),
                )
            )
        )
    else:
        knows = pl.format(
            "knows {}% of local services", (pl.col("knowledge_share") * 100).round(0).cast(pl.Int64)
        )
    influential = pl.when(pl.col("network_influence") >= 0.9).then(
        pl.lit("among the most influential tenth of the council's network")
    )
    parts = [
        pl.col("reason"),
        pl.when(pl.col("rc_score").is_not_null()).then(rating),
        pl.when(pl.col("knowledge_share").is_not_null()).then(knows),
        influential,
        pl.when(pl.col("core20").fill_null(False)).then(
            pl.lit("a Core20 practice (most deprived fifth)")
        ),
    ]
    return pl.concat_str(parts, separator="; ", ignore_nulls=True)
