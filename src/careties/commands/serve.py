"""``careties serve``: the dashboard under gunicorn, static files by whitenoise."""

from __future__ import annotations

import argparse
import os
import subprocess
import sys

from careties.cli import CommandError


def register(subparsers) -> None:
    parser = subparsers.add_parser("serve", help="serve the dashboard with gunicorn")
    parser.add_argument(
        "--bind",
        default=os.environ.get("CARETIES_BIND", "127.0.0.1:8000"),
        help="HOST:PORT to serve on (default CARETIES_BIND, else 127.0.0.1:8000)",
    )
    parser.add_argument("--workers", type=int, default=None, help="default: CPUs + 1")
    parser.add_argument(
        "--settings",
        default=None,
        help="Django settings module (default: local, or production with --production)",
    )
    parser.add_argument(
        "--production", action="store_true", help="production settings: refuses default secrets"
    )
    parser.set_defaults(handler=run)


def prepare(settings_module: str) -> None:
    """Migrate and collect static files so the server starts on a ready database."""
    os.environ["DJANGO_SETTINGS_MODULE"] = settings_module
    # Django loads only when a command needs the store, so `careties --help` and
    # `careties synth` start without it.
    from careties.web import setup_django

    setup_django(settings_module)
    from django.core.management import call_command

    call_command("migrate", interactive=False, verbosity=0)
    call_command("collectstatic", interactive=False, verbosity=0)


def worker_argv() -> list[str]:
    """The background task worker (uploads: checking and loading files), django-tasks' own."""
    return [sys.executable, "-m", "django", "db_worker", "--queue-name", "default"]


def start_worker() -> subprocess.Popen:
    """Start the task worker beside the web server; it outlives this process's exec."""
    print("careties: task worker started (uploads are checked and loaded by it)", flush=True)
    return subprocess.Popen(worker_argv(), env=dict(os.environ))


def gunicorn_argv(bind: str, workers: int | None) -> list[str]:
    # One worker per CPU and one spare: pages are CPU-bound (rendering, Polars), so
    # gunicorn's 2 x CPUs + 1 for I/O-bound apps only adds contention (benchmarks/load.py).
    count = workers or ((os.cpu_count() or 1) + 1)
    return [
        sys.executable,
        "-m",
        "gunicorn",
        "careties.web.wsgi:application",
        "--bind",
        bind,
        "--workers",
        str(count),
        "--access-logfile",
        "-",
        "--timeout",
        "60",
        "--preload",
    ]


def refuse_demo_accounts() -> None:
    """Production never serves a store where the demo's published passwords still work."""
    # Django loads only when a command needs the store, so `careties --help` and
    # `careties synth` start without it.
    from careties.web.accounts.services import demo_accounts

    found = demo_accounts()
    if found:
        raise CommandError(
            "refusing to start: the store holds the demo accounts "
            f"({', '.join(found)}) with their published passwords. Remove them with "
            "`careties users remove NAME` (or set new passwords) and add your own with "
            "`careties users add`."
        )


def run(args: argparse.Namespace) -> int:
    settings_module = args.settings or (
        "careties.web.settings.production" if args.production else "careties.web.settings.local"
    )
    # Django loads only when a command needs the store, so `careties --help` and
    # `careties synth` start without it.
    from django.core.exceptions import ImproperlyConfigured


    try:
        prepare(settings_module)
    except ImproperlyConfigured as error:
        raise CommandError(f"refusing to start: {error}") from None
    if args.production:
        refuse_demo_accounts()
    argv = gunicorn_argv(args.bind, args.workers)
    start_worker()
    print(f"careties: serving on http://{args.bind}/", flush=True)
    os.execvp(argv[0], argv)
    return 0
