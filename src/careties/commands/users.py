"""``careties users``: the first administrator, and accounts from the command line.

The web's Users page is where leads and administrators manage accounts; this
command is for the server's operator: the first administrator of a new store,
and recovery (a forgotten administrator password). Passwords are typed twice
without echo, or read from standard input (``--password-stdin``) for scripts,
and must pass the same policy as the web.
"""

from __future__ import annotations

import argparse
import getpass
import sys

from careties.cli import CommandError
from careties.data.codes import LA_CODE_PATTERN, PRACTICE_CODE_PATTERN

ROLES = (
    "system_admin",
    "council_lead",
    "council_analyst",
    "regional",
    "practice",
    "social_worker",
)


def register(subparsers) -> None:
    parser = subparsers.add_parser("users", help="list, add and remove accounts; set a password")
    actions = parser.add_subparsers(dest="action", metavar="ACTION", required=True)
    actions.add_parser("list", help="every account with its role and councils")
    add = actions.add_parser("add", help="add an account (the first administrator, for example)")
    add.add_argument("username", help="the name the person logs in with")
    add.add_argument("--role", required=True, choices=ROLES, help="what the account may see and do")
    add.add_argument(
        "--council",
        action="append",
        default=[],
        metavar="ONS_CODE",
        help="a council in the account's scope (repeat for a regional user)",
    )
    add.add_argument(
        "--practice", default="", metavar="ODS_CODE", help="a practice user's own practice"
    )
    add.add_argument("--team", default="", metavar="TEAM_CODE", help="a social worker's team")
    add.add_argument("--password-stdin", action="store_true", help="read the password from stdin")
    remove = actions.add_parser("remove", help="close an account (its history is kept)")
    remove.add_argument("username", help="the account to close")
    password = actions.add_parser("set-password", help="set an account's password")
    password.add_argument("username", help="the account whose password to set")
    password.add_argument(
        "--password-stdin", action="store_true", help="read the password from stdin"
    )
    parser.set_defaults(handler=run)


def _ready() -> None:
    # Django loads only when a command needs the store, so `careties --help` and
    # `careties synth` start without it.
    from careties.web import setup_django

    setup_django()
    from django.core.management import call_command

    call_command("migrate", verbosity=0, interactive=False)


def _password(args, user=None) -> str:
    # Django loads only when a command needs the store, so `careties --help` and
    # `careties synth` start without it.
    from django.contrib.auth.password_validation import validate_password
    from django.core.exceptions import ValidationError

    if args.password_stdin:
        value = sys.stdin.readline().rstrip("\n")
    else:
        value = getpass.getpass("Password: ")
        if getpass.getpass("Password again: ") != value:
            raise CommandError("the passwords differ; nothing changed")
    try:
        validate_password(value, user)
    except ValidationError as error:
        raise CommandError("password refused: " + " ".join(error.messages)) from None
    return value


def run(args: argparse.Namespace) -> int:
    _ready()
    # Django loads only when a command needs the store, so `careties --help` and
    # `careties synth` start without it.
    from django.contrib.auth import get_user_model
    from django.db import transaction

    from careties.web.accounts.models import Membership
    from careties.web.store.services import record_audit

    User = get_user_model()
    if args.action == "list":
        for user in User.objects.order_by("username"):
            membership = getattr(user, "membership", None)
            role = membership.role if membership else "no role"
            councils = ",".join(membership.la_codes or []) if membership else ""
            state = "active" if user.is_active else "closed"
            print(f"{user.username:<24} {role:<16} {councils:<24} {state}")
        return 0
    if args.action == "add":
        if User.objects.filter(username__iexact=args.username).exists():
            raise CommandError(f"the username {args.username!r} is taken")
        bad = [c for c in args.council if not LA_CODE_PATTERN.match(c)]
        if bad:
            raise CommandError(f"not council codes: {', '.join(bad)}")
        if args.role != "system_admin" and not args.council:
            raise CommandError(f"a {args.role} needs --council")
        if args.role == "practice" and not PRACTICE_CODE_PATTERN.match(args.practice):
            raise CommandError("a practice user needs --practice with an ODS code")
        password = _password(args, User(username=args.username))
        with transaction.atomic():
            user = User.objects.create_user(username=args.username, password=password)
            user.is_staff = user.is_superuser = args.role == "system_admin"
            user.save()
            Membership.objects.create(
                user=user,
                role=args.role,
                la_codes=args.council,
                practice_code=args.practice,
                team_code=args.team,
            )
            record_audit(
                action="change", what=f"user {args.username} added as {args.role} (command line)"
            )
        print(f"careties: added {args.username} as {args.role}")
        return 0
    try:
        user = User.objects.get(username=args.username)
    except User.DoesNotExist:
        raise CommandError(f"no account {args.username!r}") from None
    if args.action == "remove":
        with transaction.atomic():
            user.is_active = False
            user.set_unusable_password()
            user.save()
            Membership.objects.filter(user=user).delete()
            record_audit(action="change", what=f"user {user.username} removed (command line)")
        print(f"careties: closed {user.username}")
        return 0
    user.set_password(_password(args, user))
    user.is_active = True
    user.save()
    record_audit(action="change", what=f"password of {user.username} set (command line)")
    print(f"careties: password of {user.username} set")
    return 0
