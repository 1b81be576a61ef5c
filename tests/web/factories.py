"""Small canonical frames and users for web tests."""

from __future__ import annotations

import datetime as dt

import factory
import polars as pl
from factory.django import DjangoModelFactory

from careties.data.frames import CANONICAL
from careties.web.accounts.models import Membership, Role


def frame(kind: str, rows: list[dict]) -> pl.DataFrame:
    """A canonical frame of ``kind`` from dicts; missing columns are null."""
    schema = CANONICAL[kind]
    return pl.DataFrame([{c: r.get(c) for c in schema} for r in rows], schema=schema)


def councils() -> pl.DataFrame:
    return frame(
        "local_authorities",
        [
            {"la_code": "E06000001", "name": "Hartlepool", "region": "North East"},
            {"la_code": "E06000002", "name": "Middlesbrough", "region": "North East"},
        ],
    )


def events(n: int = 3, la_code: str = "E06000001") -> pl.DataFrame:
    return frame(
        "events",
        [
            {
                "event_reference": f"EV{i}",
                "person_key": f"{i:032x}",
                "age": 80,
                "la_code": la_code,
                "event_type": "service",
                "start_date": dt.date(2024, 5, 1),
                "end_date": None,
                "service_type": "long_term_residential",
                "route_of_access": "community",
                "practice_code": "A81001",
                "professional_id": "GP0001",
                "event_outcome": None,
            }
            for i in range(n)
        ],
    )


PASSWORD = "a-long-test-password-1"


class UserFactory(DjangoModelFactory):
    """An account with the test password (factory-boy, so tests say only what matters)."""

    class Meta:
        model = "auth.User"
        django_get_or_create = ("username",)

    username = factory.Sequence(lambda n: f"user{n}")
    password = factory.django.Password(PASSWORD)


class MembershipFactory(DjangoModelFactory):
    """A role and scope for a user: council lead of E06000001 unless told otherwise."""

    class Meta:
        model = Membership

    user = factory.SubFactory(UserFactory)
    role = Role.COUNCIL_LEAD
    la_codes = factory.LazyFunction(lambda: ["E06000001"])


def make_user(username: str, role: str | None, **scope):
    """A user called ``username`` with ``role`` and scope (``la_codes``, ``practice_code``, ...).

    ``role=None`` makes an account without a membership (it may open nothing).
    """
    if role is None:
        return UserFactory(username=username)
    scope.setdefault("la_codes", [])
    return MembershipFactory(user__username=username, role=role, **scope).user
