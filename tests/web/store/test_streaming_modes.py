"""The three ways a streamed import writes (into an empty table, straight, staged) agree.

An empty table is loaded with plain inserts (PostgreSQL: COPY straight into
the table with its secondary indexes dropped and rebuilt); a first load of a
file into a table holding other files' rows copies straight into the table
and falls back to upserting when a key is held by another file. Runs on
SQLite and, with ``DATABASE_URL``, on PostgreSQL.
"""

from __future__ import annotations

import threading

import polars as pl
import pytest
from django.db import connection
from tests.web.store.test_streaming import A, B, _events, _stored, councils  # noqa: F401

from careties.data.stream import FileStream
from careties.web.scale import aggregates
from careties.web.scale.models import AdmissionCount
from careties.web.store.models import CareEvent
from careties.web.store.services import import_file
from careties.web.store.streaming import ahead

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("councils")]


@pytest.fixture(autouse=True)
def small_batches(monkeypatch):
    monkeypatch.setattr("careties.data.stream.BATCH_BYTES", 3_000)


def _indexes() -> list[tuple]:
    """Every index of the events table, as the database describes it."""
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            cursor.execute(
                "SELECT indexname, indexdef FROM pg_indexes"
                " WHERE tablename = 'careties_events' ORDER BY indexname"
            )
        else:
            cursor.execute(
                "SELECT name, sql FROM sqlite_master WHERE type = 'index'"
                " AND tbl_name = 'careties_events' ORDER BY name"
            )
        return cursor.fetchall()


def test_a_load_into_an_empty_table_leaves_the_indexes_and_rows_of_an_upsert(tmp_path):
    before = _indexes()
    assert before  # the natural key's unique index at least
    path = _events(tmp_path / "events.csv", A, 400)
    import_file(kind="events", path=path, test_data=True)  # empty table
    assert _indexes() == before
    empty_load = _stored(A)
    CareEvent.objects.all().delete()
    # The same rows loaded beside another council's: upserted batch by batch.
    import_file(kind="events", path=_events(tmp_path / "b" / "events.csv", B, 30), test_data=True)
    import_file(kind="events", path=_events(tmp_path / "a" / "events.csv", A, 400), test_data=True)
    assert _stored(A).equals(empty_load)
    assert _indexes() == before


def _counts() -> pl.DataFrame:
    rows = AdmissionCount.objects.values(
        "la_code", "practice_code", "month", "financial_year", "age_65_plus", "admissions"
    )
    return pl.DataFrame(list(rows)).sort("la_code", "month", "practice_code", "age_65_plus")


def test_a_load_into_an_empty_table_counts_admissions_as_a_recount_of_the_stored_rows(tmp_path):
    import_file(kind="events", path=_events(tmp_path / "events.csv", A, 450), test_data=True)
    kept = _counts()
    assert kept.height > 0 and kept["admissions"].sum() > 0
    recount = aggregates.counts_from_events(_stored(A))
    assert kept.equals(recount.select(kept.columns))
    aggregates.refresh_admissions([A])  # again: nothing changes
    assert _counts().equals(kept)


def test_a_key_held_by_another_file_is_taken_over_as_before(tmp_path):
    import_file(kind="events", path=_events(tmp_path / "events.csv", A, 200), test_data=True)
    # A file of another name holding the same 200 keys and 100 new ones: on PostgreSQL the
    # straight COPY meets the unique index and the batches go through the upsert instead.
    result = import_file(
        kind="events",
        path=_events(tmp_path / "renamed.csv", A, 300, first_year=2020),
        test_data=True,
    )
    stored = _stored(A)
    assert result.rows == 300 and stored.height == 300
    assert stored["start_date"].dt.year().max() == 2021  # every row is the new file's
    assert set(CareEvent.objects.values_list("source", flat=True)) == {"renamed.csv"}


def test_a_file_name_with_quotes_and_percent_signs_is_stored_as_given(tmp_path):
    # SQLite writes the name once as a literal (quoted by SQLite) instead of binding it a row.
    name = "o'brien %s 100%.csv"
    import_file(kind="events", path=_events(tmp_path / name, A, 120), test_data=True)
    assert set(CareEvent.objects.values_list("source", flat=True)) == {name}
    assert CareEvent.objects.count() == 120


def test_a_repeated_key_that_escaped_the_checks_rolls_the_empty_table_load_back(
    tmp_path, monkeypatch
):
    # The stream refuses keys repeated across batches; were that check ever to miss one,
    # the unique index (kept on SQLite, rebuilt at the end on PostgreSQL) still refuses it.
    monkeypatch.setattr(FileStream, "_repeated_across_batches", lambda self: None)
    path = _events(tmp_path / "events.csv", A, 300)
    first = path.read_text().splitlines()[1]
    path.write_text(path.read_text() + first + "\n")
    with pytest.raises(Exception, match="(?i)unique|duplicate"):
        import_file(kind="events", path=path, test_data=True)
    assert CareEvent.objects.count() == 0


def test_reading_ahead_gives_every_item_in_order_and_raises_a_reading_error():
    assert list(ahead(range(50), lambda n: n * n)) == [n * n for n in range(50)]

    def broken():
        yield 1
        raise ValueError("row 7: bad")

    with pytest.raises(ValueError, match="row 7"):
        list(ahead(broken(), lambda n: n))


def test_reading_ahead_stops_its_thread_when_the_writer_stops_early():
    closed = threading.Event()

    def endless():
        try:
            n = 0
            while True:
                yield n
                n += 1
        finally:
            closed.set()

    items = ahead(endless(), lambda n: n)
    assert [next(items) for _ in range(3)] == [0, 1, 2]
    items.close()
    assert closed.wait(5)
    assert not any(t.name == "careties-read-ahead" for t in threading.enumerate())
