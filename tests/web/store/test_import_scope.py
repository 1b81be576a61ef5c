"""Replaying the data-loss attacks: one council's files never touch another's rows.

Before the fix, ``import_frame`` deleted every row whose ``source`` was the
file's base name, whatever council it belonged to.
"""

from __future__ import annotations

import datetime as dt

import polars as pl
import pytest
from django.urls import reverse
from tests.web.factories import frame

from careties.web.store.models import CareEvent, Practice, Service
from careties.web.store.scope import ScopeError
from careties.web.store.services import import_frame, preview_import

from .stores import A, B, checksums, council_events, load_council, services

pytestmark = pytest.mark.django_db


@pytest.fixture
def two_councils():
    load_council(A, "A")
    load_council(B, "B")
    return checksums(A)


def test_each_councils_reimport_of_every_kind_leaves_the_other_byte_for_byte(two_councils):
    for kind, source, rows in _reimports(B, "B"):
        import_frame(kind=kind, frame=rows, source=source)
    assert checksums(A) == two_councils
    before_b = checksums(B)
    for kind, source, rows in _reimports(A, "A"):
        import_frame(kind=kind, frame=rows, source=source)
    assert checksums(B) == before_b


def _reimports(la_code: str, letter: str):
    """A smaller corrected version of each council file, under the shared file names."""
    yield "events", "events.csv", council_events(la_code, 2)
    yield "services", "oruk:directory.json", services(la_code, letter, 1)
    yield (
        "practices",
        "practices.csv",
        frame(
            "practices",
            [
                {
                    "practice_code": f"{letter}81001",
                    "name": "Renamed",
                    "postcode": "",
                    "la_code": la_code,
                    "status": "A",
                }
            ],
        ),
    )


def test_a_corrected_file_still_replaces_its_own_councils_rows(two_councils):
    result = import_frame(kind="events", frame=council_events(B, 2), source="events.csv")
    assert result.replaced == 6
    assert CareEvent.objects.filter(la_code=B).count() == 2
    assert CareEvent.objects.filter(la_code=A).count() == 6


def test_one_quarters_events_file_keeps_the_other_quarters(two_councils):
    q3 = council_events(A, 3, start=dt.date(2024, 10, 1))
    q3 = q3.with_columns(q3["event_reference"].str.replace("EV", "Q3-"))
    import_frame(kind="events", frame=q3, source="events.csv")
    assert CareEvent.objects.filter(la_code=A).count() == 9
    corrected_q3 = q3.head(1)
    result = import_frame(kind="events", frame=corrected_q3, source="events.csv")
    assert result.replaced == 3
    assert CareEvent.objects.filter(la_code=A).count() == 7


def test_the_import_says_what_it_will_replace_before_it_does(two_councils):
    lines = [
        str(r)
        for r in preview_import(kind="events", frame=council_events(B, 1), source="events.csv")
    ]
    today = dt.date.today()
    assert lines == [f"6 events of {B} loaded on {today.day} {today:%b %Y} from events.csv"]
    assert CareEvent.objects.filter(la_code=B).count() == 6  # a preview changes nothing


def test_a_councils_file_cannot_take_over_another_councils_service_ids(two_councils):
    stolen = services(A, "A", 2).with_columns(
        la_code=pl.lit(B)
    )  # A's ids are public through the API
    with pytest.raises(ScopeError, match="belongs to council E06000001"):
        import_frame(kind="services", frame=stolen, source="oruk:mine.json", la_code=B)
    assert set(Service.objects.filter(la_code=A).values_list("service_id", flat=True)) == {
        "svc-A-0",
        "svc-A-1",
    }
    assert checksums(A) == two_councils


def test_a_councils_file_cannot_move_another_councils_practice(two_councils):
    moved = frame(
        "practices",
        [
            {
                "practice_code": "A81001",
                "name": "Mine now",
                "postcode": "",
                "la_code": B,
                "status": "A",
            }
        ],
    )
    with pytest.raises(ScopeError):
        import_frame(kind="practices", frame=moved, source="practices.csv")
    assert Practice.objects.get(practice_code="A81001").la_code == A


def test_an_upload_for_one_council_cannot_carry_another_councils_rows(two_councils):
    with pytest.raises(ScopeError, match="not E06000002"):
        import_frame(kind="events", frame=council_events(A, 1), source="events.csv", la_code=B)
    assert checksums(A) == two_councils


def test_directory_upload_by_each_lead_leaves_the_other_as_it_was(two_councils, client):
    from careties.planning.directory import DirectoryFormatError, frame_to_oruk
    from careties.web.programme.services import import_directory

    document_b = frame_to_oruk(services(B, "B", 1), {})
    import_directory(document=document_b, filename="directory.json", la_code=B, user=None)
    assert checksums(A) == two_councils
    document_a = frame_to_oruk(services(A, "A", 1), {})
    import_directory(document=document_a, filename="directory.json", la_code=A, user=None)
    assert Service.objects.filter(la_code=B).count() == 1
    # The take-over replayed through the directory import: a clear refusal, nothing moved.
    stolen = frame_to_oruk(services(A, "A", 1).with_columns(la_code=pl.lit(B)), {})
    with pytest.raises(DirectoryFormatError) as refused:
        import_directory(document=stolen, filename="directory.json", la_code=B, user=None)
    assert "belongs to council E06000001" in str(refused.value.problems)
    assert Service.objects.filter(la_code=A).count() == 1


def test_a_lead_cannot_edit_or_take_another_councils_service_through_the_form(two_councils, client):
    from tests.web.factories import make_user

    from careties.web.accounts.models import Role
    from careties.web.programme.services import save_service

    client.force_login(make_user("lead-form", Role.COUNCIL_LEAD, la_codes=[B]))
    # A's ids are public through the API; B's lead asks for A's service under B.
    response = client.post(
        reverse("programme:service_edit", args=["svc-A-0"]) + f"?la={B}",
        {"name": "Mine now", "service_type": "telecare", "status": "active"},
    )
    assert response.status_code == 404
    # The service layer refuses the same take-over even if a view let it through.
    row = {**services(A, "A", 1).row(0, named=True), "la_code": B, "name": "Mine now"}
    with pytest.raises(ScopeError, match="belongs to council E06000001"):
        save_service(row=row, user=None)
    assert checksums(A) == two_councils


def test_the_web_says_what_a_directory_upload_replaced(two_councils, client):
    import json

    from django.core.files.uploadedfile import SimpleUploadedFile
    from tests.web.factories import make_user

    from careties.planning.directory import frame_to_oruk
    from careties.web.accounts.models import Role

    client.force_login(make_user("lead-web", Role.COUNCIL_LEAD, la_codes=[B]))
    body = json.dumps(frame_to_oruk(services(B, "B", 1), {})).encode()
    response = client.post(
        "/programme/directory/import/",
        {"la": B, "file": SimpleUploadedFile("directory.json", body)},
        follow=True,
    )
    page = response.content.decode()
    today = dt.date.today()
    assert f"Replaced 2 services of {B} loaded on {today.day} {today:%b %Y}" in page
    assert checksums(A) == two_councils


def test_the_import_command_says_what_it_replaces_before_it_does(tmp_path, capsys):
    from careties.cli import main

    councils = tmp_path / "councils.csv"
    councils.write_text("la_code,name,region\nE06000001,Hartlepool,North East\n")
    practices = tmp_path / "practices.csv"
    practices.write_text(
        "practice_code,name,postcode,la_code,status\n"
        "A81001,One,TS1 1AA,E06000001,A\nA81002,Two,TS1 1AB,E06000001,A\n"
    )
    assert main(["import", "local_authorities", str(councils)]) == 0
    assert main(["import", "practices", str(practices)]) == 0
    assert "replacing" not in capsys.readouterr().out
    assert main(["import", "practices", str(practices)]) == 0
    out = capsys.readouterr().out
    today = dt.date.today()
    expected = f"careties: replacing 2 practices of E06000001 loaded on {today.day} {today:%b %Y}"
    assert f"{expected} from practices.csv" in out
    assert out.index("replacing") < out.index("imported")
