"""The published-file import in the styleguide form: keyword-only, one transaction, audited (issue 20)."""

from __future__ import annotations

import pytest
from tests.web.writes import test_every_write_takes_keyword_arguments_only  # noqa: F401 - for WRITES

from careties.web.benchmarks import services
from careties.web.benchmarks.models import PublishedAscof
from careties.web.store.models import AuditEntry

pytestmark = pytest.mark.django_db

WRITES = (services.import_benchmark,)
ROWS = (
    "Reporting_Period,LA_Code,LA_Name,Measure,Description,Group,Numerator,Denominator,Outcome\n"
    "2024-25,E10000019,Lincolnshire,ASCOF 2C,d,65+,56,213200,26.3\n"
)


def test_an_import_is_audited_against_the_user_who_made_it(tmp_path, council_lead):
    path = tmp_path / "ascof.csv"
    path.write_text(ROWS)
    stored = services.import_benchmark(kind="published_ascof", path=path, user=council_lead)
    assert stored == (1, 0)  # rows stored, rows replaced
    entry = AuditEntry.objects.get(action="import")
    assert (entry.user, entry.what, entry.detail) == (
        council_lead,
        "published_ascof from ascof.csv",
        "1 rows",
    )


def test_an_import_whose_audit_entry_fails_stores_nothing(monkeypatch, tmp_path):
    def fails(*args, **kwargs):
        raise RuntimeError("no audit, no change")

    monkeypatch.setattr(services, "record_audit", fails)
    path = tmp_path / "ascof.csv"
    path.write_text(ROWS)
    with pytest.raises(RuntimeError):
        services.import_benchmark(kind="published_ascof", path=path)
    assert not PublishedAscof.objects.exists()
