"""Events files stored batch by batch: all or nothing, one council at a time, counts kept.

Batches here are a few kilobytes (``BATCH_BYTES`` patched), so a file of a few
hundred rows is written in dozens of batches, as England's events file is in
hundreds. Runs on SQLite and, with ``DATABASE_URL``, on PostgreSQL.
"""

from __future__ import annotations

import polars as pl
import pytest
from tests.web.factories import frame

from careties.data import ValidationError
from careties.web import selectors
from careties.web.scale import aggregates
from careties.web.scale.models import AdmissionCount
from careties.web.store.models import CareEvent, ImportBatch
from careties.web.store.scope import ScopeError
from careties.web.store.services import import_file, import_frame

pytestmark = pytest.mark.django_db

A, B = "E06000001", "E06000002"
HEADER = (
    "event_reference,person_id,date_of_birth,la_code,event_type,start_date,end_date,"
    "service_type,route_of_access,practice_code,professional_id,event_outcome"
)


@pytest.fixture(autouse=True)
def small_batches(monkeypatch):
    monkeypatch.setattr("careties.data.stream.BATCH_BYTES", 3_000)


@pytest.fixture
def councils():
    import_frame(
        kind="local_authorities",
        frame=frame(
            "local_authorities",
            [
                {"la_code": A, "name": "Hartlepool", "region": "North East"},
                {"la_code": B, "name": "Middlesbrough", "region": "North East"},
            ],
        ),
        source="councils.csv",
    )
    import_frame(
        kind="practices",
        frame=frame(
            "practices",
            [
                {"practice_code": "A81001", "name": "A", "postcode": "TS1", "la_code": A},
                {"practice_code": "B81001", "name": "B", "postcode": "TS2", "la_code": B},
            ],
        ).with_columns(pl.lit("A").alias("status")),
        source="practices.csv",
    )


def _events(path, la_code: str, n: int, *, prefix: str = "EV", first_year: int = 2023):
    """``n`` events: every third a permanent care home admission (ages 66 to 95)."""
    practice = "A81001" if la_code == A else "B81001"
    rows = []
    for i in range(n):
        kind, service = [("service", "long_term_residential"), ("request", ""), ("assessment", "")][
            i % 3
        ]
        year = first_year + i % 2
        rows.append(
            f"{prefix}{i:05d},P{la_code[-1]}{i // 3},{1930 + i % 30}-03-01,{la_code},{kind},"
            f"{year}-{1 + i % 12:02d}-{1 + i % 27:02d},,{service},community,{practice},,"
        )
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(HEADER + "\n" + "\n".join(rows) + "\n")
    return path


def _stored(la_code: str) -> pl.DataFrame:
    return selectors.load_frame("events", la_code).sort("event_reference")


def test_a_bad_row_in_the_last_batch_writes_nothing_on_a_first_load(councils, tmp_path):
    path = _events(tmp_path / "events.csv", A, 600)
    lines = path.read_text().splitlines()
    lines[-1] = lines[-1].replace(",community,", ",by_pigeon,")
    path.write_text("\n".join(lines) + "\n")
    with pytest.raises(ValidationError) as raised:
        import_file(kind="events", path=path, test_data=True)
    [error] = raised.value.errors
    assert (error.row, error.column, error.value) == (601, "route_of_access", "by_pigeon")
    assert CareEvent.objects.count() == 0 and AdmissionCount.objects.count() == 0
    assert not ImportBatch.objects.filter(kind="events").exists()


def test_a_bad_row_in_the_last_batch_leaves_the_earlier_version_as_it_was(councils, tmp_path):
    import_file(kind="events", path=_events(tmp_path / "events.csv", A, 300), test_data=True)
    before, counts = _stored(A), AdmissionCount.objects.count()
    path = _events(tmp_path / "events.csv", A, 600, prefix="NEW")
    path.write_text(path.read_text() + f"NEW00001,P1,1940-01-01,{A},request,2024-01-01,,,,,,\n")
    with pytest.raises(ValidationError) as raised:
        import_file(kind="events", path=path, test_data=True)
    assert "duplicate of row 3" in raised.value.errors[0].reason
    assert raised.value.errors[0].row == 602
    assert _stored(A).equals(before) and AdmissionCount.objects.count() == counts


def test_a_second_version_replaces_its_council_and_period_and_never_the_other_council(
    councils, tmp_path
):
    import_file(kind="events", path=_events(tmp_path / "a" / "events.csv", A, 300), test_data=True)
    import_file(kind="events", path=_events(tmp_path / "events.csv", B, 240), test_data=True)
    council_b = _stored(B)
    replaced: list = []
    result = import_file(
        kind="events",
        path=_events(tmp_path / "a" / "events.csv", A, 150, prefix="V2"),
        test_data=True,
        confirm=replaced.extend,
    )
    assert result.rows == 150 and result.replaced == 300
    assert [(r.la_code, r.rows) for r in replaced] == [(A, 300)]
    assert _stored(A)["event_reference"].str.starts_with("V2").all() and _stored(A).height == 150
    assert _stored(B).equals(council_b)


def test_an_upload_for_one_council_refuses_rows_of_another_and_writes_nothing(councils, tmp_path):
    path = _events(tmp_path / "events.csv", A, 300)
    lines = path.read_text().splitlines()
    lines[291] = lines[291].replace(A, B)  # file row 292
    path.write_text("\n".join(lines) + "\n")
    with pytest.raises(ScopeError) as raised:
        import_file(kind="events", path=path, la_code=A, test_data=True)
    assert raised.value.problems == [f"row 292: belongs to council {B}, not {A}"]
    assert CareEvent.objects.count() == 0


def test_admissions_counts_after_a_streamed_import_equal_a_recount(councils, tmp_path):
    import_file(kind="events", path=_events(tmp_path / "a" / "events.csv", A, 450), test_data=True)
    import_file(kind="events", path=_events(tmp_path / "events.csv", B, 300), test_data=True)
    import_file(
        kind="events",
        path=_events(tmp_path / "a" / "events.csv", A, 240, prefix="V2"),
        test_data=True,
    )
    stored = pl.DataFrame(
        list(
            AdmissionCount.objects.values(
                "la_code", "practice_code", "month", "financial_year", "age_65_plus", "admissions"
            )
        )
    ).sort("la_code", "month", "practice_code", "age_65_plus")
    recount = aggregates.counts_from_events(pl.concat([_stored(A), _stored(B)]))
    assert stored.height > 0 and set(stored["la_code"]) == {A, B}
    assert stored.equals(recount.select(stored.columns))


def test_progress_reports_rows_read_checked_and_written_after_every_batch(councils, tmp_path):
    seen: list[tuple[int, int, int]] = []
    result = import_file(
        kind="events",
        path=_events(tmp_path / "events.csv", A, 500),
        test_data=True,
        on_progress=lambda p: seen.append((p.read, p.validated, p.written)),
    )
    assert len(seen) > 10
    written = [w for _, _, w in seen]
    assert written == sorted(written) and written[-1] == result.rows == 500
    assert all(r >= v >= w for r, v, w in seen)
