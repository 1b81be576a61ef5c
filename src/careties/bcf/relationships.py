"""Relationship metrics inside the BCF plan: what careties can measure each quarter.

The field reports ask councils to "vertically integrate a set of relationship
metrics into current BCF plans", chosen by first agreeing the behaviour sought,
between which roles, at what level. The plan records those three choices; the
measure is one careties computes from data it already holds:

- from contacts (every quarter): the share of GPs with at least one contact
  with social care staff (a tie with social care), contacts between GPs and
  social care per GP (tie strength), sign-posting contacts per GP;
- from surveys (the quarter a wave closed): relational coordination between
  GPs and social workers (GPs' view), and the share of GPs who know the local
  telecare offer.

Measures are council-wide; the level records the plan's intent (whose
behaviour it is about) and is shown beside the measure.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass

import polars as pl

from careties.bcf.metrics import quarter_expr
from careties.relations.surveys.coordination import relational_coordination

LEVELS: dict[str, str] = {
    "individual": "Individual",
    "practice": "Practice",
    "team": "Team",
    "council": "Council",
}
SOCIAL_CARE_ROLES = ("social_worker", "occupational_therapist", "care_navigator")


@dataclass(frozen=True)
class Measure:
    label: str
    unit: str
    improvement: str  # "up": higher is better
    source: str
    compute: Callable[[Mapping[str, pl.DataFrame], str, Mapping[str, str]], pl.DataFrame]


def _gp_social_care_contacts(frames: Mapping[str, pl.DataFrame], la_code: str) -> pl.DataFrame:
    """Contacts with a GP at one end and social care staff at the other, with the GP's id."""
    people = frames["professionals"].filter(pl.col("la_code") == la_code)
    roles = dict(zip(people["professional_id"], people["role"], strict=True))
    contacts = frames["contacts"].with_columns(
        pl.col("from_professional").replace_strict(roles, default=None).alias("from_role"),
        pl.col("to_professional").replace_strict(roles, default=None).alias("to_role"),
    )
    gp_from = (pl.col("from_role") == "gp") & pl.col("to_role").is_in(SOCIAL_CARE_ROLES)
    gp_to = (pl.col("to_role") == "gp") & pl.col("from_role").is_in(SOCIAL_CARE_ROLES)
    return (
        contacts.filter(gp_from | gp_to)
        .with_columns(
            pl.when(gp_from)
            .then(pl.col("from_professional"))
            .otherwise(pl.col("to_professional"))
            .alias("gp"),
            quarter_expr("contact_date"),
        )
        .select("quarter", "gp", "purpose")
    )


def _gp_count(frames: Mapping[str, pl.DataFrame], la_code: str) -> int:
    people = frames["professionals"]
    return people.filter((pl.col("la_code") == la_code) & (pl.col("role") == "gp")).height


def _contact_quarters(frames: Mapping[str, pl.DataFrame]) -> pl.DataFrame:
    return frames["contacts"].select(quarter_expr("contact_date")).unique()


def _per_quarter(values: pl.DataFrame, frames, scale: float) -> pl.DataFrame:
    grid = _contact_quarters(frames)
    return (
        grid.join(values, on="quarter", how="left")
        .with_columns((pl.col("n").fill_null(0) / scale).alias("value"))
        .select("quarter", "value")
        .sort("quarter")
    )


Frames = Mapping[str, pl.DataFrame]


def tie_share(frames: Frames, la_code: str, wave_quarters: Mapping[str, str]) -> pl.DataFrame:
    """Per quarter: % of the council's GPs with at least one contact with social care staff."""
    gps = _gp_count(frames, la_code)
    links = (
        _gp_social_care_contacts(frames, la_code)
        .group_by("quarter")
        .agg(pl.col("gp").n_unique().alias("n"))
    )
    return _per_quarter(links, frames, gps / 100.0 if gps else float("nan"))


def contacts_per_gp(frames: Frames, la_code: str, wave_quarters: Mapping[str, str]) -> pl.DataFrame:
    """Per quarter: contacts between GPs and social care staff, per GP of the council."""
    gps = _gp_count(frames, la_code)
    links = _gp_social_care_contacts(frames, la_code).group_by("quarter").agg(pl.len().alias("n"))
    return _per_quarter(links, frames, gps if gps else float("nan"))


def signposts_per_gp(
    frames: Frames, la_code: str, wave_quarters: Mapping[str, str]
) -> pl.DataFrame:
    """Per quarter: sign-posting contacts with a GP at one end, per GP of the council."""
    gps = _gp_count(frames, la_code)
    people = frames["professionals"].filter(
        (pl.col("la_code") == la_code) & (pl.col("role") == "gp")
    )
    ids = people["professional_id"]
    links = (
        frames["contacts"]
        .filter(
            (pl.col("purpose") == "sign_posting")
            & (
                pl.col("from_professional").is_in(ids.to_list())
                | pl.col("to_professional").is_in(ids.to_list())
            )
        )
        .select(quarter_expr("contact_date"))
        .group_by("quarter")
        .agg(pl.len().alias("n"))
    )
    return _per_quarter(links, frames, gps if gps else float("nan"))


def _by_wave(per_wave: pl.DataFrame, wave_quarters: Mapping[str, str]) -> pl.DataFrame:
    """Wave results placed in the quarter each wave closed (waves without a date are left out)."""
    rows = [
        (wave_quarters[w], v)
        for w, v in per_wave.iter_rows()
        if w in wave_quarters and v is not None
    ]
    return pl.DataFrame(rows, schema={"quarter": pl.String, "value": pl.Float64}, orient="row")


def rc_gp_social_care(
    frames: Frames, la_code: str, wave_quarters: Mapping[str, str]
) -> pl.DataFrame:
    """Per wave, in the quarter it closed: the GP survey's relational coordination index."""
    responses = frames["survey_responses"].filter(pl.col("la_code") == la_code)
    if responses.is_empty():
        return _by_wave(pl.DataFrame({"wave": [], "v": []}), wave_quarters)
    scores = relational_coordination(responses, "gp_to_social_care", by=("wave",))
    return _by_wave(scores.select("wave", "rc_index"), wave_quarters)


MEASURES: dict[str, Measure] = {
    "gp_social_care_tie_share": Measure(
        "GPs with a tie to social care (contact in the quarter)",
        "% of GPs",
        "up",
        "contacts, professionals",
        tie_share,
    ),
    "gp_social_care_contacts_per_gp": Measure(
        "Tie strength: GP-social care contacts per GP",
        "contacts per GP",
        "up",
        "contacts, professionals",
        contacts_per_gp,
    ),
    "signposts_per_gp": Measure(
        "Sign-posting contacts per GP",
        "contacts per GP",
        "up",
        "contacts (purpose sign_posting), professionals",
        signposts_per_gp,
    ),
    "rc_gp_social_care": Measure(
        "Relational coordination, GPs with social workers (GP survey)",
        "index 1-5",
        "up",
        "survey_responses (GP survey), in the quarter each wave closed",
        rc_gp_social_care,
    ),
}


def relationship_actuals(
    measure: str,
    frames: Mapping[str, pl.DataFrame],
    la_code: str,
    wave_quarters: Mapping[str, str] | None = None,
) -> pl.DataFrame:
    """``quarter, value`` for one measure; empty when its data are not loaded."""
    needed = (
        {"contacts", "professionals"} if measure != "rc_gp_social_care" else {"survey_responses"}
    )
    if any(frames.get(k) is None or frames[k].is_empty() for k in needed):
        return pl.DataFrame(schema={"quarter": pl.String, "value": pl.Float64})
    result = MEASURES[measure].compute(frames, la_code, wave_quarters or {})
    return result.select(pl.col("quarter").cast(pl.String), pl.col("value").cast(pl.Float64))
