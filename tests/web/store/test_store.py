"""The store: all-or-nothing imports keyed on natural keys, frames back out."""

from __future__ import annotations

import datetime as dt

import polars as pl
import pytest
from django.db import IntegrityError
from tests.web.factories import councils, events

from careties.data.frames import CANONICAL
from careties.web import selectors
from careties.web.store.models import MODEL_FOR_KIND, AuditEntry, CareEvent, ImportBatch
from careties.web.store.services import import_frame

pytestmark = pytest.mark.django_db


def test_every_canonical_column_has_a_model_field():
    for kind, schema in CANONICAL.items():
        fields = {f.name for f in MODEL_FOR_KIND[kind]._meta.get_fields()}
        assert set(schema) <= fields, kind


def test_frame_round_trips_through_the_store():
    stored = events(3)
    import_frame(kind="events", frame=stored, source="events.csv")
    loaded = selectors.load_frame("events")
    assert loaded.schema == stored.schema
    assert loaded.sort("event_reference").equals(stored.sort("event_reference"))


def test_importing_the_same_file_twice_changes_nothing():
    import_frame(kind="events", frame=events(3), source="events.csv")
    first = selectors.load_frame("events").sort("event_reference")
    import_frame(kind="events", frame=events(3), source="events.csv")
    assert CareEvent.objects.count() == 3
    assert selectors.load_frame("events").sort("event_reference").equals(first)


def test_a_corrected_file_replaces_its_earlier_version():
    import_frame(kind="events", frame=events(3), source="events.csv")
    corrected = events(2).with_columns(pl.lit(81).cast(pl.Int64).alias("age"))
    result = import_frame(kind="events", frame=corrected, source="events.csv")
    assert result.replaced == 3
    loaded = selectors.load_frame("events")
    assert loaded.height == 2
    assert loaded["age"].to_list() == [81, 81]


def test_same_keys_from_another_file_update_instead_of_duplicating():
    import_frame(kind="events", frame=events(2), source="q1.csv")
    import_frame(
        kind="events",
        frame=events(2).with_columns(pl.lit(90).cast(pl.Int64).alias("age")),
        source="q1-resent.csv",
    )
    assert CareEvent.objects.count() == 2
    assert set(selectors.load_frame("events")["age"]) == {90}


def test_a_failing_import_leaves_the_store_as_it_was():
    import_frame(kind="events", frame=events(2), source="events.csv")
    broken = events(2).with_columns(pl.lit(None, dtype=pl.Date).alias("start_date"))
    with pytest.raises(IntegrityError):
        import_frame(kind="events", frame=broken, source="events.csv")
    assert CareEvent.objects.count() == 2
    assert selectors.load_frame("events")["start_date"].to_list() == [dt.date(2024, 5, 1)] * 2


def test_imports_are_recorded_and_audited():
    import_frame(kind="local_authorities", frame=councils(), source="councils.csv")
    batch = ImportBatch.objects.get()
    assert (batch.kind, batch.rows, batch.source) == ("local_authorities", 2, "councils.csv")
    assert AuditEntry.objects.filter(action="import").count() == 1


def test_selector_filters_by_council():
    import_frame(kind="events", frame=events(2, "E06000001"), source="a.csv")
    import_frame(
        kind="events",
        frame=events(1, "E06000002").with_columns(pl.lit("EVX").alias("event_reference")),
        source="b.csv",
    )
    assert selectors.load_frame("events", "E06000002").height == 1
    assert selectors.load_frame("events").height == 3


def test_empty_store_gives_canonical_empty_frame():
    loaded = selectors.load_frame("contacts")
    assert loaded.height == 0
    assert loaded.schema == pl.Schema(CANONICAL["contacts"])


def test_nulls_empty_text_commas_and_quotes_survive_the_store():
    tricky = events(3).with_columns(
        pl.Series("event_outcome", [None, "", 'NFA: "advice", then, signposting'])
    )
    import_frame(kind="events", frame=tricky, source="tricky.csv")
    loaded = selectors.load_frame("events").sort("event_reference")
    assert loaded["event_outcome"].to_list() == [None, "", 'NFA: "advice", then, signposting']


def test_duplicate_keys_in_one_frame_keep_the_last_row():
    twice = pl.concat([events(1), events(1).with_columns(pl.lit(99).cast(pl.Int64).alias("age"))])
    import_frame(kind="events", frame=twice, source="twice.csv")
    assert selectors.load_frame("events")["age"].to_list() == [99]
