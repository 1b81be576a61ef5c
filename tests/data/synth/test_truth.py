"""What truth.json says was planted is true of the data."""

from __future__ import annotations

import datetime as dt
import json

import polars as pl

from careties.data.synth import generate
from careties.data.synth.truth import admissions

SOCIAL_CARE = ("social_worker", "occupational_therapist", "care_navigator")


def _social_care_contacts(data, since: dt.date) -> pl.DataFrame:
    """Contacts since ``since`` between a GP and social care staff, with the GP's practice."""
    people = data.frames["professionals"]
    gps = people.filter(pl.col("role") == "gp").select(
        gp="professional_id", practice_code="organisation"
    )
    social = people.filter(pl.col("role").is_in(SOCIAL_CARE)).select(
        other="professional_id", team="organisation"
    )
    recent = data.frames["contacts"].filter(pl.col("contact_date") >= since)
    pairs = pl.concat(
        [
            recent.select(gp="from_professional", other="to_professional"),
            recent.select(gp="to_professional", other="from_professional"),
        ]
    )
    return pairs.join(gps, on="gp").join(social, on="other")


def test_truth_is_json_and_has_the_promised_keys(council):
    truth = json.loads(json.dumps(council.truth))
    for key in (
        "over_referring_gps",
        "gp_propensity",
        "weak_ties",
        "isolated_practices",
        "programme",
        "survey_calibration",
        "scale",
        "seed",
    ):
        assert key in truth
    assert set(truth["programme"]) >= {"start_date", "targeted_practices", "effect"}
    assert truth["scale"] == "council" and truth["seed"] == 0
    gps = council.frames["professionals"].filter(pl.col("role") == "gp")
    over = set(truth["over_referring_gps"])
    assert over <= set(gps["professional_id"])
    assert 0.20 <= len(over) / gps.height <= 0.30


def test_isolated_practices_have_no_social_care_contact_in_the_last_12_months(council):
    truth = council.truth
    assert 2 <= len(truth["isolated_practices"]) <= 4
    since = dt.date.fromisoformat(truth["isolation_window"]["start"])
    recent = _social_care_contacts(council, since)
    assert recent.filter(pl.col("practice_code").is_in(truth["isolated_practices"])).height == 0
    # ... while every other practice does talk to social care.
    others = set(council.frames["practices"]["practice_code"]) - set(truth["isolated_practices"])
    weak = {p for p, _ in truth["weak_ties"]}
    assert others - weak <= set(recent["practice_code"])


def test_weak_ties_have_few_contacts(council):
    truth = council.truth
    since = dt.date.fromisoformat(truth["period"]["start"])
    per_pair = _social_care_contacts(council, since).group_by("practice_code", "team").len()
    lookup = {(p, t): n for p, t, n in per_pair.iter_rows()}
    weak = [lookup.get((p, t), 0) for p, t in truth["weak_ties"]]
    home = [
        lookup.get((p, t), 0)
        for p, t in truth["home_teams"].items()
        if [p, t] not in truth["weak_ties"] and p not in truth["isolated_practices"]
    ]
    assert weak and max(weak) < sorted(home)[len(home) // 4]


def test_over_referrers_admit_more_per_patient(council):
    truth = council.truth
    admitted = admissions(council.frames["events"]).filter(
        pl.col("professional_id").str.starts_with("GP")
    )
    per_gp = admitted.group_by("professional_id").len()
    over = per_gp.filter(pl.col("professional_id").is_in(truth["over_referring_gps"]))["len"]
    others = per_gp.filter(~pl.col("professional_id").is_in(truth["over_referring_gps"]))["len"]
    assert over.sum() / len(truth["over_referring_gps"]) > 2 * others.sum() / (200 - len(over))


def test_over_referrers_are_recoverable_from_three_years(council):
    """Even the generator's naive ranking (no shrinkage) finds most of them.

    A quarter of GPs is planted, so the top quarter must hold them all for a
    recall of 1; careties' own ranking (tests/referrals/test_recovery.py) is
    held to 0.8 precision and recall, this plain one to 0.7.
    """
    found = council.truth["recoverability"]
    assert found["recall_top_quarter"] >= 0.7


def test_over_referrers_have_weaker_relationships(council):
    rel = council.truth["relationships"]
    for measure in rel.values():
        assert measure["over_referrers"] < measure["other_gps"]


def test_ascof_rate_near_england(council):
    for years in council.truth["ascof"].values():
        for row in years.values():
            assert 450 <= row["rate_per_100k"] <= 750


def test_survey_wave_1_matches_the_seeds(council):
    for name, check in council.truth["survey_calibration"].items():
        achieved = check["2024-W1"]
        assert abs(achieved - check["target"]) <= 0.06, name


def _admission_ratio(data) -> float:
    """Targeted over other practices' admissions per year, after / before the programme."""
    truth = data.truth
    start = dt.date.fromisoformat(truth["programme"]["start_date"])
    first = dt.date.fromisoformat(truth["period"]["start"])
    end = dt.date.fromisoformat(truth["period"]["end"])
    admitted = admissions(data.frames["events"]).filter(pl.col("practice_code").is_not_null())
    targeted = pl.col("practice_code").is_in(truth["programme"]["targeted_practices"])
    after = pl.col("start_date") >= start

    def n(*conditions) -> int:
        return admitted.filter(*conditions).height

    pre_years, post_years = (start - first).days, (end - start).days + 1
    treated = (n(targeted, after) / post_years) / (n(targeted, ~after) / pre_years)
    control = (n(~targeted, after) / post_years) / (n(~targeted, ~after) / pre_years)
    return treated / control


def test_programme_effect_is_planted_and_can_be_switched_off(council):
    # One council's single post-programme year is noisy (about +/-0.14 on this
    # ratio at the default -20%), so the test plants a large effect to see it.
    assert council.truth["programme"]["effect"] == -0.2
    strong = generate("council", seed=0, programme_effect=-0.5)
    assert strong.truth["programme"]["effect"] == -0.5
    assert _admission_ratio(strong) < 0.75
    none = generate("council", seed=0, programme_effect=0.0)
    assert none.truth["programme"]["effect"] == 0.0
    assert 0.7 < _admission_ratio(none) < 1.3


def test_wave_2_improves_in_targeted_practices(council):
    truth = council.truth
    responses = council.frames["survey_responses"].filter(
        pl.col("instrument") == "gp", pl.col("question_id") == "relationship_asc"
    )
    targeted = pl.col("organisation").is_in(truth["programme"]["targeted_practices"])
    means = responses.group_by("wave", targeted.alias("targeted")).agg(
        pl.col("answer").cast(pl.Int64).mean()
    )
    lookup = {(w, t): m for w, t, m in means.iter_rows()}
    assert lookup[("2025-W2", True)] - lookup[("2024-W1", True)] > 0.3
    assert abs(lookup[("2025-W2", False)] - lookup[("2024-W1", False)]) < 0.4
