"""Reading a file in batches gives what reading it whole gives, errors included.

``careties.data.stream`` cuts a file at record boundaries and checks each batch
with the same contract as ``read()``; these tests make batches of a few
kilobytes so that a small file spans many of them.
"""

from __future__ import annotations

import io

import polars as pl
import pytest

from careties.data import ValidationError, read
from careties.data.stream import record_chunks
from careties.data.stream_open import open_stream

HEADER = (
    "event_reference,person_id,date_of_birth,la_code,event_type,start_date,end_date,"
    "service_type,route_of_access,practice_code,professional_id,event_outcome"
)
COUNCIL = "E06000001"


def _row(i: int, *, event_type: str = "service", reference: str | None = None) -> str:
    service = "long_term_residential" if event_type == "service" else ""
    return (
        f"{reference or f'EV{i:06d}'},P{i % 97},1940-01-0{1 + i % 9},{COUNCIL},{event_type},"
        f"2024-0{1 + i % 9}-1{i % 10},,{service},community,A81001,,"
    )


def _write(path, rows: list[str]) -> None:
    path.write_text(HEADER + "\n" + "\n".join(rows) + "\n")


def _stream(path, **options):
    stream = open_stream("events", path, batch_bytes=2_000, **options)
    assert stream is not None
    return stream


def test_chunks_end_at_records_and_keep_quoted_newlines_whole():
    text = b'a,b\n1,"two\nlines"\n3,"say ""hi""\n"\n4,x\n' * 50
    chunks = list(record_chunks(io.BytesIO(text), size=7))
    assert b"".join(c for c, _ in chunks) == text
    assert sum(n for _, n in chunks) == 4 * 50
    for chunk, _ in chunks:
        assert chunk.count(b'"') % 2 == 0 and chunk.endswith(b"\n")


def test_batches_give_exactly_what_the_whole_file_gives(tmp_path):
    path = tmp_path / "events.csv"
    _write(path, [_row(i, event_type=("service", "request")[i % 2]) for i in range(400)])
    whole = read("events", path)
    stream = _stream(path)
    batches = list(stream.batches())
    summary = stream.finish()
    assert len(batches) > 5
    assert pl.concat(batches).equals(whole)
    assert summary.rows == 400 == stream.progress.validated == stream.progress.read
    first, last = whole["start_date"].min(), whole["start_date"].max()
    assert summary.periods == {COUNCIL: (first, last)}


def test_an_error_in_the_last_batch_is_named_by_row_and_column_and_stops_every_write(tmp_path):
    rows = [_row(i) for i in range(400)]
    rows[-2] = rows[-2].replace(",service,", ",visit,")
    path = tmp_path / "events.csv"
    _write(path, rows)
    stream = _stream(path)
    yielded = [b for b in stream.batches()]
    with pytest.raises(ValidationError) as raised:
        stream.finish()
    # Batches before the error were yielded (a writer rolls them back); none after it.
    assert sum(b.height for b in yielded) < 400 - 1
    [error] = raised.value.errors
    assert (error.row, error.column, error.value) == (400, "event_type", "visit")
    with pytest.raises(ValidationError) as whole:
        read("events", path)
    assert [(e.row, e.column) for e in whole.value.errors] == [(400, "event_type")]


def test_a_key_repeated_in_another_batch_is_a_duplicate_naming_the_first_row(tmp_path):
    rows = [_row(i) for i in range(400)]
    rows[350] = _row(350, reference="EV000003")  # file row 352 repeats file row 5
    path = tmp_path / "events.csv"
    _write(path, rows)
    stream = _stream(path)
    for _ in stream.batches():
        pass
    with pytest.raises(ValidationError) as raised:
        stream.finish()
    [error] = raised.value.errors
    assert error.row == 352 and error.column == "event_reference"
    assert "duplicate of row 5" in error.reason


def test_rows_of_another_council_are_listed_for_an_upload_of_one_council(tmp_path):
    rows = [_row(i) for i in range(300)]
    rows[280] = rows[280].replace(COUNCIL, "E06000002")
    path = tmp_path / "events.csv"
    _write(path, rows)
    stream = _stream(path, only_la_code=COUNCIL)
    for _ in stream.batches():
        pass
    assert stream.finish().foreign == [f"row 282: belongs to council E06000002, not {COUNCIL}"]


def test_progress_is_reported_after_every_batch_in_rows(tmp_path):
    path = tmp_path / "events.csv"
    _write(path, [_row(i) for i in range(300)])
    seen: list[tuple[int, int, float]] = []
    stream = _stream(path, on_batch=lambda p: seen.append((p.read, p.validated, p.share)))
    for _ in stream.batches():
        pass
    stream.finish()
    assert len(seen) > 3
    assert [r for r, _, _ in seen] == sorted(r for r, _, _ in seen)
    assert seen[-1][:2] == (300, 300) and seen[-1][2] == pytest.approx(1.0)


def test_workbooks_and_other_kinds_are_read_whole(tmp_path):
    # Client Level Data is streamed by person: tests/data/test_stream_cld.py.
    cld = tmp_path / "cld.csv"
    cld.write_text("LA_Code,Event_Start_Date,Event_Type\nE06000001,2024-01-01,Request\n")
    assert open_stream("events", tmp_path / "events.xlsx") is None
    assert open_stream("practices", cld) is None
