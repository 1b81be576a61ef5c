"""Client Level Data read part by part gives what reading it whole gives, errors and notes included.

Batches here are a few hundred bytes, so a person's rows fall in different
chunks of the first pass and the rules across rows (dates borrowed from the
person's other rows, DHSC's unique events, a repeated Event_Reference) must
join rows that were read far apart.
"""

from __future__ import annotations

import polars as pl
import pytest

from careties.data import ValidationError, read
from careties.data.stream_cld import CldStream
from careties.data.stream_open import open_stream

KEY = b"test-key"
HEADER = (
    "LA_Code,LA_Person_Unique_Identifier,NHS_Number,GP_Practice_Code,Gender,Date_of_Birth,"
    "Date_of_Death,Client_Type,Event_Type,Event_Reference,Event_Start_Date,Event_End_Date,"
    "Event_Outcome,Request: Route of Access,Service_Type,Service_Component,Local_Extra"
)
RESIDENTIAL = "Long Term Support: Residential Care,Residential Care: Permanent"


def cld_rows(n: int = 240) -> list[str]:
    """Two councils (one by integer code), 23 people each, in rows far apart.

    A person's date of birth is given on one row only (the others borrow it),
    some rows repeat an earlier event (kept once), some have no Event_Reference
    (derived), some are carers with no event, and optional fields are blank.
    """
    rows = []
    for i in range(n):
        council = ("503", "E06000001")[i % 2]
        person = f"P{i % 23}"
        born = f"19{40 + i % 23}-0{1 + i % 9}-15" if i < 46 else ""
        nhs = "943 476 5919" if i % 23 == 5 and council == "503" else ""
        reference = "" if i % 17 == 3 else f"R{i:04d}"
        if i % 31 == 7 and i > 46:
            rows.append(f"{council},{person},,,Female,{born},,Carer,,,,,,,,,x")
            continue
        if i % 3 == 0:
            event = f"Service,{reference},2024-0{1 + i % 9}-01,,,,{RESIDENTIAL}"
        elif i % 3 == 1:
            event = (
                f"Request,{reference},2024-0{1 + i % 9}-02,,NFA: Support declined,Self-referral,,"
            )
        else:
            event = f"Review,{reference},2024-0{1 + i % 9}-03,2024-12-01,,,,"
        died = "2024-12-31" if i % 23 == 4 and i > 200 else ""
        rows.append(f"{council},{person},{nhs},A81001,,{born},{died},Service User,{event},")
    # The same events again near the end, with other references: DHSC keeps each once.
    rows += [row.replace(",R0", ",AGAIN0", 1) for row in rows[10:16]]
    return rows


def write_cld(path, rows: list[str]):
    path.write_text(HEADER + "\n" + "\n".join(rows) + "\n")
    return path


def _whole(path):
    notes: list[str] = []
    try:
        frame = read("events", path, pseudonymisation_key=KEY, notes=notes)
    except ValidationError as error:
        return None, error, notes
    return frame, None, notes


def _streamed(path, batch_bytes: int = 400):
    stream = open_stream("events", path, pseudonymisation_key=KEY, batch_bytes=batch_bytes)
    assert isinstance(stream, CldStream)
    batches = list(stream.batches())
    try:
        stream.finish()
    except ValidationError as error:
        return batches, error, stream
    return batches, None, stream


def _in_order(frame: pl.DataFrame) -> pl.DataFrame:
    return frame.sort("la_code", "event_reference")


def test_parts_give_exactly_the_rows_and_notes_of_the_whole_file(tmp_path):
    path = write_cld(tmp_path / "cld.csv", cld_rows())
    whole, error, notes = _whole(path)
    assert error is None
    batches, error, stream = _streamed(path)
    assert error is None
    assert stream.parts > 20 and len(batches) > 10
    assert _in_order(pl.concat(batches)).equals(_in_order(whole))
    assert stream.summary.notes == notes
    assert any("kept once" in n for n in notes) and any("carer" in n for n in notes)
    assert any("derived" in n for n in notes) and any("Local_Extra" in n for n in notes)
    # The cross-row rules did something the parts could not have done alone.
    assert whole["age"].null_count() == 0
    assert set(whole["la_code"]) == {"E10000019", "E06000001"}
    assert stream.summary.rows == whole.height == stream.progress.validated


def test_a_date_borrowed_from_a_row_in_another_batch_is_checked_as_the_whole_file_checks_it(
    tmp_path,
):
    rows = cld_rows()
    # Person P2's birth date (given on row 3 only) moves after an event late in the file.
    rows[2] = rows[2].replace("1942-03-15", "2024-08-20")
    path = write_cld(tmp_path / "cld.csv", rows)
    _, whole, _ = _whole(path)
    _, streamed, _ = _streamed(path)
    assert whole is not None and streamed is not None
    assert streamed.errors == whole.errors and streamed.total == whole.total
    later = [e for e in whole.errors if e.row > 100 and "after the event's start" in e.reason]
    assert later, "a row far from the date of birth is refused for it"


def test_a_repeated_reference_names_the_first_row_of_the_file_whatever_the_part(tmp_path):
    rows = cld_rows()
    for i in (121, 201):  # other people, other parts: each repeats row 2's reference
        rows[i] = rows[i].replace(f",R{i:04d},", ",R0001,")
    path = write_cld(tmp_path / "cld.csv", rows)
    _, whole, _ = _whole(path)
    _, streamed, _ = _streamed(path)
    assert streamed.errors == whole.errors and streamed.total == whole.total
    repeats = [(e.row, e.reason) for e in whole.errors]
    assert repeats == [
        (123, "duplicate of row 3 (same LA_Code, Event_Reference)"),
        (203, "duplicate of row 3 (same LA_Code, Event_Reference)"),
    ]


def test_a_missing_column_is_one_file_error_not_one_per_part(tmp_path):
    rows = [",".join(r.split(",")[:8] + r.split(",")[9:]) for r in cld_rows()]
    header = HEADER.replace("Event_Type,", "")
    path = tmp_path / "cld.csv"
    path.write_text(header + "\n" + "\n".join(rows) + "\n")
    _, whole, _ = _whole(path)
    _, streamed, _ = _streamed(path)
    assert [str(e) for e in streamed.errors] == [str(e) for e in whole.errors]
    assert [e.reason for e in whole.errors] == ["missing required column 'event_type'"]


def test_bad_rows_in_several_parts_are_all_reported_as_read_whole(tmp_path):
    rows = cld_rows()
    rows[4] = rows[4].replace("2024-05-02", "2024-13-02")
    rows[151] = rows[151].replace("Request", "Visit")
    rows[-1] = rows[-1].replace("A81001", "NOT A PRACTICE")
    path = write_cld(tmp_path / "cld.csv", rows)
    _, whole, _ = _whole(path)
    batches, streamed, _ = _streamed(path)
    assert len(whole.errors) >= 3
    assert streamed.errors == whole.errors and streamed.total == whole.total
    assert sum(b.height for b in batches) < len(rows)


def test_only_carers_without_events_is_refused_as_read_whole(tmp_path):
    path = write_cld(tmp_path / "cld.csv", [f"503,P{i},,,,,,Carer,,,,,,,,," for i in range(50)])
    _, whole, _ = _whole(path)
    _, streamed, _ = _streamed(path)
    assert [str(e) for e in streamed.errors] == [str(e) for e in whole.errors]


@pytest.mark.parametrize("batch_bytes", [250, 4_000, 1 << 20])
def test_any_batch_size_gives_the_same_rows(tmp_path, batch_bytes):
    path = write_cld(tmp_path / "cld.csv", cld_rows(120))
    whole, _, _ = _whole(path)
    batches, error, _ = _streamed(path, batch_bytes)
    assert error is None
    assert _in_order(pl.concat(batches)).equals(_in_order(whole))


def test_progress_fills_the_bar_once_over_both_passes(tmp_path):
    path = write_cld(tmp_path / "cld.csv", cld_rows())
    seen: list[tuple[str, float]] = []
    stream = open_stream(
        "events",
        path,
        pseudonymisation_key=KEY,
        batch_bytes=400,
        on_batch=lambda state: seen.append((state.stage, state.share)),
    )
    list(stream.batches())
    shares = [share for _, share in seen]
    assert shares == sorted(shares) and shares[-1] == 1.0
    assert {stage for stage, _ in seen} == {"split by person", "read and check"}
    assert max(s for stage, s in seen if stage == "split by person") <= 0.5


@pytest.mark.parametrize("batch_bytes", [4_000, 1 << 20])
def test_errors_past_those_kept_in_detail_are_counted_as_read_whole(tmp_path, batch_bytes):
    # Every row repeats one reference and most have a bad start date: more errors than
    # are kept in detail, in one part (1 MiB batches) or spread over many.
    rows = [
        r.replace(f",R{i:04d},", ",SAME,").replace(",2024-", ",20x4-", 1)
        for i, r in enumerate(cld_rows(1_300))
    ]
    path = write_cld(tmp_path / "cld.csv", rows)
    _, whole, _ = _whole(path)
    _, streamed, _ = _streamed(path, batch_bytes)
    assert whole.total > 2_000 and len(whole.errors) == 1_000
    assert streamed.total == whole.total and len(streamed.errors) == 1_000


def test_the_parts_on_disk_are_removed_when_done_or_abandoned(tmp_path, monkeypatch):
    monkeypatch.setattr("tempfile.tempdir", str(tmp_path / "temp"))
    (tmp_path / "temp").mkdir()
    path = write_cld(tmp_path / "cld.csv", cld_rows())
    stream = open_stream("events", path, pseudonymisation_key=KEY, batch_bytes=400)
    batches = stream.batches()
    next(batches)
    assert [p.name for p in (tmp_path / "temp").iterdir()][0].startswith("careties-cld-")
    batches.close()  # a writer that stops early (an error in the store, say)
    assert not list((tmp_path / "temp").iterdir())
    list(open_stream("events", path, pseudonymisation_key=KEY, batch_bytes=400).batches())
    assert not list((tmp_path / "temp").iterdir())
