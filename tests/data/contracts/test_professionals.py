"""The professionals file's optional display name (issue 16: GPs named where the council names them)."""

from __future__ import annotations

import pytest

import careties.data as data
from careties.data.contracts.professionals import MAX_NAME_LENGTH

from ..helpers import write_csv


def _read(tmp_path, text: str):
    return data.read("professionals", write_csv(tmp_path / "professionals.csv", text))


def test_names_are_read_and_blank_names_are_null(tmp_path):
    frame = _read(
        tmp_path,
        """
        professional_id,role,organisation,la_code,display_name
        P001,GP,A81001,E06000004,Dr  Amira   Shah
        P002,GP,A81001,E06000004,
        SW01,Social worker,ASC-EAST,E06000004,
        """,
    )
    names = dict(zip(frame["professional_id"], frame["display_name"], strict=True))
    assert names == {"P001": "Dr Amira Shah", "P002": None, "SW01": None}


def test_a_file_without_the_column_reads_with_no_names(tmp_path):
    frame = _read(
        tmp_path,
        """
        professional_id,role,organisation,la_code
        P001,GP,A81001,E06000004
        """,
    )
    assert frame["display_name"].to_list() == [None]


def test_the_column_may_be_called_name(tmp_path):
    frame = _read(
        tmp_path,
        """
        professional_id,role,organisation,la_code,Name
        P001,GP,A81001,E06000004,Dr B Okafor
        """,
    )
    assert frame["display_name"].to_list() == ["Dr B Okafor"]


def test_a_name_given_twice_or_too_long_is_an_error_naming_row_and_column(tmp_path):
    with pytest.raises(data.ValidationError) as twice:
        _read(
            tmp_path,
            """
            professional_id,role,organisation,la_code,name,display_name
            P001,GP,A81001,E06000004,Dr B Okafor,Dr B Okafor
            """,
        )
    assert "row 2, column name: give the name once" in str(twice.value)
    long = "x" * (MAX_NAME_LENGTH + 1)
    with pytest.raises(data.ValidationError) as too_long:
        _read(
            tmp_path,
            f"""
            professional_id,role,organisation,la_code,display_name
            P001,GP,A81001,E06000004,Dr C Lee
            P002,GP,A81001,E06000004,{long}
            """,
        )
    message = str(too_long.value)
    assert "row 3, column display_name: longer than 100 characters" in message
    assert "row 2" not in message
