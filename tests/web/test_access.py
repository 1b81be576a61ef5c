"""Roles: each role sees what issue 7 says, and no more."""

from __future__ import annotations

import pytest

from careties.web import access
from careties.web.accounts.models import Role

from .factories import make_user

pytestmark = pytest.mark.django_db

HOME = "E06000001"
OTHER = "E06000002"


def test_council_roles_see_only_their_council():
    for role in (Role.COUNCIL_LEAD, Role.COUNCIL_ANALYST):
        user = make_user(f"u-{role}", role, la_codes=[HOME])
        assert access.can_view_council(user, HOME)
        assert not access.can_view_council(user, OTHER)
        assert access.sees_small_numbers(user, HOME)
        assert not access.sees_small_numbers(user, OTHER)


def test_practice_user_sees_own_practice_only():
    user = make_user("gp", Role.PRACTICE, la_codes=[HOME], practice_code="A81001")
    assert access.can_view_practice(user, ("A81001", HOME))
    assert not access.can_view_practice(user, ("A81002", HOME))
    assert not access.sees_small_numbers(user, HOME)


def test_regional_users_see_several_councils_but_suppressed():
    user = make_user("reg", Role.REGIONAL, la_codes=[HOME, OTHER])
    assert access.councils_in_scope(user, [HOME, OTHER, "E06000003"]) == [HOME, OTHER]
    assert not access.sees_small_numbers(user, HOME)
    assert not access.can_view_practice(user, ("A81001", HOME))


def test_social_worker_logs_contacts_and_sees_no_free_text():
    user = make_user("sw", Role.SOCIAL_WORKER, la_codes=[HOME], team_code="ASC-NORTH")
    assert access.can_log_contacts(user)
    assert not access.can_see_free_text(user, HOME)


def test_anonymous_and_roleless_users_see_nothing():
    from django.contrib.auth.models import AnonymousUser, User

    roleless = User.objects.create_user("nobody", password="x-long-password-9")
    for user in (AnonymousUser(), roleless):
        assert not access.can_view_council(user, HOME)
        assert access.councils_in_scope(user, [HOME]) == []
