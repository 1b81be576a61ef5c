"""Scores checked against hand arithmetic on a small council whose every answer is written out."""

from __future__ import annotations

import math

import numpy as np
import polars as pl
import pytest
from scipy import stats

from careties.relations.surveys import (
    ReliabilityError,
    cronbach_alpha,
    headline_indicators,
    knowledge_matrix,
    practice_relationship_scores,
    rc_band,
    relational_coordination,
    trust_gap,
)

from .test_builders import frame, rc_answers, submission

RELATIONSHIP = [1, 2, 2, 3, 4, 5, 1, 3, 4, 2]  # 5 of 10 poor (1 or 2); mean 2.7
JUDGE = ["gp", "gp", "equally", "social_worker", "gp", "equally", "gp", "equally", "equally", "sw"]
TELECARE = ["know_nothing"] * 5 + ["heard_of", "know_well", "have_referred", "heard_of", "heard_of"]
EXERCISE = ["know_nothing"] * 3 + ["heard_of"] * 4 + ["know_well", "have_referred", None]
CLOSER = ["yes"] * 9 + ["no"]
EARLIER = ["yes"] * 7 + ["no"] * 3
TOO_EARLY = ["yes"] * 3 + ["no"] * 7
# The five GPs of A81001 who answered the relational coordination questions.
GP_RC = [
    (2, 2, 3, 2, 3, 3, 4),
    (3, 3, 3, 3, 3, 4, 4),
    (4, 4, 4, 4, 4, 4, 5),
    (1, 2, 2, 2, 3, 2, 3),
    (3, 4, 3, 3, 4, 4, 4),
]
SW_RC = [
    (4, 4, 4, 4, 4, 4, 4),
    (5, 4, 4, 5, 4, 4, 5),
    (4, 4, 5, 4, 4, 5, 4),
    (3, 4, 4, 4, 4, 4, 4),
    (4, 5, 4, 4, 5, 4, 4),
]
SW_RELATIONSHIP = [4, 4, 3, 5, 4]  # mean 4.0, none poor
SW_JUDGE = ["social_worker", "social_worker", "equally", "gp", "equally"]
OLDER = [
    ("family", "gp"),
    ("family", "gp"),
    ("family", "friends"),
    ("gp", "family"),
    ("family", None),
    ("friends", "gp"),
    ("social_worker", "other"),
    ("family", "gp"),
]


def small_council() -> pl.DataFrame:
    """Ten GPs (six at A81001, four at A81002), five social workers, eight older people."""
    subs = []
    for i in range(10):
        answers = {
            "relationship_asc": str(RELATIONSHIP[i]),
            "judge_better": JUDGE[i] if JUDGE[i] != "sw" else "social_worker",
            "knowledge_telecare": TELECARE[i],
            "knowledge_exercise_classes": EXERCISE[i],
            "quality_telecare": str(1 + i % 5) if TELECARE[i] != "know_nothing" else None,
            "want_closer_links": CLOSER[i],
            "help_intervene_earlier": EARLIER[i],
            "admitted_too_early": TOO_EARLY[i],
        }
        if i < 5:
            answers.update(rc_answers(*GP_RC[i]))
        subs.append(submission("gp", answers, organisation="A81001" if i < 6 else "A81002"))
    for i in range(5):
        answers = {"relationship_gp": str(SW_RELATIONSHIP[i]), "judge_better": SW_JUDGE[i]}
        answers.update(rc_answers(*SW_RC[i]))
        subs.append(submission("social_worker", answers, organisation="OPT-NORTH"))
    for first, second in OLDER:
        answers = {"turn_to_first": first, "turn_to_second": second}
        answers["planned_future_care"] = "yes" if first == "gp" else "no"
        subs.append(submission("older_person", answers))
    return frame(*subs)


def _row(table: pl.DataFrame, **where) -> dict:
    for column, value in where.items():
        table = table.filter(pl.col(column) == value)
    assert table.height == 1, table
    return table.row(0, named=True)


# --- headline indicators -------------------------------------------------------------------


def test_headline_indicators_by_hand():
    table = headline_indicators(small_council())
    expected = {
        "gp_relationship_poor": (5, 10),
        "gp_judge_better": (4, 10),
        "gp_know_nothing_telecare": (5, 10),
        "gp_know_nothing_exercise_classes": (3, 9),  # one GP left it blank
        "gp_want_closer_links": (9, 10),
        "gp_help_intervene_earlier": (7, 10),
        "gp_admitted_too_early": (3, 10),
        "older_turn_to_gp": (5, 8),  # GP first or second
        "older_turn_to_gp_after_family": (3, 8),
        "older_planned_future_care": (1, 8),
    }
    assert table.get_column("indicator").to_list() == list(expected)
    for indicator, (numerator, denominator) in expected.items():
        row = _row(table, indicator=indicator)
        assert (row["numerator"], row["denominator"]) == (numerator, denominator)
        assert row["percent"] == pytest.approx(100 * numerator / denominator)
        assert row["lower"] < row["percent"] < row["upper"]
        assert row["suppressed"] is False


def test_headline_wilson_interval_by_hand():
    row = _row(headline_indicators(small_council()), indicator="gp_relationship_poor")
    # Wilson 5/10: (2x + z^2 -/+ z sqrt(z^2 + 4x(1 - x/n))) / (2(n + z^2)), z = 1.959964
    z = 1.959963984540054
    spread = z * math.sqrt(z * z + 4 * 5 * (1 - 5 / 10))
    assert row["lower"] == pytest.approx(100 * (10 + z * z - spread) / (2 * (10 + z * z)))
    assert row["upper"] == pytest.approx(100 * (10 + z * z + spread) / (2 * (10 + z * z)))
    assert (round(row["lower"], 2), round(row["upper"], 2)) == (23.66, 76.34)
    assert (
        headline_indicators(small_council(), confidence=0.998)
        .filter(pl.col("indicator") == "gp_relationship_poor")
        .item(0, "lower")
        < row["lower"]
    )


def test_headline_indicators_by_practice_suppress_the_practice_of_four():
    table = headline_indicators(small_council(), by="organisation")
    a81002 = table.filter(pl.col("organisation") == "A81002")
    assert a81002.height == 7 and a81002.get_column("suppressed").all()
    for column in ("numerator", "denominator", "percent", "lower", "upper"):
        assert a81002.get_column(column).is_null().all()
    shown = _row(table, organisation="A81001", indicator="gp_relationship_poor")
    assert (shown["numerator"], shown["denominator"]) == (3, 6)  # ratings 1, 2, 2 of six
    assert table.columns[0] == "organisation"


def test_headline_indicators_empty_frame():
    empty = small_council().clear()
    assert headline_indicators(empty).is_empty()
    assert headline_indicators(empty).columns[-1] == "suppressed"


# --- relational coordination ---------------------------------------------------------------


def test_relational_coordination_gp_to_social_care_by_hand():
    table = relational_coordination(small_council(), "gp_to_social_care")
    row = _row(table, la_code="E06000001")
    assert row["n"] == 5
    expected = {
        "rc_frequent": 13 / 5,
        "rc_timely": 15 / 5,
        "rc_accurate": 15 / 5,
        "rc_problem_solving": 14 / 5,
        "rc_shared_goals": 17 / 5,
        "rc_shared_knowledge": 17 / 5,
        "rc_mutual_respect": 20 / 5,
    }
    for dimension, mean in expected.items():
        assert row[dimension] == pytest.approx(mean)
    # respondents' indices 19/7, 23/7, 29/7, 15/7, 25/7 -> mean 111/35
    assert row["rc_index"] == pytest.approx(111 / 35)
    assert row["band"] == "weak"
    assert row["direction"] == "gp_to_social_care"
    assert row["alpha"] == pytest.approx(cronbach_alpha(np.array(GP_RC)))
    assert row["suppressed"] is False


def test_relational_coordination_social_care_to_gp_by_hand():
    row = _row(relational_coordination(small_council(), "social_care_to_gp", by="organisation"))
    assert row["organisation"] == "OPT-NORTH"
    assert row["rc_index"] == pytest.approx(146 / 35)  # 28, 31, 30, 27, 30 over 7, averaged
    assert row["band"] == "strong"


def test_relational_coordination_per_practice_suppresses_small_practices():
    table = relational_coordination(small_council(), by="organisation")
    # only A81001 has RC answers (five GPs); A81002's GPs answered none, so no row at all
    assert table.get_column("organisation").to_list() == ["A81001"]
    responses = small_council()
    one_rc_gp = responses.filter(pl.col("question_id") == "rc_frequent").item(0, "response_id")
    four = responses.filter(pl.col("response_id") != one_rc_gp)
    row = _row(relational_coordination(four, by="organisation"), organisation="A81001")
    assert row["suppressed"] is True
    assert row["n"] is None and row["rc_index"] is None and row["alpha"] is None
    assert row["band"] is None


def test_relational_coordination_ignores_out_of_range_answers():
    responses = small_council().with_columns(
        pl.when((pl.col("question_id") == "rc_frequent") & (pl.col("answer") == "1"))
        .then(pl.lit("7"))
        .otherwise(pl.col("answer"))
        .alias("answer")
    )
    row = _row(relational_coordination(responses), la_code="E06000001")
    assert row["rc_frequent"] == pytest.approx(12 / 4)


def test_rc_direction_must_be_known():
    with pytest.raises(ValueError, match="gp_to_social_care"):
        relational_coordination(small_council(), direction="gp_to_gp")


@pytest.mark.parametrize(
    "score, band",
    [
        (1.0, "weak"),
        (3.49, "weak"),
        (3.5, "moderate"),
        (4.0, "moderate"),
        (4.01, "strong"),
        (5.0, "strong"),
        (None, None),
        (float("nan"), None),
    ],
)
def test_rc_bands(score, band):
    assert rc_band(score) == band
    as_expr = pl.DataFrame({"s": [score]}, schema={"s": pl.Float64}).select(rc_band(pl.col("s")))
    assert as_expr.item() == band


# --- Cronbach's alpha ----------------------------------------------------------------------

# pingouin's documented example (pingouin.cronbach_alpha, dataset "cronbach_alpha": 15
# respondents, 10 items), whose result pingouin checks against R's psych::alpha: 0.5917188.
PINGOUIN_ITEMS = {
    "Q1": [3, 5, 7, 2, 6, 1, 4, 2, 6, 5, 4, 4, 5, 6, 4],
    "Q2": [2, 4, 3, 4, 5, 2, 3, 4, 5, 4, 3, 2, 5, 5, 3],
    "Q3": [4, 6, 5, 3, 6, 3, 5, 4, 5, 6, 5, 3, 6, 5, 5],
    "Q4": [1, 3, 5, 3, 5, 4, 3, 3, 5, 4, 2, 2, 2, 4, 5],
    "Q5": [4, 5, 6, 2, 4, 2, 5, 7, 1, 3, 5, 5, 3, 2, 3],
    "Q6": [5, 1, 4, 2, 4, 5, 2, 2, 6, 5, 3, 3, 3, 2, 1],
    "Q7": [1, 2, 3, 2, 4, 2, 1, 2, 5, 3, 2, 4, 2, 1, 3],
    "Q8": [4, 5, 3, 6, 6, 3, 2, 4, 2, 1, 3, 2, 4, 4, 2],
    "Q9": [3, 5, 6, 6, 7, 5, 4, 6, 3, 7, 4, 3, 4, 6, 3],
    "Q10": [2, 5, 5, 3, 5, 2, 3, 5, 2, 2, 1, 4, 5, 5, 4],
}


def test_cronbach_alpha_matches_the_published_worked_example():
    assert cronbach_alpha(pl.DataFrame(PINGOUIN_ITEMS)) == pytest.approx(0.5917188485995826)


def test_cronbach_alpha_by_hand():
    # Items (columns) for four respondents: variances 5/3, 11/12, 5/3, sum 17/4; totals
    # 13, 10, 15, 7 have variance 49/4; alpha = 3/2 (1 - 17/49) = 48/49.
    items = [[4, 5, 4], [3, 4, 3], [5, 5, 5], [2, 3, 2]]
    assert cronbach_alpha(items) == pytest.approx(48 / 49)
    as_text = pl.DataFrame(
        {"a": ["4", "3", "5", "2"], "b": ["5", "4", "5", "3"], "c": ["4", "3", "5", "2"]}
    )
    assert cronbach_alpha(as_text) == pytest.approx(48 / 49)


def test_cronbach_alpha_equals_the_covariance_form():
    # alpha = k c / (v + (k - 1) c), c the mean inter-item covariance, v the mean variance
    items = np.array(GP_RC, dtype=float)
    cov = np.cov(items, rowvar=False)
    k = items.shape[1]
    v = np.trace(cov) / k
    c = (cov.sum() - np.trace(cov)) / (k * (k - 1))
    assert cronbach_alpha(items) == pytest.approx(k * c / (v + (k - 1) * c))


def test_cronbach_alpha_drops_incomplete_respondents():
    items = pl.DataFrame({"a": [4, 3, 5, 2, None], "b": [5, 4, 5, 3, 1], "c": [4, 3, 5, 2, 5]})
    assert cronbach_alpha(items) == pytest.approx(48 / 49)


def test_cronbach_alpha_refuses_what_it_cannot_compute():
    with pytest.raises(ReliabilityError, match="two items"):
        cronbach_alpha([[1], [2]])
    with pytest.raises(ReliabilityError, match="two respondents"):
        cronbach_alpha([[1, 2, 3]])
    with pytest.raises(ReliabilityError, match="same total"):
        cronbach_alpha([[1, 2], [2, 1]])


# --- trust gap -----------------------------------------------------------------------------


def test_trust_gap_by_hand():
    table = trust_gap(small_council())
    index = _row(table, measure="rc_index")
    assert index["gp_view"] == pytest.approx(111 / 35)
    assert index["social_care_view"] == pytest.approx(146 / 35)
    assert index["gap"] == pytest.approx(-1.0)
    gp_scores = [sum(r) / 7 for r in GP_RC]
    sw_scores = [sum(r) / 7 for r in SW_RC]
    welch = stats.ttest_ind(gp_scores, sw_scores, equal_var=False)
    assert index["p_value"] == pytest.approx(welch.pvalue)
    assert index["lower"] < -1.0 < index["upper"]
    assert (index["n_gp"], index["n_social_care"]) == (5, 5)

    relationship = _row(table, measure="relationship")
    assert relationship["gp_view"] == pytest.approx(2.7)
    assert relationship["social_care_view"] == pytest.approx(4.0)
    assert relationship["n_gp"] == 10

    poor = _row(table, measure="relationship_poor")
    assert (poor["gp_view"], poor["social_care_view"], poor["gap"]) == pytest.approx((50, 0, 50))
    own = _row(table, measure="own_profession_judges_better")
    assert (own["gp_view"], own["social_care_view"]) == pytest.approx((40.0, 40.0))
    assert own["p_value"] == pytest.approx(1.0)
    assert not table.get_column("suppressed").any()


def test_trust_gap_suppresses_a_side_of_four():
    responses = small_council()
    one_sw = responses.filter(pl.col("instrument") == "social_worker").item(0, "response_id")
    table = trust_gap(responses.filter(pl.col("response_id") != one_sw))
    assert table.get_column("suppressed").all()
    assert table.get_column("gap").is_null().all()
    assert table.get_column("n_social_care").is_null().all()


def test_trust_gap_cannot_group_by_organisation():
    with pytest.raises(ValueError, match="different organisations"):
        trust_gap(small_council(), by="organisation")


# --- knowledge matrix and practice scores -------------------------------------------------


def test_knowledge_matrix_by_hand():
    matrix = knowledge_matrix(small_council())
    assert matrix.columns == [
        "practice_code",
        "service",
        "respondents",
        "share_know_nothing",
        "share_heard_of",
        "share_know_well",
        "share_have_referred",
        "mean_quality",
        "suppressed",
    ]
    telecare = _row(matrix, practice_code="A81001", service="telecare")
    # A81001 is GPs 0-5: know_nothing x5 then heard_of
    assert telecare["respondents"] == 6
    assert telecare["share_know_nothing"] == pytest.approx(5 / 6)
    assert telecare["share_heard_of"] == pytest.approx(1 / 6)
    assert telecare["mean_quality"] == pytest.approx(1.0)  # GP 5 rated it 1 + 5 % 5
    exercise = _row(matrix, practice_code="A81001", service="exercise_classes")
    assert exercise["share_know_nothing"] == pytest.approx(3 / 6)
    small = matrix.filter(pl.col("practice_code") == "A81002")
    assert small.get_column("suppressed").all()
    assert small.get_column("respondents").is_null().all()
    assert matrix.get_column("service").to_list() == ["telecare", "exercise_classes"] * 2


def test_practice_relationship_scores_by_hand():
    scores = practice_relationship_scores(small_council())
    assert scores.columns == [
        "practice_code",
        "rc_score",
        "knowledge_share",
        "respondents",
        "suppressed",
    ]
    a81001 = _row(scores, practice_code="A81001")
    assert a81001["rc_score"] == pytest.approx(111 / 35)
    # 12 knowledge answers at A81001: telecare know_nothing x5, heard_of; exercise
    # know_nothing x3, heard_of x3 -> no working knowledge
    assert a81001["knowledge_share"] == pytest.approx(0.0)
    assert a81001["respondents"] == 6
    a81002 = _row(scores, practice_code="A81002")
    assert a81002["suppressed"] is True
    assert a81002["rc_score"] is None and a81002["respondents"] is None
    # A81002 with a fifth GP who knows both services well:
    extra = submission(
        "gp",
        {"knowledge_telecare": "know_well", "knowledge_exercise_classes": "know_well"},
        organisation="A81002",
    )
    five = practice_relationship_scores(pl.concat([small_council(), frame(extra)]))
    row = _row(five, practice_code="A81002")
    # telecare: know_well, have_referred, heard_of, heard_of, know_well -> 3 of 5 working
    # exercise: heard_of, know_well, have_referred, (blank), know_well -> 3 of 4 working
    assert row["knowledge_share"] == pytest.approx(6 / 9)
    assert row["rc_score"] is None  # nobody there answered the RC questions
    assert row["respondents"] == 5
