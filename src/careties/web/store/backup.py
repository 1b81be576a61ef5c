"""Whole backups: every table, for the whole store or one council, signed.

``export_all`` writes the data kinds as Parquet (canonical Polars types, person
keys already pseudonymised, so a restore does not hash them twice) and every
other table (survey waves, links, drafts, free text, column mappings, the
programme, pledges, plans, activities, sign-posts, directory originals, users
and memberships, import records, the audit log) as Django's JSON
serialisation, each in ``tables/``. The manifest lists each file's rows and
SHA-256 and is signed with HMAC-SHA256 under ``CARETIES_BACKUP_KEY``, so an
edited backup is refused even by someone who recomputes the checksums.

``import_all`` checks the signature, every checksum and every row
(``backup_checks``) before writing anything, then restores in one transaction.
A whole backup replaces the whole store; a one-council backup replaces that
council's rows only and leaves every other council exactly as it was. Users
are matched by username, so restoring a council into another server keeps its
own accounts.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import hmac
import json
from pathlib import Path

import polars as pl
from django.contrib.auth import get_user_model
from django.core import serializers
from django.core.management.color import no_style
from django.core.serializers.base import DeserializationError
from django.core.serializers.json import DjangoJSONEncoder
from django.db import connection, transaction

from careties import progress
from careties.data.codes import LA_CODE_PATTERN
from careties.data.frames import CANONICAL, OPTIONAL_COLUMNS
from careties.web.keys import MissingKey, backup_key, test_data_allowed
from careties.web.selectors import load_frame

from .backup_checks import check_council_of_refs, check_frame, check_objects
from .models import MODEL_FOR_KIND
from .scope import ScopeError
from .services import IMPORT_ORDER, import_frame, record_audit
from .tables import backed_up_models, council_rows, label

MANIFEST = "manifest.json"
FORMAT = "careties-backup-2"


class BackupError(Exception):
    """A backup that cannot be written or restored, with the reason."""


class ExactJSONEncoder(DjangoJSONEncoder):
    """Datetimes and times to the microsecond.

    Django's encoder keeps milliseconds only, so a restore changed every
    timestamp's microseconds: not the exact copy a backup promises.
    """

    def default(self, o):
        if isinstance(o, dt.datetime):
            text = o.isoformat()
            return text[:-6] + "Z" if text.endswith("+00:00") else text
        if isinstance(o, dt.time):
            return o.isoformat()
        return super().default(o)


def _digest(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def _signature(manifest: dict, key: bytes) -> str:
    body = {k: v for k, v in manifest.items() if k != "signature"}
    text = json.dumps(body, sort_keys=True, separators=(",", ":")).encode()
    return hmac.new(key, text, hashlib.sha256).hexdigest()


def _key() -> tuple[bytes, str]:
    try:
        return backup_key()
    except MissingKey as error:
        raise BackupError(str(error)) from None


def _other_tables() -> list:
    store = set(MODEL_FOR_KIND.values())
    return [m for m in backed_up_models() if m not in store]


def _frame(kind: str, la_code: str | None) -> pl.DataFrame:
    frame = load_frame(kind, la_code, include_source=True)
    if kind == "contacts" and la_code:  # a contact belongs to the council of who made it
        staff = load_frame("professionals", la_code)["professional_id"].to_list()
        frame = frame.filter(pl.col("from_professional").is_in(staff))
    return frame


def export_all(out_dir: str | Path, la_code: str | None = None) -> dict:
    """Write every table (of one council when ``la_code`` is given) and the signed manifest."""
    key, key_name = _key()
    out = Path(out_dir)
    (out / "tables").mkdir(parents=True, exist_ok=True)
    manifest: dict = {
        "format": FORMAT,
        "la_code": la_code,
        "written_at": dt.datetime.now(dt.UTC).isoformat(timespec="seconds"),
        "key": key_name,
        "kinds": {},
        "tables": {},
    }
    for kind in IMPORT_ORDER:
        path = out / f"{kind}.parquet"
        with progress.stage(f"export {kind}") as shown:
            frame = _frame(kind, la_code)
            frame.write_parquet(path)
            shown.advance(frame.height)
        manifest["kinds"][kind] = {"rows": frame.height, "sha256": _digest(path)}
    for model in _other_tables():
        rows = model._default_manager.all() if la_code is None else council_rows(model, la_code)
        if rows is None:  # a table no council owns (import records): whole backups only
            continue
        path = out / "tables" / f"{label(model)}.json"
        path.write_text(serializers.serialize("json", rows.order_by("pk"), cls=ExactJSONEncoder))
        manifest["tables"][label(model)] = {"rows": rows.count(), "sha256": _digest(path)}
    manifest["signature"] = _signature(manifest, key)
    (out / MANIFEST).write_text(json.dumps(manifest, indent=2, sort_keys=True))
    return manifest


def read_manifest(directory: Path) -> dict:
    """The manifest, checked for shape and signature; ``BackupError`` says what is wrong."""
    path = directory / MANIFEST
    if not path.is_file():
        raise BackupError(f"{directory}: no {MANIFEST}; is this a careties export-all directory?")
    try:
        manifest = json.loads(path.read_text(encoding="utf-8"))
    except (json.JSONDecodeError, UnicodeDecodeError, RecursionError) as error:
        raise BackupError(f"{path}: not valid JSON ({error})") from None
    if not isinstance(manifest, dict) or manifest.get("format") != FORMAT:
        found = manifest.get("format") if isinstance(manifest, dict) else type(manifest).__name__
        raise BackupError(f"{path}: format {found!r} is not {FORMAT!r}")
    for section in ("kinds", "tables"):
        entries = manifest.get(section)
        if not isinstance(entries, dict) or not all(
            isinstance(e, dict)
            and isinstance(e.get("rows"), int)
            and isinstance(e.get("sha256"), str)
            for e in entries.values()
        ):
            raise BackupError(f"{path}: {section!r} must map names to rows and sha256")
    la_code = manifest.get("la_code")
    if la_code is not None and not (isinstance(la_code, str) and LA_CODE_PATTERN.match(la_code)):
        raise BackupError(f"{path}: la_code {la_code!r} is not a council code")
    key, _ = _key()
    signature = manifest.get("signature")
    if not isinstance(signature, str) or not hmac.compare_digest(
        signature, _signature(manifest, key)
    ):
        raise BackupError(
            f"{path}: the signature does not match: the backup was changed after it was written, "
            "or it was signed with another CARETIES_BACKUP_KEY"
        )
    if manifest.get("key") == "development" and not test_data_allowed():
        raise BackupError(f"{path}: signed with the development key; only test stores accept it")
    return manifest


def fill_optional_columns(kind: str, frame: pl.DataFrame) -> tuple[pl.DataFrame, list[str]]:
    """Add the optional columns an older backup lacks, as nulls, and say which were added.

    A column added to a kind after a backup was written (``OPTIONAL_COLUMNS``,
    e.g. professionals' ``display_name``) is absent from that backup; it is
    nullable, so the backup still restores, the column empty. Any other
    difference is left for ``check_frame`` to refuse.
    """
    missing = [c for c in OPTIONAL_COLUMNS.get(kind, ()) if c not in frame.columns]
    if not missing:
        return frame, []
    filled = frame.with_columns(pl.lit(None, dtype=CANONICAL[kind][c]).alias(c) for c in missing)
    notes = [
        f"{kind}.parquet has no {column} column (written before it existed): "
        f"restored with {column} empty on its {frame.height:,} rows"
        for column in missing
    ]
    return filled, notes


def _load_frames(directory: Path, manifest: dict, notes: list[str]) -> dict[str, pl.DataFrame]:
    la_code = manifest["la_code"]
    frames: dict[str, pl.DataFrame] = {}
    problems: list[str] = []
    for kind, entry in manifest["kinds"].items():
        if kind not in MODEL_FOR_KIND:
            raise BackupError(f"{directory / MANIFEST}: unknown kind {kind!r}")
        path = directory / f"{kind}.parquet"
        if not path.is_file() or _digest(path) != entry["sha256"]:
            raise BackupError(f"{path}: missing or changed since export (checksum mismatch)")
        try:
            frame = pl.read_parquet(path)
        except Exception as error:  # a file that matches its checksum yet cannot be read
            raise BackupError(f"{path}: not readable as Parquet ({error})") from None
        if frame.height != entry["rows"]:
            raise BackupError(f"{path}: {frame.height} rows, manifest says {entry['rows']}")
        frame, filled = fill_optional_columns(kind, frame)
        notes += filled
        problems += check_frame(kind, frame, {la_code} if la_code else None)
        frames[kind] = frame
    if la_code and not problems:
        own = {
            "practices": set(
                frames.get("practices", _frame("practices", la_code))["practice_code"]
            ),
            "professionals": set(
                frames.get("professionals", _frame("professionals", la_code))["professional_id"]
            ),
        }
        for kind, frame in frames.items():
            problems += check_council_of_refs(kind, frame, own, la_code)
    if problems:
        raise BackupError("the backup's data breaks its contracts:\n" + "\n".join(problems))
    return frames


def _load_tables(directory: Path, manifest: dict) -> dict[str, list]:
    known = {label(m): m for m in _other_tables()}
    tables: dict[str, list] = {}
    problems: list[str] = []
    for name, entry in manifest["tables"].items():
        if name not in known:
            raise BackupError(f"{directory / MANIFEST}: unknown table {name!r}")
        path = directory / "tables" / f"{name}.json"
        if not path.is_file() or _digest(path) != entry["sha256"]:
            raise BackupError(f"{path}: missing or changed since export (checksum mismatch)")
        try:
            objects = list(serializers.deserialize("json", path.read_text(encoding="utf-8")))
        except (DeserializationError, UnicodeDecodeError, RecursionError) as error:
            raise BackupError(f"{path}: not a table written by export-all ({error})") from None
        if len(objects) != entry["rows"] or any(type(o.object) is not known[name] for o in objects):
            raise BackupError(f"{path}: rows do not match the manifest")
        problems += check_objects(name, objects, manifest["la_code"])
        tables[name] = objects
    if problems:
        raise BackupError("the backup's tables hold invalid rows:\n" + "\n".join(problems))
    return tables


def import_all(in_dir: str | Path, user=None, notes: list[str] | None = None) -> dict[str, int]:
    """Restore a directory written by ``export_all``: everything, or nothing on any problem.

    A backup from before an optional column existed restores with that column
    empty; what was filled is appended to ``notes`` (and to the audit entry) so
    the caller can tell the user.
    """
    directory = Path(in_dir)
    manifest = read_manifest(directory)
    notes = notes if notes is not None else []
    frames = _load_frames(directory, manifest, notes)
    tables = _load_tables(directory, manifest)
    la_code = manifest["la_code"]
    counts: dict[str, int] = {}
    with transaction.atomic():
        _clear(la_code)
        users = _restore_users(tables.pop(label(get_user_model()), []), whole=la_code is None)
        for model in _other_tables():
            objects = tables.get(label(model), [])
            _restore_objects(model, objects, users, whole=la_code is None)
            counts[label(model)] = len(objects)
        for kind in IMPORT_ORDER:
            frame = frames.get(kind)
            if frame is None or frame.height == 0:
                continue
            for source in frame["source"].unique().sort().to_list():
                part = frame.filter(pl.col("source") == source).select(list(CANONICAL[kind]))
                try:
                    import_frame(kind=kind, frame=part, source=source, user=user, record=False)
                except ScopeError as error:
                    raise BackupError(f"{kind}.parquet: {error}") from None
            counts[kind] = frame.height
        _reset_sequences()
        record_audit(
            action="import",
            what=f"backup restored ({'whole store' if la_code is None else la_code})",
            user=user,
            la_code=la_code or "",
            detail="; ".join([f"{sum(counts.values())} rows from {directory.name}", *notes]),
        )
    return counts


def _clear(la_code: str | None) -> None:
    """Delete what the backup replaces: everything, or one council's rows (never its users)."""
    for model in reversed(backed_up_models()):
        if la_code is None:
            model._default_manager.all().delete()
        elif model is not get_user_model():
            rows = council_rows(model, la_code)
            if rows is not None:
                model._default_manager.filter(
                    pk__in=list(rows.values_list("pk", flat=True))
                ).delete()


def _restore_users(objects: list, *, whole: bool) -> dict[int, int]:
    """Users by username; returns the backup's user ids mapped to this store's."""
    User = get_user_model()
    mapping: dict[int, int] = {}
    for deserialized in objects:
        obj = deserialized.object
        old = obj.pk
        if not whole:
            existing = User.objects.filter(username=obj.username).values_list("pk", flat=True)
            if existing:
                obj.pk = existing[0]
            elif User.objects.filter(pk=obj.pk).exists():
                obj.pk = None
        if obj.pk is None:
            obj.save()
        else:
            deserialized.save()
        mapping[old] = obj.pk
    return mapping


def _restore_objects(model, objects: list, users: dict[int, int], *, whole: bool) -> None:
    User = get_user_model()
    user_fields = [
        f for f in model._meta.concrete_fields if f.is_relation and f.related_model is User
    ]
    present = set(User.objects.values_list("pk", flat=True))
    if not whole and objects:
        pks = [o.object.pk for o in objects]
        taken = model._default_manager.filter(pk__in=pks).count()
        if taken:
            raise BackupError(
                f"tables/{label(model)}.json: {taken} row ids are held by another council's rows "
                "in this store; restore the whole store, or into the store it came from"
            )
    for deserialized in objects:
        obj = deserialized.object
        for field in user_fields:
            old = getattr(obj, field.attname)
            new = users.get(old, old if whole else None)
            if new not in present and new is not None:
                new = None
            setattr(obj, field.attname, new)
        deserialized.save()


def _reset_sequences() -> None:
    """Explicit ids were inserted: move PostgreSQL's id sequences past them."""
    models = [m for m in backed_up_models() if m._meta.app_config is not None]
    statements = connection.ops.sequence_reset_sql(no_style(), models)
    with connection.cursor() as cursor:
        for sql in statements:
            cursor.execute(sql)
