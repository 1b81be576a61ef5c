"""Client Level Data stored part by part: what storing the file read whole stores, all or nothing.

Batches are a few hundred bytes (``BATCH_BYTES`` patched), so the file is split
into dozens of parts and a person's rows are read in different chunks. Runs on
SQLite and, with ``DATABASE_URL``, on PostgreSQL.
"""

from __future__ import annotations

import polars as pl
import pytest
from tests.data.test_stream_cld import cld_rows, write_cld
from tests.web.factories import frame
from tests.web.store.test_streaming import councils  # noqa: F401 - the fixture

from careties.data import ValidationError, read
from careties.data.stream_cld import CldStream
from careties.web import selectors
from careties.web.store.models import CareEvent
from careties.web.store.scope import ScopeError
from careties.web.store.services import import_file, import_frame

pytestmark = pytest.mark.django_db

A, B = "E10000019", "E06000001"  # Lincolnshire (503 in the file) and Hartlepool


@pytest.fixture(autouse=True)
def small_batches(monkeypatch):
    monkeypatch.setattr("careties.data.stream.BATCH_BYTES", 400)


@pytest.fixture
def streamed(monkeypatch):
    """How many files went through ``CldStream`` (so a test knows it did not read whole)."""
    seen: list[str] = []
    finish = CldStream.finish

    def counted(self):
        seen.append(self.path.name)
        return finish(self)

    monkeypatch.setattr(CldStream, "finish", counted)
    return seen


@pytest.fixture
def lincolnshire(councils):  # noqa: F811 - the fixture imported above
    """Hartlepool and Middlesbrough (``test_streaming``), and Lincolnshire, 503 in CLD."""
    council = {"la_code": A, "name": "Lincolnshire", "region": "East Midlands"}
    import_frame(
        kind="local_authorities",
        frame=frame("local_authorities", [council]),
        source="cld-councils.csv",
    )


def _stored() -> pl.DataFrame:
    return selectors.load_frame("events", include_source=True).sort("la_code", "event_reference")


def test_a_streamed_import_stores_exactly_what_the_file_read_whole_stores(
    lincolnshire, streamed, tmp_path
):
    path = write_cld(tmp_path / "cld.csv", cld_rows())
    notes: list[str] = []
    result = import_file(kind="events", path=path, test_data=True, notes=notes)
    assert streamed == ["cld.csv"]
    by_parts = _stored()
    assert set(by_parts["la_code"]) == {A, B} and result.rows == by_parts.height

    CareEvent.objects.all().delete()
    whole_notes: list[str] = []
    whole = read("events", path, notes=whole_notes)
    import_frame(kind="events", frame=whole, source=path.name)
    assert _stored().equals(by_parts)
    assert notes == whole_notes
    # Blank optional fields stay blank; dates borrowed from a person's other rows are there.
    assert by_parts["gender"].null_count() > 0 and by_parts["age"].null_count() == 0


def test_a_bad_row_in_the_last_part_leaves_the_earlier_version_as_it_was(lincolnshire, tmp_path):
    path = write_cld(tmp_path / "cld.csv", cld_rows())
    import_file(kind="events", path=path, test_data=True)
    before = _stored()
    rows = cld_rows()
    rows[-1] = rows[-1].replace("Service User", "Service User,")  # one cell too many
    rows[-2] = rows[-2].replace("2024-", "2024/13/", 1)
    write_cld(path, [r.replace(",R0", ",NEW0") for r in rows])
    with pytest.raises(ValidationError) as raised:
        import_file(kind="events", path=path, test_data=True)
    assert {e.row for e in raised.value.errors} == {len(rows), len(rows) + 1}
    assert _stored().equals(before)


def test_an_upload_for_one_council_refuses_the_other_councils_rows_by_their_ons_code(
    lincolnshire, tmp_path
):
    path = write_cld(tmp_path / "cld.csv", cld_rows())
    with pytest.raises(ScopeError) as raised:
        import_file(kind="events", path=path, test_data=True, la_code=A)
    # Rows coded 503 are Lincolnshire's own; only Hartlepool's (even data rows) are refused.
    assert raised.value.problems[0] == f"row 3: belongs to council {B}, not {A}"
    assert CareEvent.objects.count() == 0


def test_a_council_reloading_its_file_leaves_the_other_councils_rows(lincolnshire, tmp_path):
    own = [r for r in cld_rows() if r.startswith("503,")]
    hartlepool = [r for r in cld_rows() if r.startswith(B)]
    import_file(kind="events", path=write_cld(tmp_path / "a.csv", own), test_data=True, la_code=A)
    import_file(
        kind="events", path=write_cld(tmp_path / "b.csv", hartlepool), test_data=True, la_code=B
    )
    theirs = _stored().filter(pl.col("la_code") == B)
    fewer = [r.replace(",R0", ",AGAIN0") for r in own[: len(own) // 2]]
    result = import_file(
        kind="events", path=write_cld(tmp_path / "a.csv", fewer), test_data=True, la_code=A
    )
    assert result.replaced > 0
    assert _stored().filter(pl.col("la_code") == B).equals(theirs)
    assert _stored().filter(pl.col("la_code") == A).height == result.rows
