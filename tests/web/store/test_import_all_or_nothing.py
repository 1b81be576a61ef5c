"""Bad files against a loaded store: every one is refused with row and column
errors, and the database is exactly as it was (all-or-nothing imports).

The reader's own tests (tests/data/test_bad_input.py) check the exact errors of
45 kinds of bad input; these check the other half of the promise, on the store.
"""

from __future__ import annotations

import datetime as dt

import openpyxl
import polars as pl
import pytest
from tests.web import dashboard_data

from careties.data import ValidationError
from careties.data.frames import KINDS
from careties.web import selectors
from careties.web.store.services import import_file

pytestmark = pytest.mark.django_db

TOMORROW = (dt.date.today() + dt.timedelta(days=1)).isoformat()
EVENTS = "event_reference,person_id,date_of_birth,la_code,event_type,start_date,end_date,service_type,route_of_access,practice_code,professional_id,event_outcome"


def _bad_files(facts: dict) -> dict[str, tuple[str, bytes, str]]:
    la, practice = facts["la_code"], facts["practice"]
    ok_event = f"EVX1,P1,1940-01-01,{la},request,2024-01-01,,,community,{practice},,"
    return {
        "malformed ODS code": (
            "practices",
            f"practice_code,name,postcode,la_code,status\nA8100X,A,TS1 1AA,{la},A\n".encode(),
            "csv",
        ),
        "malformed ONS code": (
            "local_authorities",
            b"la_code,name,region\nE11000001,A,North East\n",
            "csv",
        ),
        "unknown council": (
            "population",
            b"la_code,year,population_65_plus\nE06000555,2024,100\n",
            "csv",
        ),
        "unknown practice": (
            "events",
            f"{EVENTS}\nEVX1,P1,1940-01-01,{la},request,2024-01-01,,,community,Z99999,,\n".encode(),
            "csv",
        ),
        "future date": (
            "events",
            f"{EVENTS}\nEVX1,P1,1940-01-01,{la},request,{TOMORROW},,,community,{practice},,\n".encode(),
            "csv",
        ),
        "end before start": (
            "events",
            f"{EVENTS}\nEVX1,P1,1940-01-01,{la},service,2024-02-01,2024-01-01,home_care,,{practice},,\n".encode(),
            "csv",
        ),
        "negative count": (
            "population",
            f"la_code,year,population_65_plus\n{la},2024,-5\n".encode(),
            "csv",
        ),
        "non-numeric count": (
            "population",
            f"la_code,year,population_65_plus\n{la},2024,many\n".encode(),
            "csv",
        ),
        "duplicate keys": ("events", f"{EVENTS}\n{ok_event}\n{ok_event}\n".encode(), "csv"),
        "missing column": ("population", f"la_code,year\n{la},2024\n".encode(), "csv"),
        "extra column": (
            "population",
            f"la_code,year,population_65_plus,notes\n{la},2024,100,x\n".encode(),
            "csv",
        ),
        "undecodable bytes": (
            "local_authorities",
            b"la_code,name,region\n" + bytes(range(128, 256)) * 3 + b"\n",
            "csv",
        ),
        "empty file": ("contacts", b"", "csv"),
        "headers only": (
            "contacts",
            b"contact_date,from_professional,to_professional,channel,purpose,minutes\n",
            "csv",
        ),
        "formula cell": (
            "local_authorities",
            f'la_code,name,region\n{la},=HYPERLINK("http://x"),North East\n'.encode(),
            "csv",
        ),
        "truncated file": (
            "events",
            f'{EVENTS}\n{ok_event}\nEVX2,P2,"1940-01-01,{la},req'.encode(),
            "csv",
        ),
        "several sheets": ("population", "xlsx-several-sheets", "xlsx"),
    }


#: Problems with the file as a whole, reported without a row.
FILE_LEVEL = {"empty file", "headers only", "undecodable bytes", "several sheets"}


def _xlsx_with_two_sheets(path, la_code: str) -> None:
    book = openpyxl.Workbook()
    first = book.active
    first.title = "Sheet A"
    second = book.create_sheet("Sheet B")
    for sheet in (first, second):
        sheet.append(["la_code", "year", "population_65_plus"])
        sheet.append([la_code, 2024, 100])
    book.save(path)


def _snapshot() -> dict[str, pl.DataFrame]:
    return {kind: selectors.load_frame(kind, include_source=True).sort(pl.all()) for kind in KINDS}


@pytest.fixture
def loaded(db):
    return dashboard_data.load()


@pytest.mark.parametrize(
    "case", sorted(_bad_files({"la_code": "E06000099", "practice": "A00000"})), ids=str
)
def test_a_bad_file_is_refused_and_changes_nothing(tmp_path, loaded, case):
    kind, body, suffix = _bad_files(loaded)[case]
    path = tmp_path / f"{kind}.{suffix}"
    if body == "xlsx-several-sheets":
        _xlsx_with_two_sheets(path, loaded["la_code"])
    else:
        path.write_bytes(body)
    before = _snapshot()
    with pytest.raises(ValidationError) as refused:
        import_file(kind=kind, path=path)
    assert refused.value.errors, case
    for error in refused.value.errors:
        assert error.file == path.name and error.reason
    if case == "missing column":
        assert any("population_65_plus" in f"{e.column} {e.reason}" for e in refused.value.errors)
    elif case == "extra column":
        assert any("notes" in f"{e.column} {e.reason}" for e in refused.value.errors)
    elif case == "truncated file":
        assert any(e.row == 3 for e in refused.value.errors), "the truncated row is named"
    elif case not in FILE_LEVEL:
        assert any(e.row is not None and e.column for e in refused.value.errors), case
    after = _snapshot()
    for kind_name in KINDS:
        assert after[kind_name].equals(before[kind_name]), f"{case} changed {kind_name}"
