"""Instruments: the YAML files load, keep the fixed question ids, and validate a form's answers."""

from __future__ import annotations

import pytest

from careties.relations.surveys import (
    INSTRUMENT_NAMES,
    RC_DIMENSIONS,
    SERVICE_TYPES,
    Instrument,
    InstrumentError,
    Question,
    available_versions,
    load_instrument,
    validate_answers,
)

GP_IDS = (
    ["relationship_asc", "judge_better"]
    + [f"knowledge_{s}" for s in SERVICE_TYPES]
    + [f"quality_{s}" for s in SERVICE_TYPES]
    + ["want_closer_links", "help_intervene_earlier", "admitted_too_early"]
    + list(RC_DIMENSIONS)
)
SOCIAL_WORKER_IDS = ["relationship_gp", "judge_better", *RC_DIMENSIONS]
OLDER_PERSON_IDS = ["turn_to_first", "turn_to_second", "planned_future_care"] + [
    f"knows_{s}" for s in SERVICE_TYPES
]


def test_the_four_instruments_are_installed():
    assert INSTRUMENT_NAMES == ("gp", "social_worker", "older_person", "roles")
    for name in INSTRUMENT_NAMES:
        assert available_versions(name) == (1,)
        instrument = load_instrument(name)
        assert isinstance(instrument, Instrument)
        assert (instrument.id, instrument.version) == (name, 1)
        assert instrument.title and instrument.intro


@pytest.mark.parametrize(
    "name, ids",
    [("gp", GP_IDS), ("social_worker", SOCIAL_WORKER_IDS), ("older_person", OLDER_PERSON_IDS)],
)
def test_fixed_question_ids_are_all_there(name, ids):
    assert set(ids) <= set(load_instrument(name).question_ids)


def test_gp_answer_codes_match_the_contract():
    gp = load_instrument("gp")
    assert gp.question("relationship_asc").values == ("1", "2", "3", "4", "5")
    assert gp.question("relationship_asc").options[0] == ("1", "Very poor")
    assert gp.question("relationship_asc").options[-1] == ("5", "Very good")
    assert gp.question("judge_better").values == ("gp", "social_worker", "equally")
    assert gp.question("knowledge_telecare").values == (
        "know_nothing",
        "heard_of",
        "know_well",
        "have_referred",
    )
    assert gp.question("quality_reablement").values == ("1", "2", "3", "4", "5")
    for yes_no in ("want_closer_links", "help_intervene_earlier", "admitted_too_early"):
        assert gp.question(yes_no).values == ("yes", "no")
    for dimension in RC_DIMENSIONS:
        question = gp.question(dimension)
        assert question.kind == "scale"
        assert question.values == ("1", "2", "3", "4", "5")
        assert question.construct == "relational_coordination"
        assert "social worker" in question.text.lower()


def test_social_worker_survey_mirrors_the_gp_survey_about_gps():
    sw = load_instrument("social_worker")
    gp = load_instrument("gp")
    for dimension in RC_DIMENSIONS:
        assert "GPs" in sw.question(dimension).text
        assert sw.question(dimension).values == gp.question(dimension).values
    assert sw.question("relationship_gp").values == gp.question("relationship_asc").values
    assert sw.question("judge_better").values == gp.question("judge_better").values


def test_older_person_answer_codes():
    older = load_instrument("older_person")
    for question_id in ("turn_to_first", "turn_to_second"):
        assert older.question(question_id).values == (
            "family",
            "gp",
            "friends",
            "social_worker",
            "other",
        )
    assert older.question("planned_future_care").values == ("yes", "no")
    assert older.question("knows_falls_prevention").values == ("yes", "no")


def test_every_construct_is_cited_and_free_text_is_flagged():
    for name in INSTRUMENT_NAMES:
        instrument = load_instrument(name)
        for question in instrument.questions:
            assert question.kind in ("scale", "choice", "multi", "text", "people")
            assert question.section in {s.id for s in instrument.sections}
            if question.construct:
                assert question.construct in instrument.references
        assert instrument.free_text_ids == ("comments",)
        assert instrument.question("comments").kind == "text"
        assert not instrument.question("comments").required


def test_council_services_add_knowledge_and_quality_questions():
    gp = load_instrument("gp", extra_services=["dementia_cafe", ("men_sheds", "Men's Sheds")])
    assert gp.question("knowledge_dementia_cafe").text.endswith("dementia cafe in your area?")
    assert "Men's Sheds" in gp.question("quality_men_sheds").text
    assert gp.question("knowledge_men_sheds").service == "men_sheds"
    # standard services first, in the fixed order, then the council's own
    services = [sid for sid, _ in gp.services]
    assert services == [*SERVICE_TYPES, "dementia_cafe", "men_sheds"]
    older = load_instrument("older_person", extra_services=["dementia_cafe"])
    assert "knows_dementia_cafe" in older.question_ids
    # a standard type given again is not duplicated
    assert (
        load_instrument("gp", extra_services=["telecare"]).question_ids
        == load_instrument("gp").question_ids
    )


@pytest.mark.parametrize("bad", ["Dementia Cafe", "1abc", "a", "x;drop"])
def test_council_service_ids_must_be_tokens(bad):
    with pytest.raises(InstrumentError, match="lower case"):
        load_instrument("gp", extra_services=[bad])


def test_unknown_instrument_or_version():
    with pytest.raises(InstrumentError, match="Unknown survey"):
        load_instrument("nurse")
    with pytest.raises(InstrumentError, match="no version 9"):
        load_instrument("gp", version=9)
    with pytest.raises(KeyError):
        load_instrument("gp").question("nope")


def _complete_gp_answers() -> dict[str, str]:
    gp = load_instrument("gp")
    return {q.id: q.values[0] for q in gp.questions if q.required}


def test_complete_answers_validate():
    gp = load_instrument("gp")
    answers = _complete_gp_answers()
    assert validate_answers(gp, answers) == {}
    answers.update(quality_telecare="4", comments="  ")  # optional, blank comment is fine
    assert validate_answers(gp, answers) == {}


def test_validation_errors_are_per_question():
    gp = load_instrument("gp")
    answers = _complete_gp_answers()
    answers["relationship_asc"] = "6"
    answers["judge_better"] = ["gp", "equally"]
    del answers["rc_timely"]
    answers["knowledge_telecare"] = ""
    answers["comments"] = "x" * 5000
    answers["practice_name"] = "The Surgery"
    errors = validate_answers(gp, answers)
    assert errors == {
        "relationship_asc": "Select one of the answers shown",
        "judge_better": "Select only one answer",
        "rc_timely": "Select an answer",
        "knowledge_telecare": "Select an answer",
        "comments": "Your answer must be 4000 characters or fewer",
        "practice_name": "This is not a question in this survey",
    }


def test_multi_questions_take_a_list():
    question = Question(
        id="services_used",
        text="Which have you used?",
        kind="multi",
        section="s",
        options=(("a", "A"), ("b", "B")),
        required=True,
    )
    instrument = Instrument("x", 1, "X", "", (question,))
    assert validate_answers(instrument, {"services_used": ["a", "b"]}) == {}
    assert validate_answers(instrument, {"services_used": []}) == {
        "services_used": "Select at least one answer"
    }
    assert validate_answers(instrument, {"services_used": ["a", "c"]}) == {
        "services_used": "Select answers from the list"
    }
    assert validate_answers(instrument, {"services_used": ["a", "a"]}) == {
        "services_used": "Select each answer only once"
    }
