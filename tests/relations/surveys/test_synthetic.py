"""The synthetic council's two survey waves: every score is produced, and the planted story shows.

The generator (careties.data.synth) plants over-referring GPs with weaker
relationships to adult social care, practices with weak ties to their home
team, and a programme that lifts targeted practices in wave 2. These tests use
only the public scoring functions and compare with ``truth``.
"""

from __future__ import annotations

import polars as pl
import pytest

from careties.data import synth  # noqa: E402
from careties.relations.surveys import (
    HOME_TRUTHS_FIGURES,
    RC_DIMENSIONS,
    SERVICE_TYPES,
    headline_indicators,
    knowledge_matrix,
    practice_relationship_scores,
    relational_coordination,
    trust_gap,
    wave_change,
)

WAVE_1, WAVE_2 = (wave for wave, _ in synth.SURVEY_WAVES)


@pytest.fixture(scope="module")
def council():
    data = synth.generate(scale="council", seed=0)
    return data.frames["survey_responses"], data.truth


def test_both_waves_produce_every_headline_indicator(council):
    responses, _ = council
    table = headline_indicators(responses, by="wave")
    expected = (
        ["gp_relationship_poor", "gp_judge_better"]
        + [f"gp_know_nothing_{s}" for s in SERVICE_TYPES]
        + ["gp_want_closer_links", "gp_help_intervene_earlier", "gp_admitted_too_early"]
        + ["older_turn_to_gp", "older_turn_to_gp_after_family", "older_planned_future_care"]
    )
    for wave in (WAVE_1, WAVE_2):
        rows = table.filter(pl.col("wave") == wave)
        assert rows.get_column("indicator").to_list() == expected
        assert not rows.get_column("suppressed").any()
        assert rows.get_column("percent").is_not_null().all()


def test_both_waves_produce_every_other_score(council):
    responses, _ = council
    for direction in ("gp_to_social_care", "social_care_to_gp"):
        rc = relational_coordination(responses, direction, by=("la_code", "wave"))
        assert rc.height == 2 and not rc.get_column("suppressed").any()
        assert (rc.get_column("alpha") > 0.7).all()  # the seven items hang together
        assert rc.get_column("band").is_not_null().all()
        per_org = relational_coordination(responses, direction, by=("wave", "organisation"))
        assert per_org.height > 2
    gap = trust_gap(responses, by="wave")
    assert gap.height == 2 * 11 and not gap.get_column("suppressed").any()
    matrix = knowledge_matrix(responses, by=("wave", "organisation"))
    assert set(matrix.get_column("service")) == set(SERVICE_TYPES)
    assert set(matrix.get_column("wave")) == {WAVE_1, WAVE_2}
    assert (~matrix.get_column("suppressed")).any()
    for indicator in [
        *headline_indicators(responses).get_column("indicator"),
        "rc_index",
        *RC_DIMENSIONS,
    ]:
        change = wave_change(responses, indicator, WAVE_1, WAVE_2)
        assert change.height == 1 and change.item(0, "suppressed") is False, indicator
        assert change.item(0, "p_value") is not None, indicator
    scores = practice_relationship_scores(responses)
    assert (~scores.get_column("suppressed")).sum() >= 3


def test_wave_1_headline_figures_are_near_the_home_truths_figures(council):
    responses, _ = council
    wave_1 = responses.filter(pl.col("wave") == WAVE_1)
    table = headline_indicators(wave_1, confidence=0.998)
    for indicator, published in HOME_TRUTHS_FIGURES.items():
        row = table.filter(pl.col("indicator") == indicator).row(0, named=True)
        assert row["lower"] <= published <= row["upper"], (indicator, row["percent"], published)
    poor = table.filter(pl.col("indicator") == "gp_relationship_poor").item(0, "percent")
    assert poor > 50  # "over half of GPs"
    # "after family, most older people would turn to their GP"
    older = wave_1.filter(pl.col("instrument") == "older_person")
    first = older.filter(pl.col("question_id") == "turn_to_first")
    assert first.get_column("answer").mode().to_list() == ["family"]
    family_first = first.filter(pl.col("answer") == "family").get_column("response_id")
    second = older.filter(
        (pl.col("question_id") == "turn_to_second")
        & pl.col("response_id").is_in(family_first.to_list())
    )
    assert second.get_column("answer").mode().to_list() == ["gp"]


def _by_over_referrer(responses: pl.DataFrame, truth: dict) -> pl.DataFrame:
    over = truth["over_referring_gps"]
    return responses.with_columns(
        pl.when(pl.col("respondent_id").is_in(over))
        .then(pl.lit("over_referrer"))
        .otherwise(pl.lit("other"))
        .alias("gp_group")
    )


def test_over_referring_gps_coordinate_worse_and_know_less(council):
    responses, truth = council
    wave_1 = _by_over_referrer(responses.filter(pl.col("wave") == WAVE_1), truth)
    rc = relational_coordination(wave_1, by="gp_group")
    over = rc.filter(pl.col("gp_group") == "over_referrer").row(0, named=True)
    other = rc.filter(pl.col("gp_group") == "other").row(0, named=True)
    assert not over["suppressed"]
    assert over["rc_index"] < other["rc_index"] - 0.5
    assert over["band"] == "weak"
    headline = headline_indicators(wave_1, by="gp_group")

    def percent(group: str, indicator: str) -> float:
        return headline.filter(
            (pl.col("gp_group") == group) & (pl.col("indicator") == indicator)
        ).item(0, "percent")

    assert percent("over_referrer", "gp_relationship_poor") > percent(
        "other", "gp_relationship_poor"
    )
    assert percent("over_referrer", "gp_judge_better") > percent("other", "gp_judge_better")
    matrix = knowledge_matrix(wave_1, by="gp_group")
    know_nothing = dict(
        matrix.group_by("gp_group").agg(pl.col("share_know_nothing").mean()).iter_rows()
    )
    assert know_nothing["over_referrer"] > know_nothing["other"] + 0.1


def test_weak_tie_practices_score_lower(council):
    responses, truth = council
    weak = {practice for practice, _team in truth["weak_ties"]}
    scores = practice_relationship_scores(responses, wave=WAVE_1, min_respondents=1)
    scores = scores.with_columns(pl.col("practice_code").is_in(list(weak)).alias("weak_tie"))
    means = {
        row["weak_tie"]: row
        for row in scores.group_by("weak_tie")
        .agg(pl.col("rc_score").mean(), pl.col("knowledge_share").mean())
        .iter_rows(named=True)
    }
    assert means[True]["rc_score"] < means[False]["rc_score"] - 0.3
    assert means[True]["knowledge_share"] < means[False]["knowledge_share"]


def test_targeted_practices_improve_between_waves(council):
    responses, truth = council
    targeted = truth["programme"]["targeted_practices"]
    gp = responses.filter(pl.col("instrument") == "gp").with_columns(
        pl.col("organisation").is_in(targeted).alias("targeted")
    )
    change = wave_change(gp, "rc_index", WAVE_1, WAVE_2, by="targeted")
    rows = {row["targeted"]: row for row in change.iter_rows(named=True)}
    assert rows[True]["difference"] > 0.3 and rows[True]["p_value"] < 0.05
    assert rows[True]["lower"] > 0
    assert abs(rows[False]["difference"]) < rows[True]["difference"]
