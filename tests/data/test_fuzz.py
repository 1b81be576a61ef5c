"""Fuzzing the importers: whatever bytes a user sends, ``read`` returns a valid
canonical frame or raises ``ValidationError`` naming file, row and column.
Never another exception, never a half-valid frame.

Hypothesis has found no crashing input so far; a case it finds goes into
tests/data/test_bad_input.py as a named regression with its row and column.
"""

from __future__ import annotations

import string
from pathlib import Path

import polars as pl
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from careties.data import ValidationError, read
from careties.data.frames import CANONICAL, KINDS

KEY = b"fuzz-key"

#: Header line of each kind's careties layout, from the documented contracts.
HEADERS = {
    "local_authorities": "la_code,name,region",
    "practices": "practice_code,name,postcode,la_code,status",
    "registered_patients": "practice_code,extract_date,sex,age_band,patients",
    "population": "la_code,year,population_65_plus",
    "professionals": "professional_id,role,organisation,la_code",
    "events": "event_reference,person_id,date_of_birth,la_code,event_type,start_date,end_date,service_type,route_of_access,practice_code,professional_id,event_outcome",
    "contacts": "contact_reference,contact_date,from_professional,to_professional,channel,purpose,minutes",
    "survey_responses": "response_id,wave,instrument,la_code,organisation,respondent_id,question_id,answer",
    "services": "service_id,name,service_type,description,eligibility,cost,contact,area,la_code,quality_rating,status",
    "emergency_admissions": "la_code,month,practice_code,admissions_65_plus",
    "discharges": "la_code,month,discharges,discharged_on_ready_date,mean_delay_days_others",
    "practice_deprivation": "practice_code,deprivation_score,year",
}

#: Values close to valid ones are likelier to reach deep validation paths than random noise.
PLAUSIBLE = st.sampled_from(
    [
        "E06000001",
        "E0600001",
        "A81001",
        "a81001",
        "81001A",
        "2024-05-01",
        "2099-01-01",
        "01-Apr-17",
        "04JAN2021",
        "31/02/2024",
        "-3",
        "0",
        "12",
        "1e9",
        "NaN",
        "",
        " ",
        "=1+1",
        "+cmd",
        "@SUM(A1)",
        "GP",
        "Social worker",
        "service",
        "request",
        "long_term_residential",
        "Long-term residential",
        "community",
        "phone",
        "referral",
        "ALL",
        "FEMALE",
        "65_69",
        "95+",
        "active",
        "5",
        "6",
        "Ω",
        "\u00e9",
        '"',
        '""',
        "a,b",
        "x" * 300,
    ]
)
CELL = st.one_of(PLAUSIBLE, st.text(alphabet=string.printable, max_size=12))


@st.composite
def csv_files(draw) -> tuple[str, bytes]:
    kind = draw(st.sampled_from(KINDS))
    header = HEADERS[kind]
    width = len(header.split(","))
    if draw(st.booleans()):
        header = ",".join(draw(st.permutations(header.split(","))))
    rows = draw(
        st.lists(st.lists(CELL, min_size=max(0, width - 1), max_size=width + 1), max_size=6)
    )
    lines = [header] + [",".join(row) for row in rows]
    text = "\n".join(lines)
    encoding = draw(st.sampled_from(["utf-8", "utf-8-sig", "cp1252", "latin-1"]))
    body = text.encode(encoding, errors="replace")
    if draw(st.integers(0, 9)) == 0:
        body = body[: draw(st.integers(0, len(body)))]
    return kind, body


def _check(kind: str, path: Path) -> None:
    try:
        frame = read(kind, path, pseudonymisation_key=KEY)
    except ValidationError as error:
        assert error.errors, "a ValidationError must carry at least one error"
        for row_error in error.errors:
            assert row_error.file and row_error.reason
        return
    assert frame.schema == pl.Schema(CANONICAL[kind])


@settings(
    max_examples=300, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(case=csv_files())
def test_any_csv_gives_a_frame_or_a_validation_error(tmp_path, case):
    kind, body = case
    path = tmp_path / f"{kind}.csv"
    path.write_bytes(body)
    _check(kind, path)


@settings(
    max_examples=100, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(kind=st.sampled_from(KINDS), body=st.binary(max_size=300))
def test_random_bytes_never_crash_the_reader(tmp_path, kind, body):
    path = tmp_path / f"{kind}.xlsx" if body[:2] == b"PK" else tmp_path / f"{kind}.csv"
    path.write_bytes(body)
    _check(kind, path)
