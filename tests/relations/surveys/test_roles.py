"""Role-by-role relational coordination: by hand, the floor per cell, and the synthetic council."""

from __future__ import annotations

import polars as pl
import pytest

from careties.relations.surveys import RC_DIMENSIONS, load_instrument
from careties.relations.surveys.roles import (
    RATED_ROLES,
    RESPONDENT_ROLES,
    role_matrix,
    role_pair_trend,
    role_ratings,
)


def _responses(
    people: list[tuple[str, str, dict[str, list[str]]]], wave: str = "W1"
) -> pl.DataFrame:
    """``(response_id, own_role, {rated_role: seven answers})`` as survey_responses rows."""
    rows = []
    for response_id, role, ratings in people:
        rows.append((response_id, wave, "roles", "E06000001", None, None, "own_role", role))
        for rated, answers in ratings.items():
            for dimension, answer in zip(RC_DIMENSIONS, answers, strict=True):
                rows.append(
                    (
                        response_id,
                        wave,
                        "roles",
                        "E06000001",
                        None,
                        None,
                        f"{dimension}__{rated}",
                        answer,
                    )
                )
    columns = ["response_id", "wave", "instrument", "la_code", "organisation", "respondent_id",
               "question_id", "answer"]  # fmt: skip
    return pl.DataFrame(rows, schema=dict.fromkeys(columns, pl.String), orient="row")


def test_every_role_rates_every_role_in_the_instrument() -> None:
    roles = load_instrument("roles")
    assert roles.question("own_role").values == RESPONDENT_ROLES
    for rated in RATED_ROLES:
        for dimension in RC_DIMENSIONS:
            question = roles.question(f"{dimension}__{rated}")
            assert question.role == rated and question.kind == "scale"
    assert "older_people_and_carers" not in roles.question("own_role").values
    assert [s.title for s in roles.sections][1] == "Working with GPs"


def test_cells_by_hand_with_the_floor_applied_per_cell() -> None:
    # Six GPs rate social workers: GP i gives every dimension i % 5 + 1 -> indices
    # 1,2,3,4,5,1 -> cell mean 16/6. Their own role: all 4s. Three nurses rate GPs: suppressed.
    people = [
        (f"g{i}", "gp", {"social_worker": [str(i % 5 + 1)] * 7, "gp": ["4"] * 7}) for i in range(6)
    ]
    people += [(f"n{i}", "practice_nurse", {"gp": ["5"] * 7}) for i in range(3)]
    # Invalid answers count as not answered; a respondent without a role is left out.
    people.append(("x", "astronaut", {"gp": ["5"] * 7}))
    frame = _responses(people)
    frame = pl.concat([frame, _responses([("g0b", "gp", {"social_worker": ["9"] * 7})])])
    matrix = role_matrix(frame, by=("la_code", "wave"))
    cell = matrix.filter(
        (pl.col("rater_role") == "gp") & (pl.col("rated_role") == "social_worker")
    ).row(0, named=True)
    assert cell["n"] == 6
    assert cell["rc_index"] == pytest.approx(16 / 6)
    assert cell["within_agency"] is False and cell["suppressed"] is False
    own = matrix.filter((pl.col("rater_role") == "gp") & (pl.col("rated_role") == "gp")).row(
        0, named=True
    )
    assert own["rc_index"] == pytest.approx(4.0) and own["within_agency"] is True
    nurses = matrix.filter(pl.col("rater_role") == "practice_nurse").row(0, named=True)
    assert nurses["suppressed"] is True and nurses["n"] is None and nurses["rc_index"] is None
    assert "astronaut" not in matrix["rater_role"].to_list()


def test_partial_answers_average_the_dimensions_answered() -> None:
    frame = _responses(
        [("a", "district_nurse", {"care_home_manager": ["2", "4", "", "", "", "", "x"]})]
    )
    ratings = role_ratings(frame)
    assert ratings.height == 1
    assert ratings["rc_index"].item() == pytest.approx(3.0)
    assert ratings["rc_timely"].item() == 4.0 and ratings["rc_accurate"].item() is None


def test_pair_trend_gives_both_directions_over_waves() -> None:
    w1 = _responses(
        [(f"g{i}", "gp", {"social_worker": ["2"] * 7}) for i in range(5)]
        + [(f"s{i}", "social_worker", {"gp": ["3"] * 7}) for i in range(5)],
        wave="W1",
    )
    w2 = _responses([(f"h{i}", "gp", {"social_worker": ["4"] * 7}) for i in range(5)], wave="W2")
    trend = role_pair_trend(pl.concat([w1, w2]), "gp", "social_worker")
    assert trend.select("wave", "rater_role", "rc_index").rows() == [
        ("W1", "gp", 2.0), ("W1", "social_worker", 3.0), ("W2", "gp", 4.0),
    ]  # fmt: skip
    with pytest.raises(ValueError, match="Unknown role"):
        role_pair_trend(w1, "gp", "pilot")


def test_synthetic_council_covers_every_role_and_fills_the_map() -> None:
    from careties.data import synth

    frame = synth.generate("tiny", seed=0).frames["survey_responses"]
    matrix = role_matrix(frame)
    first = matrix.filter(pl.col("wave") == matrix["wave"].min())
    assert set(first["rater_role"]) == set(RESPONDENT_ROLES)
    assert set(first["rated_role"]) == set(RATED_ROLES)
    assert (~first["suppressed"]).mean() > 0.85
    shown = first.filter(~pl.col("suppressed"))
    # Planted: GPs and social workers rate each other lowest; own agency above other agencies.
    gp_sw = shown.filter((pl.col("rater_role") == "gp") & (pl.col("rated_role") == "social_worker"))
    assert gp_sw["rc_index"].item() < shown["rc_index"].quantile(0.1)
    within = shown.filter(pl.col("within_agency"))["rc_index"].mean()
    across = shown.filter(~pl.col("within_agency"))["rc_index"].mean()
    assert within > across + 0.2
    trend = role_pair_trend(frame, "gp", "social_worker").filter(pl.col("rater_role") == "gp")
    assert trend["rc_index"].to_list()[1] > trend["rc_index"].to_list()[0]


def test_map_change_between_two_waves() -> None:
    from careties.relations.surveys.roles import role_matrix_change

    w1 = _responses(
        [(f"g{i}", "gp", {"social_worker": ["2"] * 7}) for i in range(5)]
        + [(f"n{i}", "practice_nurse", {"gp": ["3"] * 7}) for i in range(2)],
        wave="W1",
    )
    w2 = _responses(
        [(f"h{i}", "gp", {"social_worker": ["4"] * 7}) for i in range(6)]
        + [(f"m{i}", "practice_nurse", {"gp": ["4"] * 7}) for i in range(5)],
        wave="W2",
    )
    change = role_matrix_change(pl.concat([w1, w2]), "W1", "W2")
    cells = {(r["rater_role"], r["rated_role"]): r for r in change.iter_rows(named=True)}
    gp = cells[("gp", "social_worker")]
    assert (gp["n_before"], gp["rc_before"], gp["n_after"], gp["rc_after"]) == (5, 2.0, 6, 4.0)
    assert gp["change"] == pytest.approx(2.0)
    nurse = cells[("practice_nurse", "gp")]
    assert nurse["rc_before"] is None and nurse["rc_after"] == 4.0 and nurse["change"] is None
    # Two nurses in W1 is under the floor of 5: hidden, not missing; never-rated cells are not.
    assert nurse["suppressed_before"] and not nurse["suppressed_after"]
    assert not gp["suppressed_before"] and not gp["suppressed_after"]
