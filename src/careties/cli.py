"""The ``careties`` command line.

Each sub-command lives in its own module under ``careties.commands`` and
exposes ``register(subparsers)``; this file only discovers and dispatches them,
so areas of the product add commands without touching each other's code.

A user's mistake (a bad file, an unknown council) must end in a clear message
and a non-zero exit, never a traceback: commands raise ``CommandError`` and
``main`` prints it.
"""

from __future__ import annotations

import argparse
import importlib
import pkgutil
import sys
from collections.abc import Iterator, Sequence

import careties.commands
from careties.progress import on_terminal


class CommandError(Exception):
    """A problem the user can fix; printed without a traceback."""


def build_parser() -> argparse.ArgumentParser:
    """The full parser, with every command module's sub-commands registered."""
    parser = argparse.ArgumentParser(
        prog="careties",
        description="Health and social care integration: referrals, relationships, the shared dashboard.",
    )
    subparsers = parser.add_subparsers(dest="command", metavar="COMMAND")
    for module_info in sorted(
        pkgutil.iter_modules(careties.commands.__path__), key=lambda m: m.name
    ):
        module = importlib.import_module(f"careties.commands.{module_info.name}")
        register = getattr(module, "register", None)
        if register is not None:
            register(subparsers)
    return parser


def _subparsers(parser: argparse.ArgumentParser) -> list[argparse.ArgumentParser]:
    return [
        sub
        for action in parser._actions
        if isinstance(action, argparse._SubParsersAction)
        for sub in action.choices.values()
    ]


def all_parsers(
    parser: argparse.ArgumentParser | None = None,
) -> Iterator[argparse.ArgumentParser]:
    """The ``careties`` parser and every sub-command's, depth first, in help order.

    For the generated CLI reference (docs/cli.md, by cog) and its tests.
    """
    parser = parser or build_parser()
    yield parser
    for sub in _subparsers(parser):
        yield from all_parsers(sub)


def main(argv: Sequence[str] | None = None) -> int:
    """Entry point for the ``careties`` script; returns the process exit code."""
    parser = build_parser()
    args = parser.parse_args(argv)
    handler = getattr(args, "handler", None)
    if handler is None:
        parser.print_help()
        return 2

    try:
        with on_terminal():  # stages and rates on a terminal; nothing in pipes and logs
            result = handler(args)
    except CommandError as error:
        print(f"careties: {error}", file=sys.stderr)
        return 1
    except KeyboardInterrupt:
        print("careties: interrupted", file=sys.stderr)
        return 130
    return int(result or 0)


if __name__ == "__main__":
    # Run through the imported module so that ``CommandError`` raised by command
    # modules (imported as careties.cli) is the class caught here.
    from careties.cli import main as package_main

    sys.exit(package_main())
