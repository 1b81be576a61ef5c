"""Recognise which published layout a file follows, from its header row.

A council should load the files it already has, as they were published
(NHS Digital's practice lists and registrations, its own Client Level Data
return), as well as careties' own simple layouts. Each ``Layout`` names the
columns it needs; the header decides which one applies. careties' own layouts
are strict (an unexpected column is an error, because it usually means a
misspelt one); published layouts whose specification grows over time (CLD)
tolerate extra columns and ignore them.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

import polars as pl

from careties.data.errors import ROW_COLUMN, ErrorLog
from careties.data.sources import cell_columns


def normalise_header(name: str | None) -> str:
    """``" Practice-Code "`` -> ``"practice_code"``: BOM removed, lower case, other characters to ``_``.

    Punctuation counts as a separator too, so the CLD specification's
    ``Request: Route of Access`` and the underscored ``Request_Route_of_Access``
    are the same column.
    """
    text = (name or "").replace("\ufeff", "").strip().lower()
    return re.sub(r"[^a-z0-9+]+", "_", text).strip("_")


@dataclass(frozen=True)
class Layout:
    """One accepted arrangement of columns for a kind of file."""

    kind: str
    name: str
    #: Normalised headers that must be present.
    required: tuple[str, ...]
    #: Normalised headers that may be present.
    optional: tuple[str, ...] = ()
    #: Headers whose presence identifies this layout among the kind's layouts.
    signature: tuple[str, ...] = ()
    #: Accept (and ignore) columns not listed above.
    allow_extra: bool = False
    #: Keep such columns (named by their normalised header) for the contract to read:
    #: layouts whose columns vary by year or age (ONS population tables).
    keep_extra: bool = False
    #: For headerless files: the positional names of the columns.
    positional: tuple[str, ...] | None = None
    #: Labels for error messages of headerless files.
    labels: dict[str, str] = field(default_factory=dict)

    @property
    def has_header(self) -> bool:
        return self.positional is None

    @property
    def known(self) -> set[str]:
        return set(self.required) | set(self.optional)


@dataclass
class Mapped:
    """A file's data rows with named (normalised) columns, ready for its contract."""

    layout: Layout
    frame: pl.DataFrame
    #: normalised column -> the header as the file spells it, for error messages.
    labels: dict[str, str]
    #: Headers of columns the layout does not use (published layouts only), as spelt.
    ignored: list[str] = field(default_factory=list)


def _headers(records: pl.DataFrame) -> list[str | None]:
    cells = [c for c in records.columns if c != ROW_COLUMN]
    return list(records.select(cells).row(0))


def choose_layout(layouts: list[Layout], records: pl.DataFrame) -> Layout:
    """The layout whose signature columns the header shows; careties' own by default.

    A headerless layout is chosen only when the first row has none of the
    known header names and starts with the kind of value that layout expects
    (checked by the caller-supplied ``looks_headerless`` of that layout's kind).
    """
    headers = {normalise_header(h) for h in _headers(records)}
    best, best_score = layouts[0], 0
    for layout in layouts:
        if not layout.has_header or not layout.signature:
            continue
        score = len(headers & set(layout.signature))
        if score == len(layout.signature) and score > best_score:
            best, best_score = layout, score
    return best


def header_is_known(layouts: list[Layout], records: pl.DataFrame) -> bool:
    """Whether the first record names any column of any header layout of the kind."""
    headers = {normalise_header(h) for h in _headers(records)}
    return any(headers & layout.known for layout in layouts if layout.has_header)


def map_columns(layout: Layout, records: pl.DataFrame, log: ErrorLog) -> Mapped | None:
    """Name the columns per ``layout``; report missing, unexpected and repeated headers."""
    cells = [c for c in records.columns if c != ROW_COLUMN]
    if not layout.has_header:
        positional = layout.positional or ()
        if len(cells) != len(positional):
            log.file_error(
                f"this looks like NHS Digital's {layout.name} file (no header row), which has "
                f"{len(positional)} columns, but the file has {len(cells)}"
            )
            return None
        frame = records.rename(dict(zip(cells, positional, strict=True)))
        return Mapped(layout, frame, dict(layout.labels))

    original = _headers(records)
    names = [normalise_header(h) for h in original]
    labels: dict[str, str] = {}
    rename: dict[str, str] = {}
    drop: list[str] = []
    seen: set[str] = set()
    ignored: list[str] = []
    ok = True
    for cell, raw, name in zip(cells, original, names, strict=True):
        if not name:
            if records.height > 1 and records.get_column(cell).slice(1).drop_nulls().len():
                log.file_error(
                    f"column {cell_columns(len(cells)).index(cell) + 1} has data but no header"
                )
                ok = False
            drop.append(cell)
            continue
        if name in seen:
            log.file_error(f"column '{raw}' appears more than once", column=raw)
            ok = False
            drop.append(cell)
            continue
        seen.add(name)
        if name not in layout.known:
            if layout.keep_extra:
                rename[cell] = name
                labels[name] = str(raw).replace("\ufeff", "").strip()
                continue
            if layout.allow_extra:
                ignored.append(str(raw).replace("\ufeff", "").strip())
                drop.append(cell)
                continue
            log.file_error(
                f"unexpected column '{raw}' (the {layout.name} layout has: {', '.join(layout.required + layout.optional)})",
                column=raw,
            )
            ok = False
            drop.append(cell)
            continue
        rename[cell] = name
        labels[name] = str(raw).replace("\ufeff", "").strip()
    for required in layout.required:
        if required not in seen:
            log.file_error(f"missing required column '{required}'", column=required)
            ok = False
    if not ok:
        return None
    frame = records.slice(1).drop(drop).rename(rename)
    return Mapped(layout, frame, labels, ignored)
