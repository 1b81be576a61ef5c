"""Programme writes in the styleguide form: keyword-only, one transaction, audited (issue 20)."""

from __future__ import annotations

import datetime as dt

import pytest
from tests.web.factories import make_user
from tests.web.writes import test_every_write_takes_keyword_arguments_only  # noqa: F401 - for WRITES

from careties.web.accounts.models import Role
from careties.web.programme import places, services
from careties.web.programme.models import Activity, Programme
from careties.web.store.models import AuditEntry

pytestmark = pytest.mark.django_db

HOME = "E06000001"
WRITES = (
    services.save_programme,
    services.save_signature,
    services.save_action_item,
    services.sync_activity_contacts,
    services.save_activity,
    services.delete_activity,
    services.record_signpost,
    services.save_service,
    services.import_directory,
    places.load_postcodes,
    places.set_location,
)


def test_programme_settings_are_audited_with_the_user(council_lead):
    services.save_programme(
        la_code=HOME,
        start_date=dt.date(2026, 1, 1),
        targeted=["A81002", "A81001"],
        user=council_lead,
    )
    assert Programme.objects.get(la_code=HOME).targeted_practices == ["A81001", "A81002"]
    entry = AuditEntry.objects.get(what="programme settings")
    assert (entry.user, entry.la_code) == (council_lead, HOME)
    assert "2 targeted practices" in entry.detail


def test_an_activity_whose_mirror_fails_is_not_kept(monkeypatch):
    def mirror_fails(**kwargs):
        raise RuntimeError("the contacts store refused the mirror")

    monkeypatch.setattr(services, "sync_activity_contacts", mirror_fails)
    activity = Activity(
        la_code=HOME,
        kind=Activity.Kind.CONTACT_VISIT,
        activity_date=dt.date(2026, 3, 1),
        gp_professional_id="GP00001",
        staff_professional_id="SW00001",
        minutes=30,
    )
    with pytest.raises(RuntimeError):
        services.save_activity(
            activity=activity, user=make_user("sw", Role.SOCIAL_WORKER, la_codes=[HOME])
        )
    assert Activity.objects.count() == 0
    assert not AuditEntry.objects.filter(what__startswith="activity").exists()
