"""The anonymous survey: each instrument end to end, refusals, validation, save and resume."""

from __future__ import annotations

import datetime as dt

import pytest
from django.utils import timezone
from tests.web.paths import url

from careties.web.store.models import SurveyResponse
from careties.web.surveys import services
from careties.web.surveys.models import Draft, FreeTextComment

from .helpers import COUNCIL, complete_answers, make_link, make_wave, section_posts

pytestmark = pytest.mark.django_db

ORGANISATION = {"gp": "A81001", "social_worker": "TEAM-N", "older_person": None}


def answer_all(client, link, instrument: str, comment: str = ""):
    posts = section_posts(instrument, complete_answers(instrument, comment))
    response = None
    for number, data in enumerate(posts, start=1):
        response = client.post(
            url("surveys:section", token=link.token, number=number), {**data, "action": "continue"}
        )
        assert response.status_code == 302, response.content.decode()[-2000:]
    return response


@pytest.mark.parametrize("instrument", ["gp", "social_worker", "older_person"])
def test_each_survey_is_stored_as_canonical_rows(client, instrument):
    wave = make_wave(instrument)
    link = make_link(wave, organisation=ORGANISATION[instrument])
    assert client.get(url("surveys:start", token=link.token)).status_code == 200

    last = answer_all(client, link, instrument, comment="The duty desk never calls back.")

    assert last["Location"] == f"/s/{link.token}/thank-you/"
    assert "Thank you" in client.get(last["Location"]).content.decode()
    rows = SurveyResponse.objects.filter(wave=wave.name, instrument=instrument)
    expected = complete_answers(instrument)
    assert rows.count() == len(expected)
    assert rows.values("response_id").distinct().count() == 1
    row = rows.first()
    assert (row.la_code, row.organisation, row.respondent_id) == (
        COUNCIL,
        ORGANISATION[instrument],
        None,
    )
    assert len(row.response_id) == 32
    assert {r.question_id: r.answer for r in rows} == expected
    # The comment is kept apart, with nothing that could identify its author.
    assert not rows.filter(question_id="comments").exists()
    comment = FreeTextComment.objects.get()
    assert (comment.wave, comment.la_code, comment.text) == (
        wave,
        COUNCIL,
        "The duty desk never calls back.",
    )
    assert not Draft.objects.exists()


def test_second_submission_through_single_use_link_is_refused(client):
    link = make_link(make_wave("gp"), single_use=True)
    answer_all(client, link, "gp")

    again = client.get(url("surveys:start", token=link.token))
    assert again.status_code == 410
    assert "This link has already been used" in again.content.decode()
    post = client.post(
        url("surveys:section", token=link.token, number=1), {"relationship_asc": "3"}
    )
    assert post.status_code == 410
    assert SurveyResponse.objects.values("response_id").distinct().count() == 1


def test_two_people_racing_on_one_single_use_link_store_once():
    link = make_link(make_wave("gp"), single_use=True)
    answers = complete_answers("gp")
    services.submit(link=link, answers=answers)
    with pytest.raises(services.LinkRefused) as refused:
        services.submit(link=link, answers=answers)
    assert refused.value.reason == "used"
    assert SurveyResponse.objects.values("response_id").distinct().count() == 1


def test_shared_link_takes_many_submissions(client):
    link = make_link(make_wave("gp"))
    for _ in range(3):
        services.submit(link=link, answers=complete_answers("gp"))
    link.refresh_from_db()
    assert link.submissions == 3
    assert SurveyResponse.objects.values("response_id").distinct().count() == 3


def test_expired_link_is_refused(client):
    link = make_link(make_wave("gp"), expires_at=timezone.now() - dt.timedelta(minutes=1))
    response = client.get(url("surveys:start", token=link.token))
    assert response.status_code == 410
    assert "This survey link has expired" in response.content.decode()


def test_closed_wave_is_refused(client):
    today = timezone.localdate()
    wave = make_wave(
        "gp", opens_on=today - dt.timedelta(days=30), closes_on=today - dt.timedelta(days=1)
    )
    response = client.get(url("surveys:section", token=make_link(wave).token, number=1))
    assert response.status_code == 410
    assert "This survey closed on" in response.content.decode()


def test_wave_not_yet_open_is_refused(client):
    today = timezone.localdate()
    wave = make_wave(
        "gp", opens_on=today + dt.timedelta(days=2), closes_on=today + dt.timedelta(days=9)
    )
    response = client.get(url("surveys:start", token=make_link(wave).token))
    assert response.status_code == 410
    assert "not open yet" in response.content.decode()


def test_unknown_token_is_not_found(client):
    response = client.get(url("surveys:start", token="not-a-real-token"))
    assert response.status_code == 404
    assert "We cannot find this survey link" in response.content.decode()


def test_missing_answers_show_the_nhs_error_summary(client):
    link = make_link(make_wave("gp"))
    response = client.post(
        url("surveys:section", token=link.token, number=1), {"action": "continue"}
    )
    html = response.content.decode()
    assert response.status_code == 200
    assert "nhsuk-error-summary" in html
    assert 'href="#q-relationship_asc"' in html
    assert 'id="q-relationship_asc"' in html
    assert "<title>Error:" in html
    assert not SurveyResponse.objects.exists()


def test_fields_that_are_not_questions_are_ignored(client):
    link = make_link(make_wave("gp"))
    posts = section_posts("gp", complete_answers("gp"))
    posts[0]["organisation"] = "Z99999"
    posts[0]["respondent_id"] = "someone"
    for number, data in enumerate(posts, start=1):
        client.post(
            url("surveys:section", token=link.token, number=number), {**data, "action": "continue"}
        )
    assert set(SurveyResponse.objects.values_list("organisation", flat=True)) == {"A81001"}
    assert not SurveyResponse.objects.filter(question_id__in=["organisation", "respondent_id"])


def test_save_and_resume_from_another_device(client, django_user_model):
    from django.test import Client

    link = make_link(make_wave("gp"))
    first = section_posts("gp", complete_answers("gp"))[0]
    saved = client.post(
        url("surveys:section", token=link.token, number=1), {**first, "action": "save"}
    )
    assert saved["Location"] == f"/s/{link.token}/saved/"
    page = client.get(saved["Location"]).content.decode()
    draft = Draft.objects.get()
    assert draft.resume_code in page
    assert f"/s/{link.token}/resume/{draft.resume_code}/" in page

    other_device = Client()
    resumed = other_device.get(
        url("surveys:resume", token=link.token, code=draft.resume_code.lower())
    )
    assert resumed.status_code == 302
    assert resumed["Location"] == f"/s/{link.token}/section/1/"
    again = other_device.get(resumed["Location"]).content.decode()
    assert 'value="' + first["relationship_asc"] + '" checked' in again


def test_resume_code_typed_on_the_front_page(client):
    link = make_link(make_wave("gp"))
    draft = services.save_draft(
        link=link, answers={"relationship_asc": "4"}, section=2, resume_code=None
    )
    response = client.get(
        url("surveys:resume-lookup", token=link.token),
        {"code": draft.resume_code.replace("-", " ")},
    )
    assert response["Location"] == f"/s/{link.token}/section/2/"


def test_unknown_resume_code_says_so(client):
    link = make_link(make_wave("gp"))
    response = client.get(url("surveys:resume", token=link.token, code="AAAA-BBBB-CCCC"))
    assert response.status_code == 404
    assert "We cannot find your saved answers" in response.content.decode()


def test_resume_code_only_works_with_its_own_link(client):
    wave = make_wave("gp")
    mine, other = make_link(wave), make_link(wave, organisation="A81002")
    draft = services.save_draft(
        link=mine, answers={"relationship_asc": "4"}, section=1, resume_code=None
    )
    elsewhere = url("surveys:resume", token=other.token, code=draft.resume_code)
    assert client.get(elsewhere).status_code == 404


def test_session_keeps_answers_between_pages(client):
    link = make_link(make_wave("gp"))
    first = section_posts("gp", complete_answers("gp"))[0]
    client.post(url("surveys:section", token=link.token, number=1), {**first, "action": "continue"})
    back = client.get(url("surveys:section", token=link.token, number=1)).content.decode()
    assert 'value="' + first["relationship_asc"] + '" checked' in back
    start = client.get(url("surveys:start", token=link.token)).content.decode()
    assert "Continue where you left off" in start


def test_skipping_to_the_last_page_sends_back_to_the_incomplete_one(client):
    link = make_link(make_wave("gp"))
    last = section_posts("gp", complete_answers("gp"))[-1]
    response = client.post(
        url("surveys:section", token=link.token, number=4), {**last, "action": "continue"}
    )
    assert response["Location"] == f"/s/{link.token}/section/1/?check=1"
    page = client.get(response["Location"]).content.decode()
    assert "nhsuk-error-summary" in page
    assert not SurveyResponse.objects.exists()


def test_resume_codes_are_unguessable_and_readable():
    codes = {services.new_resume_code() for _ in range(200)}
    assert len(codes) == 200
    for code in codes:
        assert len(code) == 14 and code.count("-") == 2
        assert not set(code) & set("01ILO")
    assert len(services.new_token()) >= 32
