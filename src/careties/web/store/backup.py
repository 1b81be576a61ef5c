"""Export and re-import everything the store holds, exactly.

Parquet keeps the canonical Polars types (dates, nulls, 64-bit integers) so a
round trip is lossless, and it holds person keys already pseudonymised:
re-importing must not hash them a second time, which a CSV in the user-facing
layout would do. ``import_all`` is one transaction over every kind, so a
restore either completes or leaves the database as it was.
"""

from __future__ import annotations

import hashlib
import json
from pathlib import Path

import polars as pl
from django.db import transaction

from careties.data.frames import CANONICAL

from .services import IMPORT_ORDER, import_frame

MANIFEST = "manifest.json"


class BackupError(Exception):
    """A backup directory that cannot be restored, with the reason."""


def _digest(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def export_all(out_dir: str | Path, la_code: str | None = None) -> dict:
    """Write one Parquet file per kind and a manifest with row counts and checksums."""
    from careties.web.selectors import load_frame

    out = Path(out_dir)
    out.mkdir(parents=True, exist_ok=True)
    manifest: dict = {"format": "careties-backup-1", "la_code": la_code, "kinds": {}}
    for kind in IMPORT_ORDER:
        frame = load_frame(kind, la_code, include_source=True)
        path = out / f"{kind}.parquet"
        frame.write_parquet(path)
        manifest["kinds"][kind] = {"rows": frame.height, "sha256": _digest(path)}
    (out / MANIFEST).write_text(json.dumps(manifest, indent=2, sort_keys=True))
    return manifest


def import_all(in_dir: str | Path, user=None) -> dict[str, int]:
    """Restore a directory written by ``export_all``; all kinds or none."""
    directory = Path(in_dir)
    manifest_path = directory / MANIFEST
    if not manifest_path.is_file():
        raise BackupError(f"{directory}: no {MANIFEST}; is this a careties export-all directory?")
    try:
        manifest = json.loads(manifest_path.read_text())
    except json.JSONDecodeError as error:
        raise BackupError(f"{manifest_path}: not valid JSON ({error})") from None
    frames: dict[str, pl.DataFrame] = {}
    for kind, entry in manifest.get("kinds", {}).items():
        if kind not in CANONICAL:
            raise BackupError(f"{manifest_path}: unknown kind {kind!r}")
        path = directory / f"{kind}.parquet"
        if not path.is_file() or _digest(path) != entry.get("sha256"):
            raise BackupError(f"{path}: missing or changed since export (checksum mismatch)")
        frame = pl.read_parquet(path)
        if frame.height != entry.get("rows"):
            raise BackupError(f"{path}: {frame.height} rows, manifest says {entry.get('rows')}")
        frames[kind] = frame
    counts: dict[str, int] = {}
    with transaction.atomic():
        for kind in IMPORT_ORDER:
            frame = frames.get(kind)
            if frame is None or frame.height == 0:
                continue
            if "source" not in frame.columns:
                raise BackupError(f"{kind}.parquet: no source column; not written by export-all")
            for source in frame["source"].unique().sort().to_list():
                part = frame.filter(pl.col("source") == source).select(list(CANONICAL[kind]))
                import_frame(kind, part, source=source, user=user)
            counts[kind] = frame.height
    return counts
