"""``careties migrate``: create or update the database tables."""

from __future__ import annotations

import argparse


def register(subparsers) -> None:
    parser = subparsers.add_parser("migrate", help="create or update the database tables")
    parser.set_defaults(handler=run)


def run(args: argparse.Namespace) -> int:
    # Django loads only when a command needs the store, so `careties --help` and
    # `careties synth` start without it.
    from careties.web import setup_django

    setup_django()
    from django.core.management import call_command

    call_command("migrate", interactive=False, verbosity=1)
    return 0
