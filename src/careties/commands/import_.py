"""``careties import KIND FILE``: validate a file and store it, all or nothing."""

from __future__ import annotations

import argparse
import csv
import tempfile
from pathlib import Path

from careties.cli import CommandError
from careties.data import ValidationError, write_errors_csv
from careties.data.councils import councils, read_practice_councils
from careties.data.frames import KINDS


def register(subparsers) -> None:
    parser = subparsers.add_parser(
        "import",
        help="validate a CSV or XLSX file and store it (nothing changes if any row is invalid)",
        description="Validate FILE against the KIND contract (docs/data.md) and store it in one transaction.",
    )
    kinds = (*KINDS, *PUBLISHED_KINDS)
    parser.add_argument("kind", choices=kinds, metavar="KIND", help=f"one of: {', '.join(kinds)}")
    parser.add_argument(
        "file",
        type=Path,
        metavar="FILE",
        help="the file; for local_authorities, 'england' loads every council careties ships",
    )
    parser.add_argument(
        "--errors", type=Path, metavar="ERRORS_CSV", help="write every row error to this CSV"
    )
    parser.add_argument(
        "--la-code", help="council for files that lack one (e.g. NHS Digital's epraccur.csv)"
    )
    parser.add_argument(
        "--practice-councils",
        type=Path,
        metavar="CSV",
        help="practice_code,la_code file giving each practice's council, for the national "
        "epraccur.csv (docs/data.md)",
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


#: Published files for comparison (careties.web.benchmarks), read as NHS England publishes them.
PUBLISHED_KINDS = ("published_ascof", "peer_groups")


def _import_published(args: argparse.Namespace) -> int:
    """``published_ascof`` / ``peer_groups``: stored whole or not at all, errors in words."""
    # Deferred: statsmodels and scipy (through careties.referrals) and Django (the
    # store) load only when this runs, not for `careties --help` or `careties synth`.
    from careties.referrals.published import PublishedFileError
    from careties.web.benchmarks.services import import_benchmark

    try:
        stored, replaced = import_benchmark(kind=args.kind, path=args.file)
    except (PublishedFileError, ValueError, OSError) as error:
        raise CommandError(
            f"{args.file.name} was not imported; nothing changed.\n{error}"
        ) from None
    print(
        f"careties: imported {stored:,} {args.kind} rows from {args.file.name}"
        + (f" (replacing {replaced:,} rows)" if replaced else "")
    )
    return 0


#: ``careties import local_authorities england``: every current council from the shipped lookup.
ENGLAND = "england"


def _england_councils() -> Path:
    """Write careties' council lookup (current councils) as a local_authorities file."""
    folder = Path(tempfile.mkdtemp(prefix="careties-"))
    path = folder / "careties-councils-england.csv"
    with path.open("w", newline="") as handle:
        writer = csv.writer(handle)
        writer.writerow(["la_code", "name", "region"])
        for row in councils():
            if not row["ended"]:
                writer.writerow([row["ons_code"], row["name"], row["region"]])
    return path


def _practice_councils(args: argparse.Namespace) -> dict:
    """``la_code_by_practice`` from ``--practice-councils``, checked before the import."""
    if not getattr(args, "practice_councils", None):
        return {}

    try:
        return {"la_code_by_practice": read_practice_councils(args.practice_councils)}
    except ValidationError as error:
        raise CommandError(f"{args.practice_councils.name} was not read.\n{error}") from None


def run(args: argparse.Namespace) -> int:
    # Django loads only when a command needs the store, so `careties --help` and
    # `careties synth` start without it.
    from careties.web import setup_django

    setup_django()
    from django.core.management import call_command
    from django.db import IntegrityError

    from careties.web.keys import MissingKey
    from careties.web.store.scope import ScopeError
    from careties.web.store.services import import_file

    if args.kind == "local_authorities" and str(args.file) == ENGLAND and not args.file.exists():
        args.file = _england_councils()
    if not args.file.is_file():
        raise CommandError(f"{args.file}: no such file")
    call_command("migrate", verbosity=0, interactive=False)
    if args.kind in PUBLISHED_KINDS:
        return _import_published(args)
    notes: list[str] = []
    try:
        result = import_file(
            kind=args.kind,
            path=args.file,
            default_la_code=args.la_code,
            confirm=_say_what_is_replaced,
            test_data=args.test_data,
            notes=notes,
            **_practice_councils(args),
        )
    except IntegrityError as error:
        raise CommandError(
            f"{args.file.name} was not imported; nothing changed.\n"
            f"A row lacks a value the store needs ({str(error).splitlines()[0]}). "
            "For NHS Digital's epraccur.csv give --la-code CODE or --practice-councils FILE."
        ) from None
    except MissingKey as error:
        raise CommandError(
            f"{args.file.name} was not imported; nothing changed.\n{error}"
        ) from None
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
