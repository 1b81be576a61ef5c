"""Small canonical frames and users for web tests."""

from __future__ import annotations

import datetime as dt

import polars as pl

from careties.data.frames import CANONICAL


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


def make_user(username: str, role: str, **scope):
    from django.contrib.auth import get_user_model

    from careties.web.accounts.models import Membership

    user = get_user_model().objects.create_user(
        username=username, password="a-long-test-password-1"
    )
    Membership.objects.create(user=user, role=role, **scope)
    return user
