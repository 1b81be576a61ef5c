"""Account changes in the styleguide form: keyword-only, one transaction, audited (issue 20)."""

from __future__ import annotations

import pytest
from django.contrib.auth import get_user_model
from tests.web.factories import make_user
from tests.web.writes import test_every_write_takes_keyword_arguments_only  # noqa: F401 - for WRITES

from careties.web.accounts import services
from careties.web.accounts.models import Membership, Role
from careties.web.store.models import AuditEntry

pytestmark = pytest.mark.django_db

HOME = "E06000001"
WRITES = (services.invite, services.remove)


def test_an_invitation_is_audited_against_the_lead_and_their_council(council_lead):
    made = services.invite(
        actor=council_lead, username="new-analyst", role=Role.COUNCIL_ANALYST, la_codes=[HOME]
    )
    assert not made.user.has_usable_password()
    assert made.path.startswith("/accounts/set-password/")
    entry = AuditEntry.objects.get(what__startswith="user new-analyst added")
    assert (entry.user, entry.la_code) == (council_lead, HOME)


def test_an_invitation_whose_audit_entry_fails_makes_no_account(monkeypatch, council_lead):
    def fails(*args, **kwargs):
        raise RuntimeError("no audit, no change")

    monkeypatch.setattr(services, "record_audit", fails)
    with pytest.raises(RuntimeError):
        services.invite(
            actor=council_lead, username="new-analyst", role=Role.COUNCIL_ANALYST, la_codes=[HOME]
        )
    assert not get_user_model().objects.filter(username="new-analyst").exists()


def test_a_removal_whose_audit_entry_fails_leaves_the_account_as_it_was(monkeypatch, council_lead):
    analyst = make_user("analyst", Role.COUNCIL_ANALYST, la_codes=[HOME])

    def fails(*args, **kwargs):
        raise RuntimeError("no audit, no change")

    monkeypatch.setattr(services, "record_audit", fails)
    with pytest.raises(RuntimeError):
        services.remove(actor=council_lead, target=analyst)
    analyst.refresh_from_db()
    assert analyst.is_active and Membership.objects.filter(user=analyst).exists()
