"""BCF plan writes in the styleguide form: keyword-only, one transaction, audited (issue 20)."""

from __future__ import annotations

import pytest
from tests.web.writes import test_every_write_takes_keyword_arguments_only  # noqa: F401 - for WRITES

from careties.bcf import metrics
from careties.web.bcf import services
from careties.web.bcf.models import Goal
from careties.web.store.models import AuditEntry

pytestmark = pytest.mark.django_db

HOME = "E06000001"
WRITES = (
    services.save_goals,
    services.add_relationship_metric,
    services.save_commentary,
    services.set_core20_weight,
)


def test_goals_are_saved_and_audited_and_unknown_lines_change_nothing(council_lead):
    key = sorted(metrics.HEADLINE_KEYS)[0]
    changed = services.save_goals(
        la_code=HOME,
        goals={(key, "2025-26 Q1"): 10.0, ("no-such-metric", "2025-26 Q1"): 3.0},
        user=council_lead,
    )
    assert changed == 1
    assert Goal.objects.get(la_code=HOME, metric=key, quarter="2025-26 Q1").goal == 10.0
    entry = AuditEntry.objects.get(what="BCF goals")
    assert (entry.user, entry.la_code, entry.detail) == (council_lead, HOME, "1 goals")


def test_goals_whose_audit_entry_fails_are_not_saved(monkeypatch, council_lead):
    def fails(*args, **kwargs):
        raise RuntimeError("no audit, no change")

    monkeypatch.setattr(services, "record_audit", fails)
    key = sorted(metrics.HEADLINE_KEYS)[0]
    with pytest.raises(RuntimeError):
        services.save_goals(
            la_code=HOME,
            goals={(key, "2025-26 Q1"): 10.0},
            user=council_lead,
        )
    assert Goal.objects.count() == 0
