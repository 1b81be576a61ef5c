"""``careties demo``: a synthetic council, loaded as a user would load it, served.

Runs every step a council goes through: migrate, receive files (here from the
synthetic generator, in the published layouts), import them through the same
validating importers, create users for each role, and serve the dashboard.
"""

from __future__ import annotations

import argparse
import os
from pathlib import Path

from careties.commands.serve import gunicorn_argv, prepare, start_worker
from careties.data import synth

DEMO_PASSWORD_SUFFIX = "-demo-2026"


def register(subparsers) -> None:
    parser = subparsers.add_parser("demo", help="load a synthetic council and serve the dashboard")
    parser.add_argument(
        "--seed", type=int, default=0, help="seed of the synthetic council (default 0)"
    )
    # Loopback unless told otherwise: the demo's accounts have published passwords.
    parser.add_argument(
        "--bind",
        default=os.environ.get("CARETIES_BIND", "127.0.0.1:8000"),
        help="HOST:PORT to serve on (default CARETIES_BIND, else 127.0.0.1:8000)",
    )
    parser.add_argument("--no-serve", action="store_true", help="load and create users, then stop")
    parser.set_defaults(handler=run)


def load_synthetic_council(out_dir: Path, seed: int = 0) -> dict:
    """Generate the synthetic council's files and import them; returns the truth."""
    # Django loads only when a command needs the store, so `careties --help` and
    # `careties synth` start without it.
    from careties.web.store.services import IMPORT_ORDER, import_file

    data = synth.generate("council", seed=seed)
    synth.write(data, out_dir)
    for kind in IMPORT_ORDER:
        path = Path(out_dir) / synth.FILE_FOR_KIND[kind]
        result = import_file(
            kind=kind, path=path, test_data=True
        )  # synthetic: the development key is fine
        print(f"careties: imported {result.rows:>9,} {kind}")
    return data.truth


def create_demo_users(truth: dict) -> list[tuple[str, str, str]]:
    """One user per role, scoped to the synthetic council; returns (username, password, role)."""
    # Django loads only when a command needs the store, so `careties --help` and
    # `careties synth` start without it.
    from django.contrib.auth import get_user_model

    from careties.web.accounts.models import Membership, Role
    from careties.web.selectors import load_frame

    councils = load_frame("local_authorities")["la_code"].to_list()
    practices = load_frame("practices").sort("practice_code")
    professionals = load_frame("professionals")
    teams = (
        professionals.filter(professionals["role"] == "social_worker")["organisation"]
        .unique()
        .sort()
    )
    la_code = councils[0]
    first_practice = practices["practice_code"][0]
    specs = [
        ("admin", Role.SYSTEM_ADMIN, {"la_codes": councils}),
        ("lead", Role.COUNCIL_LEAD, {"la_codes": [la_code]}),
        ("analyst", Role.COUNCIL_ANALYST, {"la_codes": [la_code]}),
        ("regional", Role.REGIONAL, {"la_codes": councils}),
        ("practice", Role.PRACTICE, {"la_codes": [la_code], "practice_code": first_practice}),
        (
            "socialworker",
            Role.SOCIAL_WORKER,
            {"la_codes": [la_code], "team_code": teams[0] if len(teams) else ""},
        ),
    ]
    User = get_user_model()
    created = []
    for username, role, scope in specs:
        password = f"{username}{DEMO_PASSWORD_SUFFIX}"
        user, _ = User.objects.get_or_create(username=username)
        user.set_password(password)
        user.is_superuser = role == Role.SYSTEM_ADMIN
        user.is_staff = role == Role.SYSTEM_ADMIN
        user.save()
        Membership.objects.update_or_create(user=user, defaults={"role": role, **scope})
        created.append((username, password, role.label))
    return created


def seed_programme(truth: dict) -> None:
    """The synthetic council's planted programme, pledge and plan, so those pages are not empty."""
    # Django loads only when a command needs the store, so `careties --help` and
    # `careties synth` start without it.
    from careties.web.programme.demo import seed_demo_programme
    from careties.web.selectors import load_frame

    council = load_frame("local_authorities").row(0, named=True)
    seed_demo_programme(truth, council["la_code"], council["name"])


def seed_bcf_plan() -> None:
    """The demo council's BCF plan: goals for every quarter, three relationship metrics."""
    # Django loads only when a command needs the store, so `careties --help` and
    # `careties synth` start without it.
    from careties.web.bcf.demo import seed_demo_plan
    from careties.web.selectors import load_frame

    for la_code in load_frame("local_authorities")["la_code"].to_list():
        print(f"careties: BCF plan for {la_code}: {seed_demo_plan(la_code)} goals")


def run(args: argparse.Namespace) -> int:
    # Django loads only when a command needs the store, so `careties --help` and
    # `careties synth` start without it.
    from careties.web.settings.base import VAR_DIR

    # The demo's store holds synthetic data only: its server may use the development keys
    # (pseudonymisation, backups) for what users upload and back up in it.
    os.environ.setdefault("CARETIES_TEST_DATA", "1")
    prepare("careties.web.settings.local")
    truth = load_synthetic_council(VAR_DIR / "demo" / f"council-seed{args.seed}", seed=args.seed)
    users = create_demo_users(truth)
    seed_bcf_plan()
    seed_programme(truth)
    print("\ncareties demo users (username / password / role):")
    for username, password, role in users:
        print(f"  {username:<14} {password:<24} {role}")
    if args.no_serve:
        return 0
    host, _, port = args.bind.partition(":")
    print(f"\ncareties: open http://localhost:{port or 8000}/ (Ctrl-C to stop)", flush=True)
    argv = gunicorn_argv(args.bind, None)
    start_worker()
    os.execvp(argv[0], argv)
    return 0
