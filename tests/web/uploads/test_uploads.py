"""Data in the browser (issue 16): upload, check, confirm, load, all or nothing.

Tasks run inline in the test settings (django-tasks' immediate backend); the
same task functions run in the database-backed worker in production.
"""

from __future__ import annotations

import re

import pytest
from django.urls import reverse
from tests.web import dashboard_data
from tests.web.factories import make_user
from tests.web.paths import url

from careties.web.accounts.models import Role

pytestmark = pytest.mark.django_db

ORDER = (
    "local_authorities",
    "population",
    "practices",
    "registered_patients",
    "professionals",
    "services",
    "events",
    "contacts",
    "survey_responses",
)


@pytest.fixture(scope="module")
def files(tmp_path_factory):
    from careties.data import synth

    out = tmp_path_factory.mktemp("council")
    data = dashboard_data.synthetic()
    synth.write(data, out)
    return out, data.frames["local_authorities"]["la_code"][0]


def _upload(client, kind: str, path, la_code: str):
    with path.open("rb") as handle:
        return client.post(
            reverse("uploads:index") + f"?la={la_code}",
            {"la": la_code, "kind": kind, "file": handle},
        )


def test_an_empty_council_is_loaded_file_by_file_in_the_browser(client, files):
    from careties.data import synth
    from careties.web.store.models import CareEvent, ImportBatch, Practice
    from careties.web.uploads.models import Upload

    out, la_code = files
    client.force_login(make_user("lead", Role.COUNCIL_LEAD, la_codes=[la_code]))
    home = client.get(url("home")).content.decode()
    assert "Load your council&#39;s GP practices" in home
    assert reverse("uploads:index") in home
    for kind in ORDER:
        response = _upload(client, kind, out / synth.FILE_FOR_KIND[kind], la_code)
        assert response.status_code == 302, (kind, response.content.decode()[:3000])
        upload = Upload.objects.latest("pk")
        detail = client.get(response["Location"]).content.decode()
        assert upload.status == "ready", (kind, upload.message, upload.errors)
        assert "Checked: ready to load" in detail and f"{upload.rows:,}" in detail
        assert not ImportBatch.objects.filter(kind=kind).exists()  # nothing until confirmed
        confirmed = client.post(reverse("uploads:confirm", args=[upload.pk]))
        assert confirmed.status_code == 302
        upload.refresh_from_db()
        assert upload.status == "imported", (kind, upload.message)
        assert ImportBatch.objects.filter(kind=kind).exists()
    assert Practice.objects.filter(la_code=la_code).exists()
    assert CareEvent.objects.exists()
    again = _upload(client, "practices", out / synth.FILE_FOR_KIND["practices"], la_code)
    upload = Upload.objects.latest("pk")
    assert upload.status == "ready" and upload.replaces, upload.replaces
    assert "Will replace" in client.get(again["Location"]).content.decode()


def test_a_file_with_errors_changes_nothing_and_lists_them(client, files, tmp_path):
    from careties.web.store.models import LocalAuthority
    from careties.web.uploads.models import Upload

    _, la_code = files
    bad = tmp_path / "local_authorities.csv"
    bad.write_text("la_code,name,region\nE06000099,Northby,North East\nnot-a-code,,North\n")
    client.force_login(make_user("analyst", Role.COUNCIL_ANALYST, la_codes=[la_code]))
    response = _upload(client, "local_authorities", bad, la_code)
    upload = Upload.objects.latest("pk")
    assert upload.status == "invalid"
    html = client.get(response["Location"]).content.decode()
    assert "Not loaded: the file has errors" in html
    assert re.search(r">3</td>", html)  # the spreadsheet row of the bad line
    errors = client.get(reverse("uploads:errors", args=[upload.pk]))
    assert errors.status_code == 200
    assert b"reason" in b"".join(errors.streaming_content)
    assert not LocalAuthority.objects.exists()
    assert client.post(reverse("uploads:confirm", args=[upload.pk])).status_code == 302
    assert not LocalAuthority.objects.exists()


def test_only_council_leads_analysts_and_admins_may_upload(client, files):
    _, la_code = files
    for role in (Role.PRACTICE, Role.REGIONAL, Role.SOCIAL_WORKER):
        client.force_login(make_user(f"u-{role}", role, la_codes=[la_code], practice_code="A81001"))
        assert client.get(reverse("uploads:index") + f"?la={la_code}").status_code in (403, 404)
    client.force_login(make_user("other-lead", Role.COUNCIL_LEAD, la_codes=["E06000001"]))
    page = client.get(reverse("uploads:index") + f"?la={la_code}")
    assert f'<span class="nhsuk-caption-l">{la_code}' not in page.content.decode()


def test_the_progress_partial_polls_while_working(client, files):
    from careties.web.uploads.models import Upload

    _, la_code = files
    user = make_user("lead3", Role.COUNCIL_LEAD, la_codes=[la_code])
    upload = Upload.objects.create(
        la_code=la_code,
        kind="events",
        filename="big.csv",
        path="/nonexistent",
        status="importing",
        progress=40,
        stage="Loading",
        user=user,
    )
    client.force_login(user)
    html = client.get(
        reverse("uploads:detail", args=[upload.pk]), headers={"HX-Request": "true"}
    ).content.decode()
    assert 'hx-trigger="every 1s"' in html and 'value="40"' in html and "<html" not in html
