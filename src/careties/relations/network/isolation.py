"""Gaps in the network: isolated practices and weak or missing practice-team ties."""

from __future__ import annotations

from datetime import date, timedelta

import polars as pl

from careties.data.codes import PRACTICE_CODE_PATTERN, ROLE_AGENCY
from careties.relations.network.graph import ProfessionalNetwork


def isolated_practices(
    professionals: pl.DataFrame,
    contacts: pl.DataFrame,
    as_of: date,
    window_days: int = 365,
    practices: pl.DataFrame | None = None,
) -> pl.DataFrame:
    """Practices with no contact with social care in the ``window_days`` up to ``as_of``.

    A practice is tied to social care when any of its professionals contacted, or was
    contacted by, a social care professional (``codes.ROLE_AGENCY``) on a date in
    ``(as_of - window_days, as_of]``. Practices come from ``professionals`` (organisations
    with an ODS practice code) and, if given, the canonical ``practices`` frame (so that a
    practice with no professional on record still shows).

    Columns: ``practice_code, la_code, n_professionals, last_social_care_contact`` (ever,
    up to ``as_of``; null if never), ``days_since_social_care_contact``.
    """
    people = professionals.select(
        "professional_id",
        "organisation",
        "la_code",
        agency=pl.col("role").replace_strict(ROLE_AGENCY, default="other"),
    )
    is_practice = pl.col("organisation").str.contains(PRACTICE_CODE_PATTERN.pattern)
    roster = (
        people.filter(is_practice)
        .group_by("organisation")
        .agg(la_code=pl.col("la_code").mode().sort().first(), n_professionals=pl.len())
        .rename({"organisation": "practice_code"})
    )
    if practices is not None:
        extra = practices.select("practice_code", "la_code").join(
            roster, on="practice_code", how="anti"
        )
        roster = pl.concat(
            [
                roster,
                extra.with_columns(
                    n_professionals=pl.lit(0, dtype=roster["n_professionals"].dtype)
                ),
            ],
            how="vertical_relaxed",
        )
    gp_side = people.filter(is_practice).select(
        pl.col("professional_id").alias("practice_person"),
        pl.col("organisation").alias("practice_code"),
    )
    care_side = people.filter(pl.col("agency") == "social_care").select(
        pl.col("professional_id").alias("care_person")
    )
    practice_people = gp_side["practice_person"].implode()
    care_people = care_side["care_person"].implode()
    frm, to = pl.col("from_professional"), pl.col("to_professional")
    dated = contacts.filter(
        (pl.col("contact_date") <= as_of)
        & (
            (frm.is_in(practice_people) & to.is_in(care_people))
            | (frm.is_in(care_people) & to.is_in(practice_people))
        )
    ).select("contact_date", "from_professional", "to_professional")
    both_ways = pl.concat(
        [
            dated.select(
                "contact_date", practice_person="from_professional", care_person="to_professional"
            ),
            dated.select(
                "contact_date", practice_person="to_professional", care_person="from_professional"
            ),
        ]
    )
    last = (
        both_ways.join(gp_side, on="practice_person")
        .join(care_side, on="care_person")
        .group_by("practice_code")
        .agg(last_social_care_contact=pl.col("contact_date").max())
    )
    since = as_of - timedelta(days=window_days)
    out = roster.join(last, on="practice_code", how="left").with_columns(
        days_since_social_care_contact=(
            pl.lit(as_of) - pl.col("last_social_care_contact")
        ).dt.total_days()
    )
    return out.filter(
        pl.col("last_social_care_contact").is_null() | (pl.col("last_social_care_contact") <= since)
    ).sort("la_code", "practice_code")


def weak_ties(
    network: ProfessionalNetwork,
    threshold: float | None = None,
    relative_threshold: float = 0.25,
    include_missing: bool = True,
    expected_pairs: pl.DataFrame | None = None,
    origins: tuple[str, ...] = ("contact", "survey"),
) -> pl.DataFrame:
    """Practice-team pairs of the same council whose tie is weak or missing.

    Works on the organisation level (a person-level network is aggregated). Every pair of a
    practice and a social care team in the same council is a candidate; its ``strength``
    is the org-level tie strength (0 when there is no tie). A pair is ``weak`` when
    ``0 < strength < threshold`` and ``missing`` when there is no tie at all. Without an
    absolute ``threshold``, each council's is ``relative_threshold`` times the median
    strength of that council's practice-team ties: weak *for that council*, after
    Granovetter's (1973) sense of a tie far below the local norm.

    Ties are measured on contacts and survey-named ties (``origins``): referral volume
    from care events is not a relationship. ``expected_pairs`` (``practice_code,
    team_code``), e.g. each practice's aligned or home team, limits the candidates to the
    pairs a council expects to work together; without it every same-council pair is one,
    and most "missing" rows are then teams a practice has no reason to call.

    Columns: ``la_code, practice_code, team_code, strength, frequency, last_contact,
    threshold, status`` (``weak`` or ``missing``), sorted by council and strength.
    """
    org = network.restricted(origins) if network.tie_events is not None else network
    org = org.aggregate("organisation")
    nodes = org.nodes
    practices = nodes.filter(pl.col("org_type") == "practice").select(
        "la_code", practice_code=pl.col("node_id")
    )
    teams = nodes.filter(pl.col("org_type") == "social_care_team").select(
        "la_code", team_code=pl.col("node_id")
    )
    pairs = practices.join(teams, on="la_code")
    if expected_pairs is not None:
        pairs = pairs.join(
            expected_pairs.select("practice_code", "team_code"),
            on=["practice_code", "team_code"],
            how="semi",
        )
    edges = org.edges.select("source", "target", "strength", "frequency", "last_contact")
    forward = edges.rename({"source": "practice_code", "target": "team_code"})
    backward = edges.rename({"target": "practice_code", "source": "team_code"}).select(
        forward.columns
    )
    ties = pl.concat([forward, backward]).join(
        pairs.select("practice_code", "team_code"), on=["practice_code", "team_code"], how="semi"
    )
    pairs = pairs.join(ties, on=["practice_code", "team_code"], how="left").with_columns(
        pl.col("strength").fill_null(0.0), pl.col("frequency").fill_null(0)
    )
    if threshold is None:
        medians = (
            pairs.filter(pl.col("strength") > 0)
            .group_by("la_code")
            .agg(threshold=pl.col("strength").median() * relative_threshold)
        )
        pairs = pairs.join(medians, on="la_code", how="left").with_columns(
            pl.col("threshold").fill_null(0.0)
        )
    else:
        pairs = pairs.with_columns(threshold=pl.lit(float(threshold)))
    status = (
        pl.when(pl.col("frequency") == 0)
        .then(pl.lit("missing"))
        .when(pl.col("strength") < pl.col("threshold"))
        .then(pl.lit("weak"))
    )
    out = pairs.with_columns(status=status).filter(pl.col("status").is_not_null())
    if not include_missing:
        out = out.filter(pl.col("status") == "weak")
    return out.select(
        "la_code",
        "practice_code",
        "team_code",
        "strength",
        "frequency",
        "last_contact",
        "threshold",
        "status",
    ).sort("la_code", "strength", "practice_code", "team_code")
