"""The upload's check and load tasks stream Client Level Data as ``careties import`` does.

Batches are a few hundred bytes, so the CLD file is split into dozens of parts;
what the tasks report and store must be what reading the file whole gives.
"""

from __future__ import annotations

import shutil

import pytest
from tests.data.test_stream_cld import cld_rows, write_cld
from tests.web.factories import frame, make_user

from careties.data import ValidationError, read
from careties.web.accounts.models import Role
from careties.web.store.models import CareEvent
from careties.web.store.services import import_frame
from careties.web.uploads import tasks
from careties.web.uploads.models import Upload

pytestmark = pytest.mark.django_db

LINCOLNSHIRE = "E10000019"  # 503 in Client Level Data


@pytest.fixture
def upload(monkeypatch, tmp_path):
    """A Lincolnshire CLD file uploaded (its rows only), with batches of 400 bytes."""
    monkeypatch.setattr("careties.data.stream.BATCH_BYTES", 400)
    import_frame(
        kind="local_authorities",
        frame=frame(
            "local_authorities",
            [{"la_code": LINCOLNSHIRE, "name": "Lincolnshire", "region": "East Midlands"}],
        ),
        source="councils.csv",
    )
    path = write_cld(tmp_path / "cld.csv", [r for r in cld_rows() if r.startswith("503,")])
    stored = tmp_path / "uploads" / "cld.csv"
    stored.parent.mkdir()
    shutil.copy(path, stored)
    user = make_user("lead-cld", Role.COUNCIL_LEAD, la_codes=[LINCOLNSHIRE])
    return Upload.objects.create(
        la_code=LINCOLNSHIRE,
        kind="events",
        filename="cld.csv",
        path=str(stored),
        user=user,
    ), path


def test_checking_and_loading_cld_give_what_reading_it_whole_gives(upload):
    upload, original = upload
    notes: list[str] = []
    whole = read("events", original, notes=notes)
    assert tasks.validate_upload.call(upload.pk) == Upload.Status.READY
    upload.refresh_from_db()
    assert upload.rows == whole.height and upload.notes == notes
    assert tasks.import_upload.call(upload.pk) == Upload.Status.IMPORTED
    stored = sorted(CareEvent.objects.values_list("event_reference", "person_key", "age"))
    assert stored == sorted(whole.select("event_reference", "person_key", "age").iter_rows())


def test_a_cld_file_with_errors_lists_those_reading_it_whole_lists(upload):
    upload, original = upload
    rows = original.read_text().splitlines()
    rows[-1] = rows[-1].replace("Service User", "Nobody")
    rows[2] = rows[2].replace(",2024-", ",2024-13-", 1)
    original.write_text("\n".join(rows) + "\n")
    shutil.copy(original, upload.path)
    with pytest.raises(ValidationError) as whole:
        read("events", original)
    assert tasks.validate_upload.call(upload.pk) == Upload.Status.INVALID
    upload.refresh_from_db()
    expected = [
        {"row": e.row, "column": e.column, "value": e.value, "reason": e.reason}
        for e in whole.value.errors
    ]
    assert upload.errors == expected and upload.error_total == whole.value.total >= 1


@pytest.mark.parametrize("task", ["validate_upload", "import_upload"])
def test_a_failure_the_task_does_not_expect_is_shown_on_the_page(upload, monkeypatch, task):
    upload, _ = upload

    def broken(*args, **kwargs):
        raise RuntimeError("the disk is full")

    monkeypatch.setattr(tasks, "open_stream", broken)
    monkeypatch.setattr(tasks, "import_file", broken)
    assert getattr(tasks, task).call(upload.pk) == Upload.Status.FAILED
    upload.refresh_from_db()
    assert (upload.stage, upload.message) == ("Stopped", "the disk is full")
