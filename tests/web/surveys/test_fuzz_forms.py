"""Fuzzing the survey forms with hypothesis: whatever a browser (or anyone) posts
to a section page, the form answers with a page or a redirect, never a server
error, and only answers that pass the instrument's validation are ever stored.
"""

from __future__ import annotations

import itertools

import pytest
from django.test import Client
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from tests.web.paths import url

from careties.relations.surveys import load_instrument, validate_answers
from careties.web.store.models import SurveyResponse

from .helpers import make_link, make_wave

pytestmark = pytest.mark.django_db

INSTRUMENT = load_instrument("gp")
WAVE_NUMBERS = itertools.count()
QUESTION_IDS = [q.id for q in INSTRUMENT.questions]
VALUES = st.one_of(
    st.sampled_from([v for q in INSTRUMENT.questions for v, _ in q.options] or ["1"]),
    st.text(max_size=40),
    st.sampled_from(
        ["", "0", "6", "-1", "<script>alert(1)</script>", "=cmd|' /C calc'!A0", "\x00", "é" * 500]
    ),
)
POSTS = st.dictionaries(
    st.one_of(
        st.sampled_from(QUESTION_IDS + ["action", "csrfmiddlewaretoken", "code"]),
        st.text(max_size=10),
    ),
    st.one_of(VALUES, st.lists(VALUES, max_size=3)),
    max_size=12,
)


@settings(
    max_examples=60,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(posts=st.lists(st.tuples(st.integers(0, 8), POSTS), min_size=1, max_size=4))
def test_random_posts_never_fail_and_never_store_invalid_answers(posts):
    wave = make_wave("gp", name=f"fuzz-{next(WAVE_NUMBERS)}")
    link = make_link(wave, organisation="A81001")
    client = Client()
    client.get(url("surveys:start", token=link.token))
    for number, data in posts:
        response = client.post(url("surveys:section", token=link.token, number=number), data)
        assert response.status_code < 500
    stored = SurveyResponse.objects.filter(wave=wave.name)
    for response_id in stored.values_list("response_id", flat=True).distinct():
        answers = dict(stored.filter(response_id=response_id).values_list("question_id", "answer"))
        multi = {q.id for q in INSTRUMENT.questions if q.kind == "multi"}
        parsed = {k: (v.split(";") if k in multi else v) for k, v in answers.items()}
        assert validate_answers(INSTRUMENT, parsed) == {}


def test_a_posted_nul_character_is_refused_not_a_server_error():
    """Found by the fuzzer above on PostgreSQL, which cannot store NUL in text or JSON;
    careties.web.middleware now refuses any request carrying one."""
    wave = make_wave("gp", name=f"fuzz-{next(WAVE_NUMBERS)}")
    link = make_link(wave, organisation="A81001")
    client = Client()
    client.get(url("surveys:start", token=link.token))
    response = client.post(
        url("surveys:section", token=link.token, number=1),
        {"relationship_asc": "2\x00", "action": "save"},
    )
    assert response.status_code == 400


def test_a_nul_character_in_a_link_token_is_not_found():
    # The raw path is what is tested: reverse() would quote away the encoded NUL.
    assert Client().get("/s/abc%00def/").status_code == 400
