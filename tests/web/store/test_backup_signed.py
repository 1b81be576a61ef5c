"""Whole, signed backups: every table comes back; an edited backup brings nothing in."""

from __future__ import annotations

import hashlib
import json

import polars as pl
import pytest
from django.core import serializers

from careties.data.frames import CANONICAL
from careties.web import selectors
from careties.web.store.backup import BackupError, _signature, export_all, import_all
from careties.web.store.models import MODEL_FOR_KIND, AuditEntry, CareEvent
from careties.web.store.tables import backed_up_models, label
from careties.web.surveys.models import Wave

from .stores import A, B, checksums, load_council, row_counts

pytestmark = pytest.mark.django_db
KEY = b"careties-development-backup-key-not-for-real-data"


@pytest.fixture
def two_councils():
    load_council(A, "A")
    load_council(B, "B")


def _everything() -> dict[str, object]:
    """Every table's content: data kinds by value (ids are internal), the rest with their ids."""
    state: dict[str, object] = {
        kind: selectors.load_frame(kind, include_source=True).sort(pl.all()).rows()
        for kind in MODEL_FOR_KIND
    }
    store = set(MODEL_FOR_KIND.values())
    for model in backed_up_models():
        if model in store:
            continue
        rows = json.loads(serializers.serialize("json", model.objects.order_by("pk")))
        state[label(model)] = rows
    return state


def _wipe() -> None:
    for model in reversed(backed_up_models()):
        model.objects.all().delete()


def test_export_wipe_import_gives_back_every_table_users_and_audit_log_included(
    two_councils, tmp_path
):
    before = _everything()
    manifest = export_all(tmp_path)
    assert {
        "auth.user",
        "accounts.membership",
        "store.auditentry",
        "surveys.wave",
        "surveys.link",
        "surveys.draft",
        "surveys.freetextcomment",
        "surveys.columnmapping",
        "programme.activity",
        "programme.pledgesignature",
        "programme.orukoriginal",
        "programme.programme",
    } <= set(manifest["tables"])
    _wipe()
    assert CareEvent.objects.count() == 0 and Wave.objects.count() == 0
    import_all(tmp_path)
    after = _everything()
    restored_note = after["store.auditentry"].pop(-1)  # the restore itself is audited
    assert "backup restored" in restored_note["fields"]["what"]
    for table in before:
        assert after[table] == before[table], table


def test_restoring_one_council_leaves_the_other_exactly_as_it_was(two_councils, tmp_path):
    export_all(tmp_path, la_code=A)
    a_backed_up = checksums(A)
    CareEvent.objects.filter(la_code=A).delete()  # the loss the backup is for
    Wave.objects.filter(la_code=A).delete()
    b_before = checksums(B)
    counts = import_all(tmp_path)
    assert counts["events"] == 6 and counts["surveys.wave"] == 1
    assert checksums(B) == b_before
    assert row_counts(A) == {**row_counts(A), "store.careevent": 6, "surveys.wave": 1}
    restored = checksums(A)
    for table in ("surveys.wave", "surveys.link", "programme.activity", "accounts.membership"):
        assert restored[table] == a_backed_up[table], table


def test_one_councils_backup_holds_nothing_of_another(two_councils, tmp_path):
    export_all(tmp_path, la_code=A)
    text = "".join(p.read_text(errors="ignore") for p in (tmp_path / "tables").iterdir())
    assert B not in text and "lead-b" not in text
    for kind in MODEL_FOR_KIND:
        frame = pl.read_parquet(tmp_path / f"{kind}.parquet")
        if "la_code" in frame.columns:
            assert set(frame["la_code"]) <= {A}, kind


def _resign(directory, edit) -> None:
    """What an attacker without the key can do: change a file and recompute its checksum."""
    manifest = json.loads((directory / "manifest.json").read_text())
    edit(manifest)
    (directory / "manifest.json").write_text(json.dumps(manifest))


def _rehash(manifest, directory, kind):
    path = directory / f"{kind}.parquet"
    manifest["kinds"][kind]["sha256"] = hashlib.sha256(path.read_bytes()).hexdigest()


def _edit_events(directory, change, *, sign: bool):
    frame = pl.read_parquet(directory / "events.parquet")
    change(frame).write_parquet(directory / "events.parquet")

    def edit(manifest):
        _rehash(manifest, directory, "events")
        manifest["kinds"]["events"]["rows"] = pl.read_parquet(directory / "events.parquet").height
        if sign:  # an attacker who holds the key: the row checks must still refuse it
            manifest["signature"] = _signature(manifest, KEY)

    _resign(directory, edit)


def test_a_backup_edited_and_rehashed_without_the_key_is_refused(two_councils, tmp_path):
    export_all(tmp_path, la_code=A)
    _edit_events(
        tmp_path, lambda f: f.with_columns(pl.lit(30).cast(pl.Int64).alias("age")), sign=False
    )
    before = checksums(A)
    with pytest.raises(BackupError, match="signature does not match"):
        import_all(tmp_path)
    assert checksums(A) == before


def test_a_backup_signed_with_another_key_is_refused(two_councils, tmp_path, monkeypatch):
    monkeypatch.setenv("CARETIES_BACKUP_KEY", "k" * 40)
    export_all(tmp_path)
    monkeypatch.setenv("CARETIES_BACKUP_KEY", "x" * 40)
    with pytest.raises(BackupError, match="signature"):
        import_all(tmp_path)


@pytest.mark.parametrize(
    ("change", "reason"),
    [
        (lambda f: f.with_columns(pl.lit('=HYPERLINK("x")').alias("event_outcome")), "formula"),
        (
            lambda f: f.with_columns(pl.lit("<script>alert(1)</script>").alias("event_outcome")),
            "markup",
        ),
        (lambda f: f.with_columns(pl.lit(-5).cast(pl.Int64).alias("age")), "outside"),
        (lambda f: f.with_columns(pl.lit(B).alias("la_code")), "another council"),
        (lambda f: f.with_columns(pl.lit("burgle").alias("event_type")), "codes"),
        (lambda f: f.with_columns(pl.col("age").cast(pl.String)), "types"),
    ],
)
def test_every_restored_row_is_checked_against_its_contract(two_councils, tmp_path, change, reason):
    export_all(tmp_path, la_code=A)
    _edit_events(tmp_path, change, sign=True)
    before, other = checksums(A), checksums(B)
    with pytest.raises(BackupError, match=reason):
        import_all(tmp_path)
    assert checksums(A) == before and checksums(B) == other


def test_restored_tables_are_checked_too(two_councils, tmp_path):
    export_all(tmp_path, la_code=A)
    path = tmp_path / "tables" / "surveys.wave.json"
    rows = json.loads(path.read_text())
    rows[0]["fields"]["instrument"] = "<img src=x>"
    path.write_text(json.dumps(rows))

    def edit(manifest):
        manifest["tables"]["surveys.wave"]["sha256"] = hashlib.sha256(path.read_bytes()).hexdigest()
        manifest["signature"] = _signature(manifest, KEY)

    _resign(tmp_path, edit)
    with pytest.raises(BackupError, match="surveys.wave row 1"):
        import_all(tmp_path)


@pytest.mark.parametrize(
    "manifest",
    [
        b"[]",
        b"{not json",
        b"\xff\xfe",
        b'{"format": "careties-backup-2"}',
        b"1" * 10,
        b'{"format": "careties-backup-2", "kinds": {"events": 3}, "tables": {}}',
        b'{"format": "careties-backup-2", "kinds": {}, "tables": {}, "la_code": "../x"}',
        b"[" * 100_000,
    ],
)
def test_a_malformed_manifest_gives_a_clear_error(tmp_path, manifest):
    (tmp_path / "manifest.json").write_bytes(manifest)
    with pytest.raises(BackupError, match="manifest.json"):
        import_all(tmp_path)


def test_unknown_kinds_and_tables_cannot_name_other_files(two_councils, tmp_path):
    export_all(tmp_path)

    def edit(manifest):
        manifest["tables"]["../../etc/passwd"] = {"rows": 1, "sha256": "0" * 64}
        manifest["signature"] = _signature(manifest, KEY)

    _resign(tmp_path, edit)
    with pytest.raises(BackupError, match="unknown table"):
        import_all(tmp_path)


def test_backups_need_a_key_outside_test_data(tmp_path, settings, monkeypatch):
    settings.CARETIES_TEST_DATA = False
    monkeypatch.delenv("CARETIES_TEST_DATA", raising=False)
    monkeypatch.delenv("CARETIES_BACKUP_KEY", raising=False)
    with pytest.raises(BackupError, match="CARETIES_BACKUP_KEY is not set"):
        export_all(tmp_path)
    monkeypatch.setenv("CARETIES_BACKUP_KEY", "short")
    with pytest.raises(BackupError, match="too short"):
        export_all(tmp_path)


def test_a_development_signed_backup_is_refused_by_a_real_store(
    two_councils, tmp_path, settings, monkeypatch
):
    export_all(tmp_path)
    settings.CARETIES_TEST_DATA = False
    monkeypatch.setenv("CARETIES_BACKUP_KEY", "careties-development-backup-key-not-for-real-data")
    with pytest.raises(BackupError, match="development key"):
        import_all(tmp_path)


def test_the_command_reports_a_bad_backup_without_a_traceback(tmp_path, capsys):
    from careties.cli import main

    (tmp_path / "manifest.json").write_text("[]")
    code = main(["import-all", str(tmp_path)])
    err = capsys.readouterr().err
    assert code != 0 and "nothing restored" in err and "Traceback" not in err
    assert AuditEntry.objects.filter(what__startswith="backup restored").count() == 0
    assert set(CANONICAL) >= set(MODEL_FOR_KIND)


def test_timestamps_come_back_to_the_microsecond(two_councils, tmp_path):
    """Django's JSON keeps milliseconds; a backup must give back the exact instant."""
    import datetime as dt

    from careties.web.store.models import ImportBatch

    exact = dt.datetime(2026, 12, 2, 9, 8, 16, 123, tzinfo=dt.UTC)  # 0 ms, 123 microseconds
    ImportBatch.objects.update(created_at=exact)
    export_all(tmp_path)
    _wipe()
    import_all(tmp_path)
    assert set(ImportBatch.objects.values_list("created_at", flat=True)) == {exact}
