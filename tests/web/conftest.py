"""Fixtures shared by the web areas' tests: the council lead who makes most writes, and
each area's ``WRITES`` checked by the one service contract (``tests.web.writes``)."""

from __future__ import annotations

import pytest

from careties.web.accounts.models import Role

from .factories import make_user

HOME = "E06000001"


def pytest_generate_tests(metafunc: pytest.Metafunc) -> None:
    """A test asking for ``write`` runs once for each write service its module lists in WRITES."""
    if "write" in metafunc.fixturenames:
        writes = metafunc.module.WRITES
        metafunc.parametrize("write", writes, ids=[w.__name__ for w in writes])


@pytest.fixture
def council_lead(db):
    """The lead of E06000001 (factory-boy, through ``factories.make_user``)."""
    return make_user("lead", Role.COUNCIL_LEAD, la_codes=[HOME])
