"""CSV exports from other survey tools: build a mapping from a sample, then import all or nothing."""

from __future__ import annotations

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from tests.web.paths import url

from careties.relations.surveys import load_instrument
from careties.web.store.models import SurveyResponse
from careties.web.surveys import importing
from careties.web.surveys.models import ColumnMapping, FreeTextComment

from .helpers import COUNCIL, make_wave, user_for

pytestmark = pytest.mark.django_db

OLDER = load_instrument("older_person")
SERVICE_COLUMNS = [f"Heard of {q.service}?" for q in OLDER.questions if q.id.startswith("knows_")]


def export(rows: list[list[str]]) -> bytes:
    """An export as another tool writes it: its own headings and wording, a timestamp column."""
    header = [
        "Timestamp",
        "Who would you ask first?",
        "Planned ahead?",
        *SERVICE_COLUMNS,
        "Anything else?",
    ]
    lines = [",".join(f'"{h}"' for h in header)] + [",".join(f'"{v}"' for v in r) for r in rows]
    return ("\ufeff" + "\r\n".join(lines) + "\r\n").encode()


def good_row(first: str = "My GP", comment: str = "") -> list[str]:
    return ["2025-03-01 10:00", first, "Y", *(["Yes"] * len(SERVICE_COLUMNS)), comment]


def upload(name: str, data: bytes) -> SimpleUploadedFile:
    return SimpleUploadedFile(name, data, content_type="text/csv")


def build_mapping_through_the_pages(client) -> ColumnMapping:
    response = client.post(
        url("surveys:mapping-create"),
        {
            "name": "Snap older people",
            "la_code": COUNCIL,
            "instrument": "older_person",
            "sample": upload("sample.csv", export([good_row(), good_row("Family")])),
        },
    )
    mapping = ColumnMapping.objects.get()
    assert response["Location"] == f"/surveys/mappings/{mapping.pk}/columns/"
    assert mapping.sample_columns[:3] == ["Timestamp", "Who would you ask first?", "Planned ahead?"]

    page = client.get(response["Location"]).content.decode()
    assert "Column: Who would you ask first?" in page
    assert "Answers in the sample: My GP, Family" in page
    targets = ["", "turn_to_first", "planned_future_care"]
    targets += [q.id for q in OLDER.questions if q.id.startswith("knows_")] + ["comments"]
    columns = {f"column_{i}": t for i, t in enumerate(targets)}
    response = client.post(response["Location"], columns)
    assert response["Location"] == f"/surveys/mappings/{mapping.pk}/answers/"

    page = client.get(response["Location"]).content.decode()
    mapping.refresh_from_db()
    # "My GP" and "Family" match the option labels; "Y" must be chosen by hand.
    assert mapping.values["Who would you ask first?"] == {"My GP": "gp", "Family": "family"}
    assert mapping.values["Planned ahead?"] == {"Y": ""}
    assert "Select what" not in page
    fields = {}
    for c_index, column in enumerate(importing.coded_questions(mapping)):
        for v_index, value in enumerate(mapping.values[column]):
            fields[f"value_{c_index}_{v_index}"] = mapping.values[column][value] or "yes"
    response = client.post(url("surveys:mapping-answers", pk=mapping.pk), fields)
    assert response.status_code == 302
    mapping.refresh_from_db()
    assert mapping.values["Planned ahead?"] == {"Y": "yes"}
    return mapping


def test_council_maps_an_export_and_imports_it(client):
    client.force_login(user_for("lead"))
    mapping = build_mapping_through_the_pages(client)
    wave = make_wave("older_person")

    rows = [good_row("My GP", "Lovely staff"), good_row("Family"), good_row("family")]
    response = client.post(
        url("surveys:import", pk=wave.pk),
        {"mapping": mapping.pk, "file": upload("snap-march.csv", export(rows))},
    )
    assert response.status_code == 302, response.content.decode()[-3000:]
    stored = SurveyResponse.objects.filter(wave=wave.name)
    assert stored.values("response_id").distinct().count() == 3
    assert set(stored.values_list("organisation", flat=True)) == {None}
    assert set(stored.values_list("respondent_id", flat=True)) == {None}
    firsts = sorted(stored.filter(question_id="turn_to_first").values_list("answer", flat=True))
    assert firsts == ["family", "family", "gp"]
    assert not stored.filter(question_id="comments").exists()
    assert list(FreeTextComment.objects.values_list("text", flat=True)) == ["Lovely staff"]


def test_a_file_with_errors_stores_nothing_and_lists_each_problem(client):
    client.force_login(user_for("lead"))
    mapping = build_mapping_through_the_pages(client)
    wave = make_wave("older_person")
    rows = [good_row(), good_row("The vicar"), good_row("")]
    response = client.post(
        url("surveys:import", pk=wave.pk),
        {"mapping": mapping.pk, "file": upload("bad.csv", export(rows))},
    )
    html = response.content.decode()
    assert response.status_code == 400
    assert "nothing was imported" in html
    assert "the answer &#39;The vicar&#39; has no coded answer in this mapping" in html
    assert "Who would you ask first?" in html and "Select an answer" in html
    assert '<td class="nhsuk-table__cell">2</td>' in html
    assert '<td class="nhsuk-table__cell">3</td>' in html
    assert not SurveyResponse.objects.exists()
    assert not FreeTextComment.objects.exists()


def test_gp_import_takes_practice_codes_from_a_column():
    gp = load_instrument("gp")
    required = [q for q in gp.questions if q.required]
    mapping = ColumnMapping.objects.create(
        la_code=COUNCIL,
        name="Forms GP",
        instrument="gp",
        columns={"Practice": ColumnMapping.ORGANISATION_COLUMN} | {q.id: q.id for q in required},
    )
    wave = make_wave("gp")
    header = ["Practice", *[q.id for q in required]]
    body = [
        ["a81001", *[q.options[0][0] for q in required]],
        ["Q12", *[q.options[0][0] for q in required]],
    ]
    data = "\n".join(",".join(r) for r in [header, *body]).encode()
    with pytest.raises(importing.ImportRefused) as refused:
        importing.import_csv(wave=wave, mapping=mapping, data=data, filename="gp.csv", user=None)
    assert [(e.row, e.column) for e in refused.value.errors] == [(2, "Practice")]
    fixed = data.replace(b"Q12", b"A81002")
    outcome = importing.import_csv(
        wave=wave, mapping=mapping, data=fixed, filename="gp.csv", user=None
    )
    assert outcome.responses == 2
    assert set(SurveyResponse.objects.values_list("organisation", flat=True)) == {
        "A81001",
        "A81002",
    }
    with pytest.raises(importing.ImportRefused, match="problems"):
        importing.import_csv(wave=wave, mapping=mapping, data=fixed, filename="gp.csv", user=None)


def test_missing_columns_are_reported_before_any_row():
    mapping = ColumnMapping.objects.create(
        la_code=COUNCIL, name="m", instrument="older_person", columns={"Q": "turn_to_first"}
    )
    with pytest.raises(importing.ImportRefused) as refused:
        importing.import_csv(
            wave=make_wave("older_person"),
            mapping=mapping,
            data=b"Other\nx\n",
            filename="f.csv",
            user=None,
        )
    assert refused.value.errors[0].column == "Q"
    assert "has none" in refused.value.errors[0].reason


def test_semicolon_separated_exports_are_read():
    header, rows = importing.read_csv("A;B\n1;2\n".encode("cp1252"))
    assert header == ["A", "B"] and rows == [{"A": "1", "B": "2"}]


def test_unreadable_files_get_a_plain_message():
    with pytest.raises(importing.CsvUnreadable, match="empty"):
        importing.read_csv(b"")
    with pytest.raises(importing.CsvUnreadable, match="repeated: Q"):
        importing.read_csv(b"Q,Q\n1,2\n")
