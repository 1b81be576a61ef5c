"""Turn a user's file (CSV or XLSX) into a frame of text cells, one row per record.

Everything is read as text first and converted column by column later, so a
bad cell becomes a precise error instead of a failed import or, worse, a
silently guessed type. The first record (usually the header) is kept as data:
``layouts`` decides whether it is a header, because NHS Digital's
``epraccur.csv`` has none.

Rows carry their spreadsheet row number in ``__row`` (first record = 1), which
survives every later filter so errors always point at the right line.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
import re
import zipfile
from pathlib import Path

import polars as pl
from charset_normalizer import from_bytes

from careties.data.errors import ROW_COLUMN, ErrorLog

XLSX_SUFFIXES = (".xlsx", ".xlsm")
_ZIP_MAGIC = b"PK\x03\x04"
_QUOTED = re.compile(r'"[^"]*"')


def cell_columns(width: int) -> list[str]:
    """Positional names of the raw cells, before a layout names them."""
    return [f"c{i}" for i in range(width)]


#: What Excel writes a CSV in: UTF-8 (with or without BOM), else the Windows code page.
SPREADSHEET_ENCODINGS = ("utf-8-sig", "cp1252")


def decode_spreadsheet_text(data: bytes) -> tuple[str, str] | None:
    """``(text, encoding)`` in the first of :data:`SPREADSHEET_ENCODINGS` that decodes ``data``.

    Each is tried strictly, in that order, so a stray byte never becomes a
    silently wrong character; None when neither fits.
    """
    for encoding in SPREADSHEET_ENCODINGS:
        try:
            return data.decode(encoding), encoding
        except UnicodeDecodeError:
            continue
    return None


def decode(data: bytes, log: ErrorLog) -> str | None:
    """Decode bytes as UTF-8 (with or without BOM), else Windows-1252, else a detected charset.

    Councils export from Excel, which writes either UTF-8 with a BOM or the
    Windows code page (:func:`decode_spreadsheet_text`).
    """
    decoded = decode_spreadsheet_text(data)
    if decoded is not None:
        return decoded[0]
    try:
        best = from_bytes(data).best()
    except Exception:  # a detector failure is the same as no detection
        best = None
    if best is not None and best.encoding:
        try:
            return data.decode(best.encoding)
        except (UnicodeDecodeError, LookupError):
            pass
    log.file_error("cannot decode the file: save it as CSV UTF-8 (or as an Excel workbook)")
    return None


def _field_counts_simple(lines: list[str]) -> pl.Series:
    """Fields per line, exact when no quoted value spans lines (blank line = 0)."""
    stripped = pl.Series("line", lines).str.strip_chars_end("\r")
    unquoted = stripped.str.replace_all(_QUOTED.pattern, "")
    fields = unquoted.str.count_matches(",", literal=True).cast(pl.Int64) + 1
    return fields * (stripped.str.len_chars() > 0).cast(pl.Int64)


def _record_shapes(text: str) -> tuple[pl.Series, int | None, int | None]:
    """Fields per record, plus (record index, start line) of an unterminated quote.

    The exact parse with the ``csv`` module is only needed when a quoted value
    spans lines; otherwise a vectorised count per line is exact and much faster.
    """
    lines = text.split("\n")
    odd_quotes = pl.Series(lines).str.count_matches('"', literal=True) % 2 == 1
    if not odd_quotes.any():
        return _trim_zeros(_field_counts_simple(lines)), None, None
    counts: list[int] = []
    reader = csv.reader(io.StringIO(text, newline=""), strict=True)
    line_before = 0
    while True:
        try:
            row = next(reader)
        except StopIteration:
            break
        except csv.Error:
            return _trim_zeros(pl.Series(counts, dtype=pl.Int64)), len(counts), line_before
        counts.append(len(row))
        line_before = reader.line_num
    return _trim_zeros(pl.Series(counts, dtype=pl.Int64)), None, None


def _trim_zeros(counts: pl.Series) -> pl.Series:
    """Drop trailing blank lines, which are not records."""
    nonzero = (counts > 0).arg_true()
    return counts.head(int(nonzero[-1]) + 1 if len(nonzero) else 0)


def read_csv_text(text: str, log: ErrorLog) -> pl.DataFrame | None:
    """Parse CSV text into string cells ``c0..cN`` plus ``__row``; report ragged rows."""
    if not text.strip():
        log.file_error("the file is empty")
        return None
    counts, broken_record, broken_line = _record_shapes(text)
    if broken_record is not None:
        log.add(
            broken_record + 1,
            None,
            None,
            "unterminated quoted value: the file looks truncated or has a stray double quote",
        )
        text = "\n".join(text.split("\n")[:broken_line])
        if len(counts) == 0:
            return None
    width = int(counts[0])
    ragged = (
        pl.DataFrame({"fields": counts})
        .with_row_index("index")
        .filter((pl.col("fields") != 0) & (pl.col("fields") != width))
    )
    last = len(counts) - 1
    for index, count in ragged.head(log.limit).iter_rows():
        more_or_fewer = "fewer" if count < width else "more"
        truncated = " (the file looks truncated)" if index == last and count < width else ""
        log.add(
            index + 1,
            None,
            None,
            f"row has {count} fields, {more_or_fewer} than the {width} of the first row{truncated}",
        )
    log.total += max(ragged.height - log.limit, 0)
    try:
        frame = pl.read_csv(
            text.encode("utf-8"),
            has_header=False,
            infer_schema=False,
            truncate_ragged_lines=True,
            new_columns=cell_columns(width),
            raise_if_empty=False,
        )
    except Exception as error:  # polars' message is the best we can say here
        log.file_error(f"cannot read the file as CSV: {str(error).splitlines()[0]}")
        return None
    frame = frame.with_row_index(ROW_COLUMN, offset=1).with_columns(
        pl.col(ROW_COLUMN).cast(pl.Int64)
    )
    return _drop_blank_rows(frame)


def _drop_blank_rows(frame: pl.DataFrame) -> pl.DataFrame:
    """Blank lines are layout, not data; dropping them keeps later row numbers intact."""
    cells = [c for c in frame.columns if c != ROW_COLUMN]
    if not cells:
        return frame
    # Polars reads an empty field as null, so a blank line is a row of nulls.
    blank = pl.all_horizontal([pl.col(c).is_null() for c in cells])
    return frame.filter(~blank)


def _cell_text(value: object) -> str | None:
    """Spreadsheet cell value as the text a CSV export would show."""
    if value is None:
        return None
    if isinstance(value, bool):
        return "TRUE" if value else "FALSE"
    if isinstance(value, float):
        return str(int(value)) if value.is_integer() else repr(value)
    if isinstance(value, dt.datetime):
        if value.time() == dt.time(0):
            return value.date().isoformat()
        return value.isoformat(sep=" ")
    if isinstance(value, dt.date | dt.time):
        return value.isoformat()
    return str(value)


def _sheet_rows(sheet) -> list[list[str | None]]:
    rows = [[_cell_text(v) for v in row] for row in sheet.iter_rows(values_only=True)]
    while rows and all(v is None or v == "" for v in rows[-1]):
        rows.pop()
    return rows


def _normal_name(name: str) -> str:
    return re.sub(r"[^a-z0-9]+", "_", name.strip().lower()).strip("_")


def read_xlsx(path: Path, kind: str, log: ErrorLog) -> pl.DataFrame | None:
    """Read the one relevant sheet of a workbook as string cells.

    openpyxl is used (not a faster value-only reader) because it shows a
    formula as its text: careties refuses formulas, since the cached result
    may be stale and a formula in a council's file is usually a mistake.
    """
    try:
        # openpyxl loads only when a workbook is read: careties.data is imported by
        # every CLI start (``careties --help``), which should not pay for it.
        import openpyxl

        workbook = openpyxl.load_workbook(path, read_only=True, data_only=False)
    except (zipfile.BadZipFile, KeyError, OSError, ValueError, TypeError) as error:
        log.file_error(f"cannot open the workbook (is it a valid .xlsx file?): {error}")
        return None
    except Exception as error:  # any other corruption is still the user's file
        log.file_error(f"cannot open the workbook: {error}")
        return None
    try:
        sheets = {name: _sheet_rows(workbook[name]) for name in workbook.sheetnames}
    except Exception as error:
        log.file_error(f"cannot read the workbook: {error}")
        return None
    finally:
        workbook.close()
    with_data = [name for name, rows in sheets.items() if rows]
    named = [name for name in sheets if _normal_name(name) == kind]
    if named:
        chosen = named[0]
    elif len(with_data) == 1:
        chosen = with_data[0]
    elif not with_data:
        log.file_error("the workbook is empty")
        return None
    else:
        log.file_error(
            f"the workbook has several sheets with data ({', '.join(with_data)}): "
            f"name the one to load '{kind}' or save it on its own"
        )
        return None
    rows = sheets[chosen]
    if not rows:
        log.file_error(f"sheet '{chosen}' is empty")
        return None
    width = max(len(r) for r in rows)
    while width > 1 and all(len(r) < width or r[width - 1] is None for r in rows):
        width -= 1
    padded = [(r + [None] * width)[:width] for r in rows]
    frame = pl.DataFrame(padded, schema=dict.fromkeys(cell_columns(width), pl.String), orient="row")
    frame = frame.with_row_index(ROW_COLUMN, offset=1).with_columns(
        pl.col(ROW_COLUMN).cast(pl.Int64)
    )
    return _drop_blank_rows(frame)


def read_records(path: str | Path, kind: str, log: ErrorLog) -> pl.DataFrame | None:
    """Read a CSV or XLSX file into string cells; ``None`` (with errors logged) if unreadable."""
    path = Path(path)
    try:
        data = path.read_bytes()
    except OSError as error:
        log.file_error(f"cannot read the file: {error.strerror or error}")
        return None
    if not data:
        log.file_error("the file is empty")
        return None
    if path.suffix.lower() in XLSX_SUFFIXES or data.startswith(_ZIP_MAGIC):
        return read_xlsx(path, kind, log)
    text = decode(data, log)
    if text is None:
        return None
    if "\x00" in text:
        log.file_error("the file contains binary data: is it really a CSV file?")
        return None
    return read_csv_text(text, log)
