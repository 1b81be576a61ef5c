"""Never a 500, never a stalled worker: the probe's hostile uploads and parameters, replayed."""

from __future__ import annotations

import json
import time

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from tests.web.factories import councils, make_user
from tests.web.paths import url

from careties.web.accounts.models import Role
from careties.web.store.services import import_frame
from careties.web.surveys.importing import CsvUnreadable, read_csv

pytestmark = pytest.mark.django_db
HOME = "E06000001"


@pytest.mark.parametrize("page", ["²", "٣", "1" * 5000, "-1", "0", "1.5", "", "1e9", "99999999999"])
def test_the_public_oruk_api_answers_odd_page_numbers_without_a_server_error(client, page):
    # The path is the one Open Referral UK fixes for every directory's API.
    response = client.get("/api/oruk/services", {"page": page, "per_page": page})
    assert response.status_code in (200, 400), response.status_code


@pytest.fixture
def lead(client):
    import_frame(kind="local_authorities", frame=councils(), source="councils.csv")
    user = make_user("lead", Role.COUNCIL_LEAD, la_codes=[HOME])
    client.force_login(user)
    return user


def _upload(client, content: bytes):
    return client.post(
        url("programme:directory_import"),
        {"la": HOME, "file": SimpleUploadedFile("services.json", content)},
    )


@pytest.mark.parametrize(
    ("content", "message"),
    [
        (b"[" * 100_000 + b"]" * 100_000, "nested too deeply"),
        (b"[" * 70 + b"]" * 70, "nested too deeply"),
        (b'[{"id": "x", "name": "y", "quality": ' + b"9" * 5000 + b"}]", "not a plausible value"),
        (b'[{"id": "x", "name": "y\\u0000"}]', "NUL"),
        (b'[{"id": "x", "name": "y\x00"}]', "NUL"),
        (b"\xff\xfe\x00", "not UTF-8"),
    ],
)
def test_hostile_json_uploads_get_a_clear_message(client, lead, content, message):
    started = time.perf_counter()
    response = _upload(client, content)
    assert response.status_code == 400
    assert message in response.content.decode()
    assert time.perf_counter() - started < 5


def _csv_seconds(data: bytes) -> tuple[float, str]:
    started = time.perf_counter()
    with pytest.raises(CsvUnreadable) as refused:
        read_csv(data)
    return time.perf_counter() - started, str(refused.value)


def test_a_survey_csv_with_a_huge_field_is_refused_with_a_reason():
    seconds, message = _csv_seconds(b"q1,q2\n" + b"a" * 200_000 + b",b\n")
    assert "cannot be read" in message and "Row" in message and seconds < 2


def test_a_survey_csv_with_100000_columns_is_refused_at_once():
    header = ",".join(f"c{i}" for i in range(100_000)).encode()
    seconds, message = _csv_seconds(header + b"\n" + b"1," * 99_999 + b"1\n")
    assert ("columns" in message or "header row is longer" in message) and seconds < 2


def test_a_9_mb_csv_with_a_million_column_header_is_refused_at_once():
    seconds, message = _csv_seconds(b"x," * 1_000_000 + b"\n1\n")
    assert ("columns" in message or "header row is longer" in message) and seconds < 2


def test_duplicate_headers_are_found_in_linear_time():
    header = ",".join(["dup"] * 1_500 + [f"c{i}" for i in range(400)]).encode()
    seconds, message = _csv_seconds(header + b"\n")
    assert "repeated: dup" in message and seconds < 1


def test_nul_bytes_in_a_survey_csv_are_refused():
    _, message = _csv_seconds(b"q1,q2\nyes,no\x00\n")
    assert "NUL" in message


def test_nul_bytes_in_a_data_file_are_a_file_error_not_a_database_error(tmp_path):
    from careties.data import ValidationError
    from careties.web.store.services import import_file

    path = tmp_path / "councils.csv"
    path.write_bytes(b"la_code,name,region\nE06000001,Hartle\x00pool,North East\n")
    with pytest.raises(ValidationError, match="NUL|binary data"):
        import_file(kind="local_authorities", path=path)


def test_json_is_still_read_normally():
    from careties.web.limits import load_json

    assert load_json(json.dumps({"a": [1, 2.5, {"b": None}]})) == {"a": [1, 2.5, {"b": None}]}
