"""The survey pages' shared declarations: whose rows a list shows, and actions answering POST only."""

from __future__ import annotations

import pytest
from django.urls import reverse

from careties.web.surveys.models import Wave
from careties.web.surveys.views.common import managed

from ..helpers import OTHER_COUNCIL, make_wave, user_for

pytestmark = pytest.mark.django_db


def test_managed_rows_are_the_users_councils_and_every_council_for_an_admin():
    home, other = make_wave(name="home"), make_wave(name="other", la_code=OTHER_COUNCIL)
    assert list(managed(Wave.objects.all(), user_for("lead"))) == [home]
    assert list(managed(Wave.objects.all(), user_for("other_lead"))) == [other]
    assert set(managed(Wave.objects.all(), user_for("admin"))) == {home, other}
    assert list(managed(Wave.objects.all(), user_for("practice"))) == []


@pytest.mark.parametrize("action", ["surveys:close", "surveys:reopen"])
def test_a_wave_action_logs_in_first_then_takes_only_a_post_from_its_own_council(client, action):
    wave = make_wave()
    url = reverse(action, args=[wave.pk])
    assert client.get(url)["Location"].startswith(reverse("login"))
    client.force_login(user_for("lead"))
    assert client.get(url).status_code == 405
    assert client.post(url).status_code == 302
    client.force_login(user_for("other_lead"))
    assert client.post(url).status_code == 403


def test_a_wave_page_names_no_wave_that_is_not_there(client):
    client.force_login(user_for("lead"))
    assert client.get(reverse("surveys:wave", args=[9999])).status_code == 404
