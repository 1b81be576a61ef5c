"""A backup written before an optional column existed still restores; an incompatible one does not.

Professionals' ``display_name`` (store migration 0005) was added after the first
backups were written: such a backup has no such column in professionals.parquet.
"""

from __future__ import annotations

import hashlib
import json

import polars as pl
import pytest

from careties.web import selectors
from careties.web.store.backup import BackupError, _signature, export_all, import_all
from careties.web.store.models import MODEL_FOR_KIND, AuditEntry
from careties.web.store.tables import backed_up_models

from .stores import A, B, load_council

pytestmark = pytest.mark.django_db
KEY = b"careties-development-backup-key-not-for-real-data"


@pytest.fixture
def two_councils():
    load_council(A, "A")
    load_council(B, "B")
    # The current store names its staff: the older backup's restore must empty the names.
    MODEL_FOR_KIND["professionals"].objects.update(display_name="Dr Named")


def _frames() -> dict[str, list]:
    return {
        kind: selectors.load_frame(kind, include_source=True).sort(pl.all()).rows(named=True)
        for kind in MODEL_FOR_KIND
    }


def _rewrite_professionals(directory, change) -> None:
    """Rewrite professionals.parquet and sign the manifest again (as an older version wrote it)."""
    path = directory / "professionals.parquet"
    change(pl.read_parquet(path)).write_parquet(path)
    manifest = json.loads((directory / "manifest.json").read_text())
    manifest["kinds"]["professionals"]["sha256"] = hashlib.sha256(path.read_bytes()).hexdigest()
    manifest["signature"] = _signature(manifest, KEY)
    (directory / "manifest.json").write_text(json.dumps(manifest))


def _wipe() -> None:
    for model in reversed(backed_up_models()):
        model.objects.all().delete()


def test_a_backup_without_display_name_restores_with_it_empty_and_says_so(two_councils, tmp_path):
    before = _frames()
    assert before["professionals"] and all(
        row["display_name"] == "Dr Named" for row in before["professionals"]
    )
    export_all(tmp_path)
    _rewrite_professionals(tmp_path, lambda f: f.drop("display_name"))
    _wipe()
    notes: list[str] = []
    counts = import_all(tmp_path, notes=notes)
    after = _frames()
    for kind in MODEL_FOR_KIND:
        if kind != "professionals":
            assert after[kind] == before[kind], kind
    expected = sorted(
        ({**row, "display_name": None} for row in before["professionals"]),
        key=lambda r: tuple(str(v) for v in r.values()),
    )
    restored = sorted(after["professionals"], key=lambda r: tuple(str(v) for v in r.values()))
    assert restored == expected
    assert counts["professionals"] == len(before["professionals"])
    assert len(notes) == 1 and "display_name" in notes[0] and "professionals" in notes[0]
    audit = AuditEntry.objects.filter(what__startswith="backup restored").get()
    assert "display_name" in audit.detail


def test_a_backup_missing_a_required_column_is_refused_and_nothing_changes(two_councils, tmp_path):
    export_all(tmp_path)
    before = _frames()
    _rewrite_professionals(tmp_path, lambda f: f.drop("role"))
    with pytest.raises(BackupError, match=r"missing columns \['role'\]"):
        import_all(tmp_path)
    assert _frames() == before


def test_a_backup_with_an_unknown_column_is_refused(two_councils, tmp_path):
    export_all(tmp_path)
    _rewrite_professionals(tmp_path, lambda f: f.with_columns(pl.lit("x").alias("grade")))
    with pytest.raises(BackupError, match=r"unknown columns \['grade'\]"):
        import_all(tmp_path)
