"""What the generator planted, written down so analyses can be checked against it.

Figures here are computed by the generator from what it knows it planted (for
example, a person's first residential service is their admission, because the
generator gives nobody two), not with careties' own analysis code: a truth
computed by the code under test would prove nothing.
"""

from __future__ import annotations

import numpy as np
import polars as pl

from careties.data.codes import RESIDENTIAL_SERVICE_TYPES
from careties.data.synth.contacts import Contacts
from careties.data.synth.event_parameters import SELF_FUNDED
from careties.data.synth.geography import Geography
from careties.data.synth.scales import SURVEY_WAVES, Scale
from careties.data.synth.surveys import QUESTION_IDS, Surveys
from careties.data.synth.workforce import OVER_REFERRER_MULTIPLIER, OVER_REFERRER_SHARE, Workforce


def admissions(events: pl.DataFrame) -> pl.DataFrame:
    """Each person's first residential or nursing service, if council-funded and at 65+."""
    first = (
        events.filter(
            pl.col("event_type") == "service",
            pl.col("service_type").is_in(RESIDENTIAL_SERVICE_TYPES),
        )
        .sort("start_date", "event_reference")
        .unique("person_key", keep="first", maintain_order=True)
    )
    return first.filter(
        pl.col("age") >= 65, pl.col("event_outcome").fill_null("") != SELF_FUNDED
    ).with_columns(
        financial_year=pl.when(pl.col("start_date").dt.month() >= 4)
        .then(pl.col("start_date").dt.year())
        .otherwise(pl.col("start_date").dt.year() - 1)
        .cast(pl.Int64)
    )


def _ascof(admitted: pl.DataFrame, population: pl.DataFrame) -> dict:
    counts = admitted.group_by("la_code", "financial_year").len("admissions_65_plus")
    table = (
        population.rename({"year": "financial_year"})
        .join(counts, on=["la_code", "financial_year"], how="left")
        .with_columns(pl.col("admissions_65_plus").fill_null(0))
        .with_columns(
            rate=(pl.col("admissions_65_plus") / pl.col("population_65_plus") * 100_000).round(1)
        )
        .sort("la_code", "financial_year")
    )
    out: dict[str, dict] = {}
    for row in table.iter_rows(named=True):
        out.setdefault(row["la_code"], {})[
            f"{row['financial_year']}-{(row['financial_year'] + 1) % 100:02d}"
        ] = {
            "admissions_65_plus": row["admissions_65_plus"],
            "population_65_plus": row["population_65_plus"],
            "rate_per_100k": row["rate"],
        }
    return out


def recoverability(admitted: pl.DataFrame, geo: Geography, wf: Workforce) -> dict:
    """How well the simplest analysis finds the over-referrers.

    Attributed admissions (the named GP) over expected (the GP's share of the
    practice's 65+ list times the council-wide attributed rate), GPs ranked by
    the ratio: recall of the top quarter and precision of the top k, k the
    number of over-referrers.
    """
    attributed = admitted.filter(pl.col("professional_id").is_in(wf.gp_ids.tolist()))
    counts = attributed.group_by("professional_id").len("observed")
    per_practice = np.bincount(wf.gp_practice, minlength=len(geo.list_total))
    share = geo.list_65_plus[wf.gp_practice] / per_practice[wf.gp_practice]
    table = pl.DataFrame({"professional_id": wf.gp_ids, "share": share, "over": wf.gp_over}).join(
        counts, on="professional_id", how="left"
    )
    table = table.with_columns(pl.col("observed").fill_null(0))
    table = table.with_columns(
        expected=pl.col("share") * pl.col("observed").sum() / pl.col("share").sum()
    )
    ranked = table.with_columns(ratio=pl.col("observed") / pl.col("expected")).sort(
        ["ratio", "professional_id"], descending=[True, False]
    )
    n_over = int(wf.gp_over.sum())
    top = max(1, round(0.25 * len(wf.gp_ids)))
    return {
        "method": "attributed admissions / expected from list share; top 25% of GPs",
        "recall_top_quarter": round(float(ranked.head(top)["over"].sum()) / max(n_over, 1), 3),
        "precision_top_k": round(float(ranked.head(n_over)["over"].mean()), 3) if n_over else None,
        "mean_attributed_admissions_per_gp": round(float(table["observed"].mean()), 2),
    }


def _relationship_summary(
    frames: dict[str, pl.DataFrame], wf: Workforce, contacts: Contacts
) -> dict:
    """The planted links, as the data show them: over-referrers vs other GPs."""
    roles = frames["professionals"].select("professional_id", "role")
    social = roles.filter(
        pl.col("role").is_in(["social_worker", "occupational_therapist", "care_navigator"])
    )["professional_id"]
    recent = frames["contacts"].filter(pl.col("contact_date") >= contacts.last_12_months_start)
    pairs = pl.concat(
        [
            recent.select(gp="from_professional", other="to_professional"),
            recent.select(gp="to_professional", other="from_professional"),
        ]
    ).filter(pl.col("other").is_in(social.implode()))
    per_gp = pairs.group_by("gp").len("contacts")
    gps = (
        pl.DataFrame({"gp": wf.gp_ids, "over": wf.gp_over})
        .join(per_gp, on="gp", how="left")
        .fill_null(0)
    )
    surveys = frames["survey_responses"].filter(
        pl.col("instrument") == "gp", pl.col("wave") == SURVEY_WAVES[0][0]
    )
    rel = (
        surveys.filter(pl.col("question_id") == "relationship_asc")
        .select(gp="respondent_id", score=pl.col("answer").cast(pl.Int64))
        .join(gps.select("gp", "over"), on="gp")
    )
    known = (
        surveys.filter(pl.col("question_id").str.starts_with("knowledge_"))
        .group_by("respondent_id")
        .agg(known=pl.col("answer").is_in(["know_well", "have_referred"]).sum())
        .rename({"respondent_id": "gp"})
        .join(gps.select("gp", "over"), on="gp")
    )

    def means(frame: pl.DataFrame, column: str) -> dict:
        return {
            "over_referrers": round(float(frame.filter(pl.col("over"))[column].mean() or 0), 2),
            "other_gps": round(float(frame.filter(~pl.col("over"))[column].mean() or 0), 2),
        }

    return {
        "social_care_contacts_per_gp_last_12_months": means(gps, "contacts"),
        "relationship_asc_wave_1_mean": means(rel, "score"),
        "services_known_well_wave_1_mean": means(known, "known"),
    }


def build_truth(
    scale: Scale,
    seed: int,
    programme_effect: float,
    geo: Geography,
    wf: Workforce,
    frames: dict[str, pl.DataFrame],
    contacts: Contacts,
    surveys: Surveys,
    version: int,
) -> dict:
    """The planted facts, JSON-serialisable, stable in order."""
    practice_codes = geo.practices["practice_code"].to_numpy()
    admitted = admissions(frames["events"])
    return {
        "generator_version": version,
        "scale": scale.name,
        "seed": seed,
        "period": {"start": scale.data_start.isoformat(), "end": scale.data_end.isoformat()},
        "councils": geo.local_authorities["la_code"].to_list(),
        "over_referring_gps": sorted(wf.gp_ids[wf.gp_over].tolist()),
        "over_referrer_share": OVER_REFERRER_SHARE,
        "over_referrer_multiplier_range": list(OVER_REFERRER_MULTIPLIER),
        "gp_propensity": {
            g: round(float(p), 3) for g, p in zip(wf.gp_ids, wf.gp_propensity, strict=True)
        },
        "top_quartile_gps": sorted(wf.gp_ids[wf.gp_top_quartile].tolist()),
        "home_teams": {
            p: str(wf.team_codes[t])
            for p, t in zip(practice_codes, wf.practice_home_team, strict=True)
        },
        "weak_ties": sorted(
            [str(p), str(wf.team_codes[t])]
            for p, t, weak in zip(
                practice_codes, wf.practice_home_team, wf.practice_weak_tie, strict=True
            )
            if weak
        ),
        "isolated_practices": sorted(practice_codes[wf.practice_isolated].tolist()),
        "isolation_window": {
            "start": contacts.last_12_months_start.isoformat(),
            "end": scale.data_end.isoformat(),
        },
        "programme": {
            "start_date": scale.programme_start.isoformat(),
            "targeted_practices": sorted(practice_codes[wf.practice_targeted].tolist()),
            "effect": programme_effect,
            "applies_to": "residential and nursing admissions of targeted practices' patients, all routes, all ages",
            "contact_multiplier": contacts.programme_contact_multiplier,
        },
        "ascof": _ascof(admitted, frames["population"]),
        "recoverability": recoverability(admitted, geo, wf),
        "relationships": _relationship_summary(frames, wf, contacts),
        "survey_waves": {wave: date.isoformat() for wave, date in SURVEY_WAVES},
        "survey_question_ids": {k: list(v) for k, v in QUESTION_IDS.items()},
        "survey_calibration": surveys.calibration,
        "rows": {kind: frame.height for kind, frame in frames.items()},
    }
