"""``careties synth``: write a synthetic council (or England) to a directory."""

from __future__ import annotations

import argparse
import time
from pathlib import Path

from careties import progress
from careties.cli import CommandError
from careties.data.synth import generate, write
from careties.data.synth.writer import row_counts


def register(subparsers: argparse._SubParsersAction) -> None:
    """Add ``synth`` to the CLI."""
    parser = subparsers.add_parser(
        "synth",
        help="write synthetic data with planted truths (files as published, plus truth.json)",
        description=(
            "Generate a synthetic council, or all of England, and write the files a council "
            "would load (practices, registrations, Client Level Data events, contacts, surveys, "
            "services) with truth.json recording what was planted."
        ),
    )
    parser.add_argument(
        "--out", required=True, type=Path, help="directory to write into (created if missing)"
    )
    parser.add_argument(
        "--scale",
        default="council",
        choices=("tiny", "council", "england"),
        help="size (default: council)",
    )
    parser.add_argument(
        "--seed",
        default=0,
        type=int,
        help="random seed; the same seed writes the same bytes (default: 0)",
    )
    parser.add_argument(
        "--programme-effect",
        default=-0.2,
        type=float,
        help="relative change in targeted practices' admissions after the programme starts (default: -0.2)",
    )
    parser.set_defaults(handler=run)


def run(args: argparse.Namespace) -> int:
    """Generate, write, and print each file with its row count."""
    out: Path = args.out
    if out.exists() and not out.is_dir():
        raise CommandError(f"{out} exists and is not a directory")
    if args.seed < 0:
        raise CommandError("--seed must be zero or a positive whole number")
    started = time.perf_counter()

    try:
        with progress.stage(f"synth {args.scale}: generate"):
            data = generate(args.scale, args.seed, programme_effect=args.programme_effect)
    except ValueError as error:
        raise CommandError(str(error)) from None
    try:
        with progress.stage(f"synth {args.scale}: write files") as shown:
            written = write(data, out)
            shown.advance(sum(row_counts(data).values()))
    except OSError as error:
        raise CommandError(f"could not write to {out}: {error.strerror or error}") from None
    counts = row_counts(data)
    print(f"Synthetic {args.scale} (seed {args.seed}) written to {out}:")
    for name, path in written.items():
        rows = f"{counts[name]:>12,} rows" if name in counts else " " * 17
        print(f"  {name:<32}{rows}  {path.stat().st_size:>14,} bytes")
    print(
        f"Done in {time.perf_counter() - started:.1f} s. Planted truths are in {written['truth.json']}."
    )
    return 0
