"""Frames read as Arrow equal the frames read row by row, kind by kind, council by council.

Arrow reads are PostgreSQL's (``DATABASE_URL`` set): the committed test database
is read both ways. SQLite stores always read through Django's cursor.
"""

from __future__ import annotations

import datetime as dt
import sys

import polars as pl
import pytest
from django.db import connection
from tests.web import dashboard_data
from tests.web.factories import frame

from careties.data.frames import CANONICAL, NATURAL_KEYS
from careties.web import arrow, selectors
from careties.web.store.models import MODEL_FOR_KIND
from careties.web.store.services import import_frame

OTHER = "E06000002"


def _load_two_councils() -> str:
    facts = dashboard_data.load()
    la_code = facts["la_code"]
    import_frame(
        kind="local_authorities",
        frame=frame(
            "local_authorities", [{"la_code": OTHER, "name": "Other", "region": "North East"}]
        ),
        source="other-la.csv",
    )
    import_frame(
        kind="professionals",
        frame=frame(
            "professionals",
            [
                {
                    "professional_id": "SWX",
                    "role": "social_worker",
                    "organisation": "X",
                    "la_code": OTHER,
                }
            ],
        ),
        source="other-staff.csv",
    )
    mine = selectors.load_frame("professionals", la_code)["professional_id"][0]
    # Contacts across the border: one from each side, and one wholly in the other council.
    import_frame(
        kind="contacts",
        frame=frame(
            "contacts",
            [
                {
                    "contact_reference": "X1",
                    "contact_date": dt.date(2024, 6, 1),
                    "from_professional": "SWX",
                    "to_professional": mine,
                    "channel": "phone",
                    "purpose": "referral",
                    "minutes": 5,
                },
                {
                    "contact_reference": "X2",
                    "contact_date": dt.date(2024, 6, 2),
                    "from_professional": mine,
                    "to_professional": "SWX",
                    "channel": "phone",
                    "purpose": "referral",
                    "minutes": 5,
                },
                {
                    "contact_reference": "X3",
                    "contact_date": dt.date(2024, 6, 3),
                    "from_professional": "SWX",
                    "to_professional": "SWX",
                    "channel": "phone",
                    "purpose": "referral",
                    "minutes": 5,
                },
            ],
        ),
        source="border.csv",
    )
    return la_code


def _sorted(kind: str, found: pl.DataFrame) -> pl.DataFrame:
    return found.sort(list(NATURAL_KEYS[kind]), nulls_last=True)


@pytest.mark.django_db(transaction=True)
def test_sqlite_never_reads_through_a_second_copy_of_sqlite(monkeypatch):
    """ADBC's SQLite driver links its own SQLite; two copies in one process break
    each other's file locks (sqlite.org/howtocorrupt.html 2.2.1), so a file-backed
    SQLite store outside any transaction still reads through Django's cursor."""
    if connection.vendor != "sqlite":
        pytest.skip("SQLite only")
    monkeypatch.setattr(connection, "is_in_memory_db", lambda: False)
    assert not connection.in_atomic_block
    assert arrow.reader_name() == "cursor"
    la_code = _load_two_councils()
    assert selectors.load_frame("events", la_code).height > 0
    assert "adbc_driver_sqlite" not in sys.modules


@pytest.mark.django_db
def test_contacts_belong_to_the_councils_of_both_ends():
    la_code = _load_two_councils()
    theirs = set(selectors.load_frame("contacts", OTHER)["contact_reference"])
    assert theirs == {"X1", "X2", "X3"}
    mine = selectors.load_frame("contacts", la_code)["contact_reference"].to_list()
    assert {"X1", "X2"} <= set(mine) and "X3" not in mine
    assert len(mine) == len(set(mine))  # a contact within one council is returned once


@pytest.mark.django_db(transaction=True)
def test_postgresql_reads_arrow_outside_a_transaction():
    if connection.vendor != "postgresql":
        pytest.skip("needs DATABASE_URL pointing at PostgreSQL")
    la_code = _load_two_councils()
    assert arrow.reader_name() == "adbc-postgresql"
    try:
        _compare_every_kind(la_code)
    finally:
        arrow.close()  # or the test database cannot be dropped


def _compare_every_kind(la_code: str) -> None:
    for kind in CANONICAL:
        for scope in (None, la_code, OTHER):
            columnar = selectors.load_frame(kind, scope)
            schema = {**CANONICAL[kind]}
            table = connection.ops.quote_name(MODEL_FOR_KIND[kind]._meta.db_table)
            sql, params = selectors.scoped_select(kind, table, list(schema), scope)
            rows = arrow._read_cursor(sql, params, schema).cast(schema)
            assert _sorted(kind, columnar).equals(_sorted(kind, rows)), (kind, scope)
