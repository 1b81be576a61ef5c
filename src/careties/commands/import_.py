"""``careties import KIND FILE``: validate a file and store it, all or nothing."""

from __future__ import annotations

import argparse
from pathlib import Path

from careties.cli import CommandError
from careties.data.frames import KINDS


def register(subparsers) -> None:
    parser = subparsers.add_parser(
        "import",
        help="validate a CSV or XLSX file and store it (nothing changes if any row is invalid)",
        description="Validate FILE against the KIND contract (docs/data.md) and store it in one transaction.",
    )
    parser.add_argument("kind", choices=KINDS, metavar="KIND", help=f"one of: {', '.join(KINDS)}")
    parser.add_argument("file", type=Path, metavar="FILE")
    parser.add_argument(
        "--errors", type=Path, metavar="ERRORS_CSV", help="write every row error to this CSV"
    )
    parser.add_argument(
        "--la-code", help="council for files that lack one (e.g. NHS Digital's epraccur.csv)"
    )
    parser.add_argument(
        "--test-data",
        action="store_true",
        help="the file is synthetic: allow the public development pseudonymisation key",
    )
    parser.set_defaults(handler=run)


def _say_what_is_replaced(replacements) -> None:
    """Before anything is replaced, say what (only this file's councils are ever touched)."""
    for replacement in replacements:
        print(f"careties: replacing {replacement}")


def run(args: argparse.Namespace) -> int:
    from careties.web import setup_django

    setup_django()
    from django.core.management import call_command

    from careties.data import ValidationError, write_errors_csv
    from careties.web.keys import MissingKey
    from careties.web.store.scope import ScopeError
    from careties.web.store.services import import_file

    if not args.file.is_file():
        raise CommandError(f"{args.file}: no such file")
    call_command("migrate", verbosity=0, interactive=False)
    notes: list[str] = []
    try:
        result = import_file(
            args.kind,
            args.file,
            default_la_code=args.la_code,
            confirm=_say_what_is_replaced,
            test_data=args.test_data,
            notes=notes,
        )
    except MissingKey as error:
        raise CommandError(f"{args.file.name} was not imported; nothing changed.\n{error}") from None
    except ScopeError as error:
        raise CommandError(
            f"{args.file.name} was not imported; nothing changed.\n"
            f"It names rows another council holds:\n{error}"
        ) from None
    except ValidationError as error:
        if args.errors:
            write_errors_csv(error.errors, args.errors)
        summary = str(error)
        if args.errors:
            summary += f"\nThe full list of errors is in {args.errors}."
        raise CommandError(
            f"{args.file.name} was not imported; nothing changed.\n{summary}"
        ) from None
    print(
        f"careties: imported {result.rows:,} {result.kind} rows from {result.source}"
        + (
            f" (replacing {result.replaced:,} rows of its earlier version)"
            if result.replaced
            else ""
        )
    )
    for note in notes:
        print(f"careties: note: {note}")
    return 0
