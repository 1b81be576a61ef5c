"""Every frame is exactly its canonical shape and uses only the shared code lists."""

from __future__ import annotations

import polars as pl
import pytest

from careties.data import codes
from careties.data.frames import CANONICAL
from careties.data.synth import QUESTION_IDS
from careties.data.synth.survey_parameters import GP_ITEMS, SOCIAL_WORKER_ITEMS


@pytest.mark.parametrize("world", ["tiny", "council"])
def test_frames_are_exactly_the_canonical_shapes(world, request):
    data = request.getfixturevalue(world)
    assert set(data.frames) == set(CANONICAL)
    for kind, frame in data.frames.items():
        assert frame.schema == pl.Schema(CANONICAL[kind]), kind
        assert frame.height > 0, kind


def _all_match(series: pl.Series, pattern) -> bool:
    return all(pattern.match(v) for v in series.drop_nulls().unique().to_list())


def test_organisation_codes_have_the_national_formats(council):
    f = council.frames
    assert _all_match(f["local_authorities"]["la_code"], codes.LA_CODE_PATTERN)
    assert _all_match(f["practices"]["practice_code"], codes.PRACTICE_CODE_PATTERN)
    assert f["practices"]["practice_code"].is_unique().all()
    organisations = f["professionals"].filter(pl.col("role") != "gp")["organisation"]
    assert _all_match(organisations, codes.TEAM_CODE_PATTERN)
    gp_orgs = set(f["professionals"].filter(pl.col("role") == "gp")["organisation"])
    assert gp_orgs <= set(f["practices"]["practice_code"])


def test_coded_columns_use_only_the_shared_code_lists(council):
    f = council.frames
    events = f["events"]
    assert set(events["event_type"].unique()) <= set(codes.EVENT_TYPES)
    assert set(events["service_type"].drop_nulls().unique()) <= set(codes.SERVICE_TYPES)
    assert set(events["route_of_access"].drop_nulls().unique()) <= set(codes.ROUTES_OF_ACCESS)
    assert (
        events.filter(pl.col("event_type") != "service")["service_type"].null_count()
        == events.filter(pl.col("event_type") != "service").height
    )
    assert set(f["professionals"]["role"].unique()) <= set(codes.ROLES)
    assert set(f["contacts"]["channel"].unique()) <= set(codes.CONTACT_CHANNELS)
    assert set(f["contacts"]["purpose"].unique()) <= set(codes.CONTACT_PURPOSES)
    assert set(f["registered_patients"]["sex"].unique()) <= set(codes.SEXES)
    assert set(f["registered_patients"]["age_band"].unique()) == set(codes.AGE_BANDS)
    assert set(f["survey_responses"]["instrument"].unique()) == set(codes.SURVEY_INSTRUMENTS)
    assert set(f["services"]["status"].unique()) <= {
        "active",
        "inactive",
        "defunct",
        "temporarily closed",
    }


def test_references_point_at_known_organisations_and_people(council):
    f = council.frames
    ids = set(f["professionals"]["professional_id"])
    practices = set(f["practices"]["practice_code"])
    assert set(f["events"]["professional_id"].drop_nulls()) <= ids
    assert set(f["events"]["practice_code"].drop_nulls()) <= practices
    assert set(f["contacts"]["from_professional"]) | set(f["contacts"]["to_professional"]) <= ids
    assert f["events"]["event_reference"].is_unique().all()
    assert f["contacts"]["contact_reference"].is_unique().all()
    assert (f["contacts"]["from_professional"] != f["contacts"]["to_professional"]).all()


def test_survey_answers_use_the_published_question_ids_and_options(council):
    responses = council.frames["survey_responses"]
    for instrument, ids in QUESTION_IDS.items():
        asked = set(responses.filter(pl.col("instrument") == instrument)["question_id"].unique())
        assert asked == set(ids), instrument
    options = {("gp", i.question_id): set(i.answers) for i in GP_ITEMS}
    options |= {("social_worker", i.question_id): set(i.answers) for i in SOCIAL_WORKER_ITEMS}
    for (instrument, question), allowed in options.items():
        given = responses.filter(
            pl.col("instrument") == instrument, pl.col("question_id") == question
        )["answer"]
        assert set(given.unique()) <= allowed, question
    assert responses.select("response_id", "question_id").is_unique().all()
    older = responses.filter(pl.col("instrument") == "older_person")
    assert older["organisation"].null_count() == older.height
    assert older["respondent_id"].null_count() == older.height


def test_dates_stay_inside_the_period_and_ends_follow_starts(council):
    period = council.truth["period"]
    events = council.frames["events"]
    assert str(events["start_date"].min()) >= period["start"]
    assert str(events["start_date"].max()) <= period["end"]
    ended = events.filter(pl.col("end_date").is_not_null())
    assert (ended["end_date"] >= ended["start_date"]).all()
    assert str(ended["end_date"].max()) <= period["end"]
    assert (events["age"] >= 18).all()
    contacts = council.frames["contacts"]
    assert str(contacts["contact_date"].min()) >= period["start"]
    assert str(contacts["contact_date"].max()) <= period["end"]
