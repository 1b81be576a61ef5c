"""Build small fixture files for the reader tests."""

from __future__ import annotations

from pathlib import Path

import careties.data as data


def write_csv(path: Path, text: str, encoding: str = "utf-8") -> Path:
    """Write ``text`` (leading newline and indentation removed) as a CSV file."""
    lines = [line.strip() for line in text.strip("\n").splitlines()]
    path.write_bytes(("\n".join(lines) + "\n").encode(encoding))
    return path


def write_xlsx(path: Path, sheets: dict[str, list[list[object]]]) -> Path:
    """Write a workbook with one sheet per entry (rows of cell values)."""
    import openpyxl

    workbook = openpyxl.Workbook()
    workbook.remove(workbook.active)
    for name, rows in sheets.items():
        sheet = workbook.create_sheet(name)
        for row in rows:
            sheet.append(row)
    workbook.save(path)
    return path


def errors_of(kind: str, path: Path, **kwargs) -> list[tuple[int | None, str | None]]:
    """(row, column) of every error reading ``path``; fails if the file is accepted."""
    try:
        data.read(kind, path, **kwargs)
    except data.ValidationError as error:
        return [(e.row, e.column) for e in error.errors]
    raise AssertionError(f"{path.name} was accepted as {kind}")


def error_list(kind: str, path: Path, **kwargs) -> list[data.RowError]:
    """The errors reading ``path``; fails if the file is accepted."""
    try:
        data.read(kind, path, **kwargs)
    except data.ValidationError as error:
        return error.errors
    raise AssertionError(f"{path.name} was accepted as {kind}")
