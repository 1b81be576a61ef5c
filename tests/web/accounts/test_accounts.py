"""Accounts: leads manage their council's users, anyone changes their password, admins all."""

from __future__ import annotations

import io
import re

import pytest
from django.contrib.auth import get_user_model
from tests.web.factories import UserFactory, make_user
from tests.web.paths import url

from careties.web.accounts.models import Membership, Role
from careties.web.store.models import AuditEntry

pytestmark = pytest.mark.django_db
HOME, OTHER = "E06000001", "E06000002"
STRONG = "correct-horse-battery-staple-7"


@pytest.fixture
def people():
    return {
        "lead": make_user("lead-home", Role.COUNCIL_LEAD, la_codes=[HOME]),
        "other_lead": make_user("lead-other", Role.COUNCIL_LEAD, la_codes=[OTHER]),
        "other_analyst": make_user("analyst-other", Role.COUNCIL_ANALYST, la_codes=[OTHER]),
        "regional": make_user("regional", Role.REGIONAL, la_codes=[HOME, OTHER]),
        "admin": make_user("root", Role.SYSTEM_ADMIN, la_codes=[]),
        "practice": make_user("gp", Role.PRACTICE, la_codes=[HOME], practice_code="A81001"),
    }


def _invite(client, **data):
    return client.post(
        url("accounts:users"), {"username": "new-analyst", "role": "council_analyst", **data}
    )


def test_a_lead_invites_a_user_who_sets_a_password_under_the_policy(client, people):
    client.force_login(people["lead"])
    page = _invite(client).content.decode()
    link = re.search(r"<code>https?://[^/]+(/accounts/set-password/[^<]+)</code>", page).group(1)
    new = get_user_model().objects.get(username="new-analyst")
    assert new.membership.role == Role.COUNCIL_ANALYST and new.membership.la_codes == [HOME]
    assert not new.has_usable_password()
    client.logout()
    form = client.get(link, follow=True)
    set_url = form.redirect_chain[-1][0] if form.redirect_chain else link
    weak = client.post(set_url, {"new_password1": "password123", "new_password2": "password123"})
    assert weak.status_code == 200 and "There is a problem" in weak.content.decode()
    done = client.post(set_url, {"new_password1": STRONG, "new_password2": STRONG})
    assert done.status_code == 302
    new.refresh_from_db()
    assert new.check_password(STRONG)
    assert client.get(link, follow=True).status_code == 200  # used: the link no longer works
    assert "has expired or been used" in client.get(set_url).content.decode()


def test_a_lead_cannot_give_other_roles_or_other_councils(client, people):
    client.force_login(people["lead"])
    for role in ("system_admin", "regional"):
        assert _invite(client, role=role).status_code == 400
    _invite(client, la_codes=OTHER)  # an admin-only field: ignored for a lead
    assert Membership.objects.get(user__username="new-analyst").la_codes == [HOME]
    assert not get_user_model().objects.filter(is_superuser=True, username="new-analyst").exists()


def test_a_lead_removes_only_their_own_councils_users(client, people):
    client.force_login(people["lead"])
    page = client.get(url("accounts:users")).content.decode()
    assert "gp" in page and "analyst-other" not in page and "root" not in page
    for target in ("other_analyst", "admin", "regional", "other_lead"):
        response = client.post(url("accounts:remove", pk=people[target].pk))
        assert response.status_code == 403, target
        people[target].refresh_from_db()
        assert people[target].is_active
    assert client.get(url("accounts:remove", pk=people["practice"].pk)).status_code == 405
    assert client.post(url("accounts:remove", pk=people["practice"].pk)).status_code == 302
    people["practice"].refresh_from_db()
    assert not people["practice"].is_active and not people["practice"].has_usable_password()
    assert not Membership.objects.filter(user=people["practice"]).exists()
    assert AuditEntry.objects.filter(what="user gp removed", la_code=HOME).exists()


def test_a_lead_cannot_take_over_an_account_that_has_a_password(client, people):
    client.force_login(people["lead"])
    assert client.post(url("accounts:new_link", pk=people["practice"].pk)).status_code == 403


def test_other_roles_cannot_open_user_management(client, people):
    for name in ("practice", "regional", "other_analyst"):
        client.force_login(people[name])
        assert client.get(url("accounts:users")).status_code == 403, name
        assert (
            client.post(
                url("accounts:users"), {"username": "x1", "role": "system_admin"}
            ).status_code
            == 403
        )


def test_an_admin_manages_every_council(client, people):
    client.force_login(people["admin"])
    assert _invite(client, role="regional", la_codes=f"{HOME} {OTHER}").status_code == 200
    assert Membership.objects.get(user__username="new-analyst").la_codes == [HOME, OTHER]
    assert client.post(url("accounts:remove", pk=people["other_lead"].pk)).status_code == 302
    assert client.post(url("accounts:remove", pk=people["admin"].pk)).status_code == 403


def test_anyone_changes_their_own_password_under_the_policy(client, people):
    user = people["practice"]
    client.force_login(user)
    old = "a-long-test-password-1"
    weak = client.post(
        url("accounts:password"),
        {"old_password": old, "new_password1": "gp", "new_password2": "gp"},
    )
    assert weak.status_code == 200
    done = client.post(
        url("accounts:password"),
        {"old_password": old, "new_password1": STRONG, "new_password2": STRONG},
    )
    assert done.status_code == 302
    user.refresh_from_db()
    assert user.check_password(STRONG)
    assert AuditEntry.objects.filter(what="own password changed", username="gp").exists()


def test_the_users_command_adds_the_first_administrator(monkeypatch, capsys):
    from careties.cli import main

    monkeypatch.setattr("sys.stdin", io.StringIO("short\n"))
    assert main(["users", "add", "alice", "--role", "system_admin", "--password-stdin"]) == 1
    assert "password refused" in capsys.readouterr().err
    monkeypatch.setattr("sys.stdin", io.StringIO(STRONG + "\n"))
    assert main(["users", "add", "alice", "--role", "system_admin", "--password-stdin"]) == 0
    alice = get_user_model().objects.get(username="alice")
    assert alice.check_password(STRONG) and alice.membership.role == Role.SYSTEM_ADMIN
    assert main(["users", "remove", "alice"]) == 0
    alice.refresh_from_db()
    assert not alice.is_active


def test_production_refuses_a_store_with_the_demo_accounts():
    from careties.cli import CommandError
    from careties.commands.demo import DEMO_PASSWORD_SUFFIX
    from careties.commands.serve import refuse_demo_accounts

    refuse_demo_accounts()  # none yet
    UserFactory(username="lead", password=f"lead{DEMO_PASSWORD_SUFFIX}")
    with pytest.raises(CommandError, match="demo accounts \\(lead\\)"):
        refuse_demo_accounts()


def test_the_demo_listens_on_loopback_unless_told(monkeypatch):
    from careties.cli import build_parser

    monkeypatch.delenv("CARETIES_BIND", raising=False)
    import importlib

    import careties.commands.demo as demo

    importlib.reload(demo)
    args = build_parser().parse_args(["demo", "--no-serve"])
    assert args.bind.startswith("127.0.0.1:")


def test_the_header_offers_users_to_leads_and_admins_only(client, people):
    client.force_login(people["lead"])
    assert 'href="/accounts/users/"' in client.get(url("accounts:password")).content.decode()
    client.force_login(people["practice"])
    page = client.get(url("accounts:password")).content.decode()
    assert 'href="/accounts/users/"' not in page and 'href="/accounts/password/"' in page
