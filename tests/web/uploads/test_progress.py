"""Large uploads: the progress bar moves by rows, and files past the limit are refused unread."""

from __future__ import annotations

import pytest
from django.urls import reverse
from tests.web.factories import make_user
from tests.web.uploads.test_uploads import files  # noqa: F401 - the synthetic council's files

from careties.data.stream import Progress
from careties.web.accounts.models import Role
from careties.web.uploads import progress

pytestmark = pytest.mark.django_db


def _upload(la_code: str, path, user, status: str = "validating"):
    from careties.web.uploads.models import Upload

    return Upload.objects.create(
        la_code=la_code, kind="events", filename=path.name, path=str(path), status=status, user=user
    )


def test_the_partial_shows_rows_read_checked_and_written(client, files, tmp_path):  # noqa: F811
    _, la_code = files
    user = make_user("lead-rows", Role.COUNCIL_LEAD, la_codes=[la_code])
    upload = _upload(la_code, tmp_path / "events.csv", user, status="importing")
    progress.report(
        upload.path,
        "Loading",
        Progress(read=120_000, validated=110_000, written=90_000, share=0.37),
    )
    client.force_login(user)
    html = client.get(
        reverse("uploads:detail", args=[upload.pk]), headers={"HX-Request": "true"}
    ).content.decode()
    assert "120,000 rows read, 110,000 checked, 90,000 written" in html
    assert 'value="37"' in html and "Loading: 37%" in html


def test_checking_an_events_file_reports_rows_after_every_batch(files, monkeypatch):  # noqa: F811
    from careties.data import synth
    from careties.web.store.models import LocalAuthority, Practice
    from careties.web.store.services import import_file
    from careties.web.uploads import tasks

    out, la_code = files
    for kind in ("local_authorities", "practices", "professionals"):
        import_file(kind=kind, path=out / synth.FILE_FOR_KIND[kind], test_data=True)
    assert LocalAuthority.objects.exists() and Practice.objects.exists()
    monkeypatch.setattr("careties.data.stream.BATCH_BYTES", 20_000)
    reports: list[tuple[str, int, int]] = []
    real = progress.report
    monkeypatch.setattr(
        progress,
        "report",
        lambda path, stage, state: (
            reports.append((stage, state.read, state.validated)),
            real(path, stage, state),
        ),
    )
    upload = _upload(
        la_code,
        out / synth.FILE_FOR_KIND["events"],
        make_user("lead-check", Role.COUNCIL_LEAD, la_codes=[la_code]),
    )
    assert tasks.validate_upload.call(upload.pk) == "ready"
    upload.refresh_from_db()
    assert len(reports) > 5 and {stage for stage, _, _ in reports} == {"Checking"}
    assert [r for _, r, _ in reports] == sorted(r for _, r, _ in reports)
    assert reports[-1][1:] == (upload.rows, upload.rows)
    assert progress.current(upload.path) is None  # cleared once checked


def test_a_file_over_the_limit_is_refused_without_being_stored(client, files, settings, tmp_path):  # noqa: F811
    from careties.web.uploads.models import Upload

    _, la_code = files
    settings.CARETIES_MAX_UPLOAD_BYTES = 10_000
    client.force_login(make_user("lead-big", Role.COUNCIL_LEAD, la_codes=[la_code]))
    big = tmp_path / "events.csv"
    big.write_text("event_reference\n" + "EV1\n" * 5_000)
    with big.open("rb") as handle:
        response = client.post(
            reverse("uploads:index") + f"?la={la_code}",
            {"la": la_code, "kind": "events", "file": handle},
        )
    assert response.status_code == 400
    assert "The file is larger than" in response.content.decode()
    assert not Upload.objects.exists()
