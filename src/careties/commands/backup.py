"""``careties export-all DIR`` and ``careties import-all DIR``: lossless backup and restore."""

from __future__ import annotations

import argparse
from pathlib import Path

from careties.cli import CommandError


def register(subparsers) -> None:
    export = subparsers.add_parser(
        "export-all", help="write every kind of data to DIR (Parquet + manifest)"
    )
    export.add_argument("directory", type=Path, metavar="DIR")
    export.add_argument("--council", help="only this council's data (ONS code)")
    export.set_defaults(handler=run_export)
    restore = subparsers.add_parser(
        "import-all", help="restore a directory written by export-all, all or nothing"
    )
    restore.add_argument("directory", type=Path, metavar="DIR")
    restore.set_defaults(handler=run_import)


def _ready() -> None:
    from careties.web import setup_django

    setup_django()
    from django.core.management import call_command

    call_command("migrate", verbosity=0, interactive=False)


def run_export(args: argparse.Namespace) -> int:
    _ready()
    from careties.web.store.backup import export_all

    manifest = export_all(args.directory, la_code=args.council)
    total = sum(entry["rows"] for entry in manifest["kinds"].values())
    print(
        f"careties: exported {total:,} rows of {len(manifest['kinds'])} kinds to {args.directory}"
    )
    return 0


def run_import(args: argparse.Namespace) -> int:
    _ready()
    from careties.web.store.backup import BackupError, import_all

    try:
        counts = import_all(args.directory)
    except BackupError as error:
        raise CommandError(f"nothing restored: {error}") from None
    print(
        f"careties: restored {sum(counts.values()):,} rows of {len(counts)} kinds from {args.directory}"
    )
    return 0
