"""``careties export-all DIR`` and ``careties import-all DIR``: whole, signed backup and restore.

Every table is written (data, surveys, programme, users, audit log), for the
whole store or one council (``--council``); the manifest is signed with
``CARETIES_BACKUP_KEY``. A one-council restore leaves other councils untouched.
"""

from __future__ import annotations

import argparse
from pathlib import Path

from careties.cli import CommandError
from careties.data.codes import LA_CODE_PATTERN


def register(subparsers) -> None:
    export = subparsers.add_parser(
        "export-all", help="back up every table to DIR (signed with CARETIES_BACKUP_KEY)"
    )
    export.add_argument(
        "directory", type=Path, metavar="DIR", help="where to write the Parquet files and manifest"
    )
    export.add_argument("--council", help="only this council's data (ONS code)")
    export.set_defaults(handler=run_export)
    restore = subparsers.add_parser(
        "import-all", help="restore a directory written by export-all, all or nothing"
    )
    restore.add_argument(
        "directory", type=Path, metavar="DIR", help="a directory written by export-all"
    )
    restore.set_defaults(handler=run_import)


def _ready() -> None:
    # Django loads only when a command needs the store, so `careties --help` and
    # `careties synth` start without it.
    from careties.web import setup_django

    setup_django()
    from django.core.management import call_command

    call_command("migrate", verbosity=0, interactive=False)


def run_export(args: argparse.Namespace) -> int:
    _ready()
    # Django loads only when a command needs the store, so `careties --help` and
    # `careties synth` start without it.
    from careties.web.store.backup import BackupError, export_all

    if args.council and not LA_CODE_PATTERN.match(args.council):
        raise CommandError(f"--council {args.council!r} is not a council code (E06000001 ...)")
    try:
        manifest = export_all(args.directory, la_code=args.council)
    except BackupError as error:
        raise CommandError(f"nothing written: {error}") from None
    entries = [*manifest["kinds"].values(), *manifest["tables"].values()]
    total = sum(entry["rows"] for entry in entries)
    print(
        f"careties: exported {total:,} rows of {len(entries)} tables "
        f"({args.council or 'whole store'}) to {args.directory}, signed"
    )
    return 0


def run_import(args: argparse.Namespace) -> int:
    _ready()
    # Django loads only when a command needs the store, so `careties --help` and
    # `careties synth` start without it.
    from careties.web.store.backup import BackupError, import_all

    notes: list[str] = []
    try:
        counts = import_all(args.directory, notes=notes)
    except BackupError as error:
        raise CommandError(f"nothing restored: {error}") from None
    print(
        f"careties: restored {sum(counts.values()):,} rows of {len(counts)} kinds from {args.directory}"
    )
    for note in notes:
        print(f"careties: {note}")
    return 0
