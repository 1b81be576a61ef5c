"""export-all and import-all round-trip the store exactly, or change nothing."""

from __future__ import annotations

import json

import polars as pl
import pytest
from tests.web.factories import councils, events

from careties.data.frames import KINDS
from careties.web import selectors
from careties.web.store.backup import BackupError, export_all, import_all
from careties.web.store.models import MODEL_FOR_KIND
from careties.web.store.services import import_frame

pytestmark = pytest.mark.django_db


def _snapshot() -> dict[str, pl.DataFrame]:
    return {kind: selectors.load_frame(kind, include_source=True).sort(pl.all()) for kind in KINDS}


def _clear() -> None:
    for model in MODEL_FOR_KIND.values():
        model.objects.all().delete()


def test_export_then_import_restores_every_row_exactly(tmp_path):
    import_frame(kind="local_authorities", frame=councils(), source="councils.csv")
    import_frame(kind="events", frame=events(4), source="events-q1.csv")
    import_frame(
        kind="events",
        frame=events(2).with_columns(pl.lit("B") + pl.col("event_reference")),
        source="events-q2.csv",
    )
    before = _snapshot()
    export_all(tmp_path)
    _clear()
    import_all(tmp_path)
    after = _snapshot()
    for kind in KINDS:
        assert after[kind].equals(before[kind]), kind


def test_a_tampered_backup_restores_nothing(tmp_path):
    import_frame(kind="events", frame=events(3), source="events.csv")
    export_all(tmp_path)
    _clear()
    with (tmp_path / "events.parquet").open("ab") as handle:
        handle.write(b"tampered")
    with pytest.raises(BackupError, match="checksum"):
        import_all(tmp_path)
    assert selectors.load_frame("events").height == 0


def test_a_directory_without_manifest_is_refused(tmp_path):
    with pytest.raises(BackupError, match="manifest"):
        import_all(tmp_path)


def test_manifest_counts_rows(tmp_path):
    import_frame(kind="local_authorities", frame=councils(), source="councils.csv")
    manifest = export_all(tmp_path)
    assert manifest["kinds"]["local_authorities"]["rows"] == 2
    assert json.loads((tmp_path / "manifest.json").read_text())["format"] == "careties-backup-2"
