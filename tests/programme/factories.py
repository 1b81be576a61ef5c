"""Users and canonical frames for programme tests (kept here so the tests stand alone)."""

from __future__ import annotations

import polars as pl

from careties.data.frames import CANONICAL


def frame(kind: str, rows: list[dict]) -> pl.DataFrame:
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


def make_user(username: str, role: str, **scope):
    from django.contrib.auth import get_user_model

    from careties.web.accounts.models import Membership

    user = get_user_model().objects.create_user(
        username=username, password="a-long-test-password-1"
    )
    Membership.objects.create(user=user, role=role, **scope)
    return user
