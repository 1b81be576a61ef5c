"""What GPs know of local services, practice by practice, and each practice's relationship scores.

Home Truths found that GPs who know little of community services such as
telecare or reablement tend to see residential care as the answer (iMPOWER
2012; INLOGOV interim evaluation 2013). The knowledge matrix shows, for every
practice and service type, how its GPs answered "how much do you know about
...": the shares knowing nothing, having heard of it, knowing it well and
having referred to it, and their mean rating of its quality.
"""

from __future__ import annotations

from collections.abc import Sequence

import polars as pl

from careties.relations.surveys.coordination import respondent_rc_scores
from careties.relations.surveys.privacy import MIN_RESPONDENTS, suppress_small_groups
from careties.relations.surveys.responses import (
    RESPONSE_KEYS,
    as_columns,
    check_responses,
    services_asked,
)

KNOWLEDGE_LEVELS: tuple[str, ...] = ("know_nothing", "heard_of", "know_well", "have_referred")

#: Knowledge levels that count as a working knowledge of a service.
WORKING_KNOWLEDGE: tuple[str, ...] = ("know_well", "have_referred")


def _knowledge_long(responses: pl.DataFrame, extra_keys: Sequence[str]) -> pl.DataFrame:
    """GP answers as (submission keys, service, knowledge, quality), one row per service answered."""
    gp = responses.filter(pl.col("instrument") == "gp")
    services = services_asked(gp, "knowledge_")
    keys = list(dict.fromkeys([*RESPONSE_KEYS, *extra_keys]))
    knowledge = (
        gp.filter(pl.col("question_id").is_in([f"knowledge_{s}" for s in services]))
        .select(
            *keys,
            pl.col("question_id").str.strip_prefix("knowledge_").alias("service"),
            pl.col("answer").str.strip_chars().alias("knowledge"),
        )
        .filter(pl.col("knowledge").is_in(list(KNOWLEDGE_LEVELS)))
    )
    quality = (
        gp.filter(pl.col("question_id").str.starts_with("quality_"))
        .select(
            "response_id",
            pl.col("question_id").str.strip_prefix("quality_").alias("service"),
            pl.col("answer").cast(pl.Float64, strict=False).alias("quality"),
        )
        .filter(pl.col("quality").is_between(1, 5))
    )
    long = knowledge.join(quality, on=["response_id", "service"], how="left")
    order = {service: i for i, service in enumerate(services)}
    return long.with_columns(
        pl.col("service").replace_strict(order, return_dtype=pl.Int64).alias("_service_order")
    )


def knowledge_matrix(
    responses: pl.DataFrame,
    min_respondents: int = MIN_RESPONDENTS,
    by: str | Sequence[str] = ("organisation",),
) -> pl.DataFrame:
    """Practice by service type: how much the practice's GPs know of each service.

    Columns: ``practice_code`` (the ``organisation`` of GP responses; other
    ``by`` columns such as ``wave`` come first, under their own names),
    ``service``, ``respondents`` (GPs answering that service's knowledge
    question), ``share_know_nothing``, ``share_heard_of``, ``share_know_well``,
    ``share_have_referred`` (each 0-1, summing to 1), ``mean_quality`` (mean
    1-5 rating of the service's quality among those who rated it) and
    ``suppressed``. Cells with fewer than ``min_respondents`` are suppressed.
    Service types come in the standard order, then the council's own.

    Method: simple proportions of respondents; the constructs are Home Truths'
    (iMPOWER 2012; INLOGOV interim evaluation 2013).
    """
    check_responses(responses)
    by_columns = as_columns(by)
    long = _knowledge_long(responses, [c for c in by_columns if c not in RESPONSE_KEYS])
    groups = [*by_columns, "service", "_service_order"]
    shares = [
        ((pl.col("knowledge") == level).sum() / pl.len()).alias(f"share_{level}")
        for level in KNOWLEDGE_LEVELS
    ]
    matrix = (
        long.group_by(groups)
        .agg(
            pl.len().cast(pl.Int64).alias("respondents"),
            *shares,
            pl.col("quality").mean().alias("mean_quality"),
        )
        .sort([*by_columns, "_service_order"], nulls_last=True)
        .drop("_service_order")
    )
    value_columns = [f"share_{level}" for level in KNOWLEDGE_LEVELS] + ["mean_quality"]
    matrix = suppress_small_groups(matrix, "respondents", value_columns, min_respondents)
    matrix = matrix.select([*by_columns, "service", "respondents", *value_columns, "suppressed"])
    if "organisation" in by_columns:
        matrix = matrix.rename({"organisation": "practice_code"})
    return matrix


def practice_relationship_scores(
    responses: pl.DataFrame,
    wave: str | None = None,
    min_respondents: int = MIN_RESPONDENTS,
) -> pl.DataFrame:
    """Each practice's relationship with social care from its GPs' answers, for relationship health.

    Columns: ``practice_code``, ``rc_score`` (mean relational coordination
    index of the practice's GPs about social workers, 1-5; Gittell et al.
    2000), ``knowledge_share`` (share, 0-1, of the practice's GP x service
    knowledge answers that show a working knowledge: "I know it well" or "I
    have referred patients to it"), ``respondents`` (GPs who answered the
    survey) and ``suppressed``. ``wave`` picks one wave; by default the latest
    (the greatest wave label). Practices with fewer than ``min_respondents``
    GPs are suppressed: every value, the count included, is null.
    """
    check_responses(responses)
    gp = responses.filter(pl.col("instrument") == "gp")
    schema = {
        "practice_code": pl.String,
        "rc_score": pl.Float64,
        "knowledge_share": pl.Float64,
        "respondents": pl.Int64,
        "suppressed": pl.Boolean,
    }
    if gp.is_empty():
        return pl.DataFrame(schema=schema)
    if wave is None:
        wave = gp.get_column("wave").drop_nulls().max()
    gp = gp.filter(pl.col("wave") == wave)
    respondents = gp.group_by("organisation").agg(
        pl.col("response_id").n_unique().cast(pl.Int64).alias("respondents")
    )
    rc = (
        respondent_rc_scores(gp, "gp_to_social_care")
        .group_by("organisation")
        .agg(pl.col("rc_index").mean().alias("rc_score"))
    )
    knowledge = (
        _knowledge_long(gp, [])
        .group_by("organisation")
        .agg(pl.col("knowledge").is_in(list(WORKING_KNOWLEDGE)).mean().alias("knowledge_share"))
    )
    scores = (
        respondents.join(rc, on="organisation", how="left")
        .join(knowledge, on="organisation", how="left")
        .filter(pl.col("organisation").is_not_null())
        .rename({"organisation": "practice_code"})
        .sort("practice_code")
    )
    scores = suppress_small_groups(
        scores, "respondents", ["rc_score", "knowledge_share"], min_respondents
    )
    return scores.select(list(schema))
