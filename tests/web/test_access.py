"""Roles: each role sees what issue 7 says, and no more."""

from __future__ import annotations

import pytest
import rules
from tests.web.paths import url

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
    from django.contrib.auth.models import AnonymousUser

    roleless = make_user("nobody", None)
    for user in (AnonymousUser(), roleless):
        assert not access.can_view_council(user, HOME)
        assert access.councils_in_scope(user, [HOME]) == []


# Every view declares its permission (issue 20) -------------------------------------------

#: Views that check access in their own body, each for a reason; everything else declares
#: a rules permission with ``access.requires`` or is ``access.public``.
CHECKED_IN_THE_VIEW = {
    "home": "any logged-in user: it lists only the councils in their scope",
    "login": "public: Django's log-in",
    "logout": "public: Django's log-out",
    "accounts:set_password": "public: an invited user's one-time link (the token is the key)",
}


def _views(patterns, namespace: str = ""):
    from django.urls import URLPattern, URLResolver

    for pattern in patterns:
        if isinstance(pattern, URLResolver):
            inner = f"{namespace}{pattern.namespace}:" if pattern.namespace else namespace
            yield from _views(pattern.url_patterns, inner)
        elif isinstance(pattern, URLPattern):
            yield f"{namespace}{pattern.name or pattern.pattern}", pattern.callback


def test_every_url_declares_a_rules_permission_or_is_public():
    from django.urls import get_resolver

    undeclared = []
    for name, view in _views(get_resolver().url_patterns):
        declared = getattr(view, "careties_permissions", ())
        public = getattr(view, "careties_public", False)
        if name in CHECKED_IN_THE_VIEW or public:
            continue
        if not declared:
            undeclared.append(name)
            continue
        for perm in declared:
            assert rules.perm_exists(perm), f"{name} declares {perm}, which is not a rule"
    assert undeclared == [], ", ".join(undeclared)


#: Who holds each programme, survey and BCF permission for HOME (issue 7's roles).
AREA_PERMISSIONS = {
    "careties.manage_programme": {Role.SYSTEM_ADMIN, Role.COUNCIL_LEAD, Role.COUNCIL_ANALYST},
    "careties.view_programme": {
        Role.SYSTEM_ADMIN,
        Role.COUNCIL_LEAD,
        Role.COUNCIL_ANALYST,
        Role.REGIONAL,
    },
    "careties.log_activities": {
        Role.SYSTEM_ADMIN,
        Role.COUNCIL_LEAD,
        Role.COUNCIL_ANALYST,
        Role.SOCIAL_WORKER,
    },
    "careties.use_directory": set(Role.values),
    "careties.record_signposts": {Role.PRACTICE},
    "careties.view_signposts": {
        Role.SYSTEM_ADMIN,
        Role.COUNCIL_LEAD,
        Role.COUNCIL_ANALYST,
        Role.PRACTICE,
    },
    "careties.manage_surveys": {Role.SYSTEM_ADMIN, Role.COUNCIL_LEAD, Role.COUNCIL_ANALYST},
    "careties.view_bcf": {Role.SYSTEM_ADMIN, Role.COUNCIL_LEAD, Role.COUNCIL_ANALYST},
    "careties.plan_bcf": {Role.SYSTEM_ADMIN, Role.COUNCIL_LEAD},
    "careties.upload_data": {Role.SYSTEM_ADMIN, Role.COUNCIL_LEAD, Role.COUNCIL_ANALYST},
}


@pytest.mark.parametrize("role", Role.values)
def test_each_role_holds_the_area_permissions_issue_7_gives_it(role):
    user = make_user(f"r-{role}", role, la_codes=[HOME], practice_code="A81001", team_code="T1")
    outsider = make_user(f"o-{role}", role, la_codes=[OTHER], practice_code="B82001")
    for perm, holders in AREA_PERMISSIONS.items():
        assert user.has_perm(perm, HOME) == (role in holders), (role, perm)
        if role != Role.SYSTEM_ADMIN:  # an admin's scope is every council
            assert not outsider.has_perm(perm, HOME), (role, perm, "other council")


@pytest.mark.parametrize("role", Role.values)
def test_admins_and_one_council_leads_manage_users_and_everyone_changes_their_password(role):
    user = make_user(f"m-{role}", role, la_codes=[HOME], practice_code="A81001", team_code="T1")
    manages = role in {Role.SYSTEM_ADMIN, Role.COUNCIL_LEAD}
    assert user.has_perm("careties.manage_users") == manages
    assert user.has_perm("careties.change_password")
    if role == Role.COUNCIL_LEAD:  # a lead of two councils manages no one
        two = make_user("lead-of-two", role, la_codes=[HOME, OTHER])
        assert not two.has_perm("careties.manage_users")


def test_anonymous_users_hold_neither_account_permission():
    from django.contrib.auth.models import AnonymousUser

    assert not AnonymousUser().has_perm("careties.manage_users")
    assert not AnonymousUser().has_perm("careties.change_password")


def test_requires_refuses_with_403_and_asks_the_stronger_permission_on_post(rf):
    from django.core.exceptions import PermissionDenied

    @access.requires("careties.view_bcf", lambda request: HOME, on_post="careties.plan_bcf")
    def view(request):
        return "done"

    analyst = make_user("an", Role.COUNCIL_ANALYST, la_codes=[HOME])
    get, post = rf.get(url("home")), rf.post(url("home"))
    get.user = post.user = analyst
    assert view(get) == "done"
    with pytest.raises(PermissionDenied):
        view(post)  # the analyst reads the BCF return; only the lead writes it
    assert view.careties_permissions == ("careties.view_bcf", "careties.plan_bcf")
