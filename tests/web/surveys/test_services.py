"""Survey writes in the styleguide form: keyword-only, one transaction, audited (issue 20)."""

from __future__ import annotations

import pytest
from tests.web.writes import test_every_write_takes_keyword_arguments_only  # noqa: F401 - for WRITES

from careties.web.store.models import AuditEntry
from careties.web.surveys import administration, importing, services
from careties.web.surveys.models import ColumnMapping, Link, Wave

from .helpers import COUNCIL, make_wave, user_for

pytestmark = pytest.mark.django_db

WRITES = (
    services.save_wave,
    services.create_link,
    services.create_links,
    services.save_draft,
    services.purge_drafts,
    services.submit,
    administration.invite,
    administration.mark_reminded,
    administration.close_wave,
    administration.reopen_wave,
    importing.create_mapping,
    importing.update_columns,
    importing.update_values,
    importing.import_csv,
)


def test_saving_a_wave_writes_who_did_it_to_the_audit_log():
    lead = user_for("lead")
    wave = make_wave()
    wave.name = "2026-W1"
    services.save_wave(wave=wave, user=lead)
    entry = AuditEntry.objects.get(what__contains="2026-W1")
    assert (entry.user, entry.la_code, entry.action) == (lead, COUNCIL, "change")


def test_links_are_made_all_or_none(monkeypatch):
    wave = make_wave()
    real = services.record_audit
    calls = []

    def audit_fails_on_the_third(*args, **kwargs):
        calls.append(args)
        if len(calls) == 3:
            raise RuntimeError("the audit log is full")
        return real(*args, **kwargs)

    monkeypatch.setattr(services, "record_audit", audit_fails_on_the_third)
    with pytest.raises(RuntimeError):
        services.create_links(
            wave=wave, organisations=["A81001", "A81002", "A81003"], single_use=True, user=None
        )
    assert Link.objects.filter(wave=wave).count() == 0


def test_a_wave_whose_audit_entry_fails_is_not_saved(monkeypatch):
    def fails(*args, **kwargs):
        raise RuntimeError("no audit, no change")

    monkeypatch.setattr(services, "record_audit", fails)
    wave = Wave(
        la_code=COUNCIL,
        instrument="gp",
        name="never",
        opens_on=make_wave().opens_on,
        closes_on=make_wave(name="x").closes_on,
    )
    with pytest.raises(RuntimeError):
        services.save_wave(wave=wave, user=user_for("lead"))
    assert not Wave.objects.filter(name="never").exists()


def test_a_mapping_whose_audit_entry_fails_is_not_created(monkeypatch):
    def fails(*args, **kwargs):
        raise RuntimeError("no audit, no change")

    monkeypatch.setattr(importing, "record_audit", fails)
    with pytest.raises(RuntimeError):
        importing.create_mapping(
            name="never",
            la_code=COUNCIL,
            instrument="gp",
            sample=b"Practice,Q1\nA81001,Yes\n",
            user=user_for("lead"),
        )
    assert not ColumnMapping.objects.filter(name="never").exists()
