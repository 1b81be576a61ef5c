"""What to tell each practice: the local services its GPs say they do not know, nearest first.

Intelligent sign-posting rests on GPs knowing what exists (Home Truths: half of
GPs knew nothing of telecare where it existed; iMPOWER 2012). The GP survey
says, per practice and service type, how many GPs know nothing of it or have
only heard of it (:func:`careties.relations.surveys.knowledge.knowledge_matrix`);
the directory says which services of that type exist and where. Put together,
that is a short list a social worker takes to the next contact.

How the list is built:

1. The practice's latest survey wave with GP answers. A service type is a gap
   when a share of its GPs lack a working knowledge of it (``know_nothing`` or
   ``heard_of``). Where the practice's cell is suppressed (fewer GPs answered
   than the survey's small-number threshold), the council's GPs as a whole in
   that wave stand in: a list must never reveal what one or two GPs answered.
2. Gaps are ranked by that share, largest first; only types with an active
   service in the directory are kept (there is nothing to tell otherwise).
3. Each gap carries the nearest active services of its type to the practice's
   postcode (haversine), or the best rated when places are unknown.
4. At most ``limit`` gaps: a list for one conversation, not a catalogue.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence

import polars as pl

from careties.planning.places import haversine_m

__all__ = [
    "discussed_then_signposted",
    "gap_trend",
    "knowledge_gaps",
    "signposts_per_quarter",
    "what_to_tell",
]

METRES_PER_MILE = 1609.344
WITHOUT = pl.col("share_know_nothing") + pl.col("share_heard_of")


def _with_without(matrix: pl.DataFrame) -> pl.DataFrame:
    return matrix.with_columns(WITHOUT.alias("share_without"))


def knowledge_gaps(
    matrix: pl.DataFrame, council_matrix: pl.DataFrame, practice_code: str
) -> tuple[pl.DataFrame, str, str | None]:
    """(gaps, basis, wave): the practice's latest-wave gaps, or the council's where suppressed.

    ``matrix`` is ``knowledge_matrix(responses, by=("wave", "organisation"))``;
    ``council_matrix`` is ``knowledge_matrix(responses, by=("wave",))``. ``basis``
    is ``"practice"``, ``"council"`` or ``"none"`` (no GP answers at all).
    Gaps have ``service``, ``share_without``, ``share_know_nothing`` and are
    ordered largest first.
    """
    own = matrix.filter(pl.col("practice_code") == practice_code)
    waves = sorted(set(own["wave"].to_list()) or set(council_matrix["wave"].to_list()))
    if not waves:
        return (
            pl.DataFrame(schema={"service": pl.String, "share_without": pl.Float64}),
            "none",
            None,
        )
    wave = waves[-1]
    cells = own.filter((pl.col("wave") == wave) & ~pl.col("suppressed"))
    basis = "practice"
    if cells.is_empty():
        cells = council_matrix.filter((pl.col("wave") == wave) & ~pl.col("suppressed"))
        basis = "council"
    gaps = (
        _with_without(cells)
        .filter(pl.col("share_without") > 0)
        .select("service", "share_without", "share_know_nothing")
        .sort(["share_without", "share_know_nothing", "service"], descending=[True, True, False])
    )
    return gaps, basis, wave


def gap_trend(matrix: pl.DataFrame, practice_code: str) -> pl.DataFrame:
    """Wave by service type: the practice's share of GPs without a working knowledge.

    Suppressed cells stay null (fewer GPs than the threshold answered), so a
    gap closing is only ever shown from enough answers.
    """
    own = matrix.filter(pl.col("practice_code") == practice_code)
    return (
        _with_without(own)
        .with_columns(
            pl.when(pl.col("suppressed"))
            .then(None)
            .otherwise(pl.col("share_without"))
            .alias("share_without")
        )
        .select("wave", "service", "respondents", "share_without", "suppressed")
        .sort("wave", "service")
    )


def what_to_tell(
    gaps: pl.DataFrame,
    services: pl.DataFrame,
    origin: tuple[float, float] | None,
    locations: Mapping[str, Sequence[tuple[float, float]]],
    *,
    limit: int = 5,
    per_type: int = 2,
) -> list[dict]:
    """The short list: each gap with the nearest active services of its type.

    ``services`` is the council's canonical ``services`` frame; ``locations``
    maps a ``service_id`` to its locations' (latitude, longitude); ``origin``
    is the practice's. Each item: ``service_type``, ``share_without`` and
    ``services`` (dicts with ``service_id``, ``name``, ``miles`` or None).
    """
    active = services.filter(pl.col("status") == "active")
    items = []
    for gap in gaps.iter_rows(named=True):
        of_type = active.filter(pl.col("service_type") == gap["service"]).to_dicts()
        if not of_type:
            continue
        for service in of_type:
            places = locations.get(service["service_id"]) or []
            distances = [haversine_m(origin, p) for p in places] if origin else []
            service["miles"] = round(min(distances) / METRES_PER_MILE, 1) if distances else None
        of_type.sort(
            key=lambda s: (
                s["miles"] is None,
                s["miles"] or 0,
                -(s["quality_rating"] or 0),
                s["name"],
            )
        )
        items.append(
            {
                "service_type": gap["service"],
                "share_without": gap["share_without"],
                "services": [
                    {k: s[k] for k in ("service_id", "name", "miles")} for s in of_type[:per_type]
                ],
            }
        )
        if len(items) == limit:
            break
    return items


def discussed_then_signposted(
    discussed: pl.DataFrame, signposts: pl.DataFrame, services: pl.DataFrame
) -> pl.DataFrame:
    """Per service type discussed with a practice: when first, and sign-posts before and since.

    ``discussed`` has ``service_type`` and ``discussed_on``; ``signposts`` the
    practice's sign-posts (``service_id``, ``signposted_on``). The comparison
    is descriptive: the evaluation, not this table, judges the programme.
    """
    first = discussed.group_by("service_type").agg(
        pl.col("discussed_on").min().alias("first_discussed_on"),
        pl.len().alias("times_discussed"),
    )
    typed = signposts.join(
        services.select("service_id", "service_type"), on="service_id", how="inner"
    )
    joined = first.join(typed, on="service_type", how="left")
    return (
        joined.group_by("service_type", "first_discussed_on", "times_discussed")
        .agg(
            (pl.col("signposted_on") < pl.col("first_discussed_on"))
            .sum()
            .alias("signposts_before"),
            (pl.col("signposted_on") >= pl.col("first_discussed_on"))
            .sum()
            .alias("signposts_since"),
        )
        .with_columns(pl.col("signposts_before", "signposts_since").fill_null(0).cast(pl.Int64))
        .sort("first_discussed_on", "service_type")
    )


def signposts_per_quarter(signposts: pl.DataFrame, by: str) -> pl.DataFrame:
    """Sign-posts per ``by`` (``practice_code`` or ``gp_professional_id``) per calendar quarter.

    ``quarter`` is the quarter's first day, so quarters sort and chart as dates.
    """
    return (
        signposts.with_columns(pl.col("signposted_on").dt.truncate("1q").alias("quarter"))
        .group_by(by, "quarter")
        .agg(pl.len().cast(pl.Int64).alias("signposts"))
        .sort(by, "quarter")
    )
