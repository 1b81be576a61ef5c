"""``read()``: one user file in, one validated canonical frame out, or every error."""

from __future__ import annotations

from collections.abc import Mapping
from pathlib import Path

import polars as pl

from careties.data.context import KnownCodes, ReadContext
from careties.data.contracts import CONTRACTS
from careties.data.errors import ErrorLog, ValidationError
from careties.data.frames import CANONICAL, KINDS
from careties.data.layouts import (
    Layout,
    choose_layout,
    header_is_known,
    map_columns,
    normalise_header,
)
from careties.data.pseudonymise import pseudonymisation_key as configured_key
from careties.data.sources import read_records
from careties.data.validate import check_formulas, clean_text


def read(
    kind: str,
    path: str | Path,
    *,
    pseudonymisation_key: bytes | None = None,
    known: KnownCodes | None = None,
    default_la_code: str | None = None,
    la_code_by_postcode: Mapping[str, str] | None = None,
    la_code_by_practice: Mapping[str, str] | None = None,
    notes: list[str] | None = None,
) -> pl.DataFrame:
    """Read ``path`` as ``kind`` and return its canonical frame (``frames.CANONICAL[kind]``).

    Raises ``ValidationError`` listing every problem in the file (up to
    ``errors.MAX_REPORTED_ERRORS`` in detail) and nothing else for a bad file.
    ``pseudonymisation_key`` defaults to the configured key; ``known`` enables
    "unknown council / practice / professional" checks; ``default_la_code`` and
    ``la_code_by_postcode`` or ``la_code_by_practice`` (``practice_councils``)
    assign councils to practices from ``epraccur.csv``.
    """
    if kind not in KINDS:
        raise ValueError(f"unknown kind {kind!r}: use one of {', '.join(KINDS)}")
    path = Path(path)
    log = ErrorLog(file=path.name)
    ctx = ReadContext(
        log=log,
        known=known,
        pseudonymisation_key=pseudonymisation_key or configured_key(),
        default_la_code=default_la_code,
        la_code_by_postcode=la_code_by_postcode,
        la_code_by_practice=la_code_by_practice,
    )
    contract = CONTRACTS[kind]
    records = read_records(path, kind, log)
    if records is None or records.height == 0:
        if not log.total:
            log.file_error("the file is empty")
        log.raise_if_any()
    layout = _layout(contract, records)
    mapped = map_columns(layout, records, log)
    if mapped is None:
        log.raise_if_any()
    if mapped.frame.height == 0:
        log.file_error("no data rows: the file has a header but nothing under it")
        log.raise_if_any()
    ctx.labels = mapped.labels
    if mapped.ignored:
        ctx.notes.append(
            f"column{'s' if len(mapped.ignored) != 1 else ''} not used by careties: "
            + ", ".join(mapped.ignored)
        )
    log.column_order = list(mapped.labels.values())
    mapped.frame = clean_text(mapped.frame)
    check_formulas(mapped.frame, ctx)
    try:
        frame = contract.convert(mapped, ctx)
    except ValidationError:
        raise
    except Exception as error:  # a crash on a user's file must still read as a file error
        if not log.total:
            log.file_error(f"cannot read the file: {type(error).__name__}: {error}")
        log.raise_if_any()
    log.raise_if_any()
    if frame.height == 0:
        log.file_error(
            f"no {kind.replace('_', ' ')} rows in the file after filtering ({layout.name} layout)"
        )
        log.raise_if_any()
    if notes is not None:
        notes.extend(ctx.notes)
    return frame.select([pl.col(c).cast(t) for c, t in CANONICAL[kind].items()])


def _layout(contract, records: pl.DataFrame) -> Layout:
    layouts: list[Layout] = contract.LAYOUTS
    headerless = [layout for layout in layouts if not layout.has_header]
    if headerless and not header_is_known(layouts, records):
        first_row = list(records.drop("__row").row(0))
        if contract.looks_headerless(first_row):  # only contracts with headerless layouts
            return headerless[0]
    return choose_layout(layouts, records)


def detect_kind(path: str | Path) -> str | None:
    """The kind whose layout best matches the file's header, or ``None``.

    A convenience for ``careties import FILE`` without a kind; ``read`` still
    checks the file fully.
    """
    log = ErrorLog(file=Path(path).name)
    records = read_records(path, "", log)
    if records is None or records.height == 0:
        return None
    headers = {normalise_header(h) for h in records.drop("__row").row(0)}
    best, best_score = None, 0
    for kind, contract in CONTRACTS.items():
        for layout in contract.LAYOUTS:
            if not layout.has_header:
                first_row = list(records.drop("__row").row(0))
                if (
                    not header_is_known(contract.LAYOUTS, records)
                    and contract.looks_headerless(first_row)
                    and len(first_row) == len(layout.positional or ())
                ):
                    return kind
                continue
            if set(layout.required) <= headers:
                score = len(headers & layout.known)
                if score > best_score:
                    best, best_score = kind, score
    return best
