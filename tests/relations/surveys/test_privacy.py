"""Privacy: no result for fewer than five respondents, and free text kept apart from its author."""

from __future__ import annotations

import random

import polars as pl
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from careties.relations.surveys import (
    MIN_RESPONDENTS,
    headline_indicators,
    knowledge_matrix,
    load_instrument,
    practice_relationship_scores,
    relational_coordination,
    split_free_text,
    suppress_small_groups,
)

from .test_builders import frame, rc_answers, submission


def gp_answers(i: int) -> dict[str, str]:
    return {
        "relationship_asc": str(1 + i % 5),
        "judge_better": ("gp", "social_worker", "equally")[i % 3],
        "knowledge_telecare": ("know_nothing", "heard_of", "know_well", "have_referred")[i % 4],
        "want_closer_links": "yes" if i % 2 else "no",
        "help_intervene_earlier": "yes",
        "admitted_too_early": "no",
        **rc_answers(*[1 + (i + d) % 5 for d in range(7)]),
    }


def council(sizes: dict[str, int], wave: str = "2025-W1") -> pl.DataFrame:
    subs = []
    for practice, size in sizes.items():
        for i in range(size):
            subs.append(submission("gp", gp_answers(i), organisation=practice, wave=wave))
    return frame(*subs)


SMALL = "A81004"  # the practice of four


def test_a_group_of_four_never_appears_in_any_table():
    responses = council({"A81001": 7, "A81002": 5, SMALL: 4})
    tables = {
        "headline": headline_indicators(responses, by="organisation").rename(
            {"organisation": "practice_code"}
        ),
        "rc": relational_coordination(responses, by="organisation").rename(
            {"organisation": "practice_code"}
        ),
        "knowledge": knowledge_matrix(responses),
        "practice": practice_relationship_scores(responses),
    }
    for name, table in tables.items():
        small = table.filter(pl.col("practice_code") == SMALL)
        assert small.height >= 1, name
        assert small.get_column("suppressed").all(), name
        hidden = [c for c in small.columns if c not in {"practice_code", "suppressed"}]
        for column in hidden:
            if small.schema[column] == pl.String and column in {
                "indicator",
                "label",
                "instrument",
                "service",
                "direction",
            }:
                continue  # what the row is about, not a result
            assert small.get_column(column).is_null().all(), (name, column)
        shown = table.filter(pl.col("practice_code") != SMALL)
        assert not shown.get_column("suppressed").any(), name


def test_the_threshold_is_five_and_configurable():
    assert MIN_RESPONDENTS == 5
    responses = council({"A81001": 5})
    assert not headline_indicators(responses).get_column("suppressed").any()
    assert headline_indicators(responses, min_respondents=6).get_column("suppressed").all()
    with pytest.raises(ValueError):
        headline_indicators(responses, min_respondents=0)


@settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(
    st.dictionaries(st.sampled_from(["A81001", "A81002", "B82001"]), st.integers(1, 8), min_size=1)
)
def test_no_shown_result_rests_on_fewer_than_five(sizes):
    responses = council(sizes)
    headline = headline_indicators(responses, by="organisation")
    shown = headline.filter(~pl.col("suppressed"))
    assert (shown.get_column("denominator") >= 5).all()
    for practice, size in sizes.items():
        rows = headline.filter(pl.col("organisation") == practice)
        assert rows.get_column("suppressed").all() == (size < 5)
    rc = relational_coordination(responses, by="organisation")
    assert (rc.filter(~pl.col("suppressed")).get_column("n") >= 5).all()
    assert rc.filter(pl.col("suppressed")).get_column("rc_index").is_null().all()


def test_suppress_small_groups_treats_a_null_count_as_too_small():
    table = pl.DataFrame({"g": ["a", "b", "c"], "n": [5, 4, None], "v": [1.0, 2.0, 3.0]})
    out = suppress_small_groups(table, "n", ["v"])
    assert out.get_column("suppressed").to_list() == [False, True, True]
    assert out.get_column("v").to_list() == [1.0, None, None]
    assert out.get_column("g").to_list() == ["a", "b", "c"]


def with_comments() -> pl.DataFrame:
    return frame(
        submission(
            "gp",
            {**gp_answers(0), "comments": "Our care home link is poor"},
            organisation="A81001",
            respondent_id="PRO-1",
        ),
        submission("gp", {**gp_answers(1), "comments": "   "}, organisation="A81001"),
        submission(
            "gp",
            {**gp_answers(2), "comments": "Social worker X never calls back"},
            organisation="A81002",
            respondent_id="PRO-2",
        ),
        submission(
            "social_worker",
            {"relationship_gp": "3", "comments": "GPs refer too late"},
            organisation="OPT-NORTH",
        ),
        submission("older_person", {"turn_to_first": "family", "comments": "My daughter helps"}),
    )


def test_free_text_is_stored_apart_from_its_author():
    responses = with_comments()
    attributes, free_text = split_free_text(responses, rng=random.Random(1))
    assert attributes.columns == responses.columns
    assert "comments" not in attributes.get_column("question_id").to_list()
    assert attributes.height == responses.height - 5
    assert free_text.columns == ["text_id", "wave", "la_code", "instrument", "question_id", "text"]
    for identifying in ("response_id", "respondent_id", "organisation"):
        assert identifying not in free_text.columns
    assert sorted(free_text.get_column("text").to_list()) == sorted(
        [
            "Our care home link is poor",
            "Social worker X never calls back",
            "GPs refer too late",
            "My daughter helps",
        ]
    )  # the blank comment is dropped
    response_ids = set(responses.get_column("response_id").to_list())
    text_ids = free_text.get_column("text_id").to_list()
    assert len(set(text_ids)) == 4 and not response_ids & set(text_ids)


def test_free_text_order_does_not_follow_submission_order():
    responses = frame(
        *[
            submission("gp", {"comments": f"comment {i:02d}"}, organisation="A81001")
            for i in range(30)
        ]
    )
    _, free_text = split_free_text(responses, "gp", rng=random.Random(7))
    texts = free_text.get_column("text").to_list()
    assert sorted(texts) == [f"comment {i:02d}" for i in range(30)]
    assert texts != sorted(texts)


def test_free_text_split_uses_the_instruments_flags():
    responses = with_comments()
    attributes, free_text = split_free_text(responses, load_instrument("older_person"))
    assert free_text.get_column("instrument").to_list() == ["older_person"]
    assert attributes.filter(pl.col("question_id") == "comments").height == 4


def test_a_comparison_is_suppressed_when_either_group_is_small():
    frame = pl.DataFrame(
        {
            "measure": ["a", "b", "c"],
            "gap": [1.0, 2.0, 3.0],
            "n_gp": [12, 4, None],
            "n_social_care": [9, 30, 20],
        }
    )
    out = suppress_small_groups(frame, ["n_gp", "n_social_care"], ["gap"])
    assert out["suppressed"].to_list() == [False, True, True]
    assert out["gap"].to_list() == [1.0, None, None]
    assert out["n_social_care"].to_list() == [9, None, None]
    assert out["measure"].to_list() == ["a", "b", "c"]
