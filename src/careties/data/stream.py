"""Read a large CSV file in batches, each validated as it comes, with memory bounded.

``read()`` holds the whole file as one frame: 9.1 GiB for England's 12.4 million
events. Here the file is cut into chunks of about ``BATCH_BYTES`` at record
boundaries (a newline outside quotes), each chunk parsed and checked with the
same contract as ``read()``, and handed on as a canonical frame, so memory
depends on the batch, not the file. Errors carry the file's own row numbers.

Only layouts whose checks look at one row at a time are streamed this way
(``STREAMED``): careties' events layout. Client Level Data fills a person's
dates from their other rows and keeps DHSC's unique events, so its rows are
first split by person (``stream_cld``) and each part is checked whole. The one check
across rows, a natural key repeated, is done across batches with a 64-bit hash
of each key (``finish``): 16 bytes a row, not the rows themselves.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np
import polars as pl

from careties.data.context import KnownCodes, ReadContext
from careties.data.contracts import CONTRACTS
from careties.data.errors import ROW_COLUMN, ErrorLog
from careties.data.frames import CANONICAL, NATURAL_KEYS
from careties.data.layouts import map_columns
from careties.data.pseudonymise import pseudonymisation_key as configured_key
from careties.data.reader import _layout
from careties.data.sources import (
    decode,
    decode_spreadsheet_text,
    read_csv_text,
)
from careties.data.validate import check_formulas, clean_text

#: Kind -> layouts whose every check is about one row (so a batch is checked alone).
STREAMED: dict[str, tuple[str, ...]] = {"events": ("careties",)}
#: About 70,000 events a batch: big enough that per-batch costs vanish, small enough
#: that a batch and its intermediate frames stay near 250 MB (16 MB batches: 420 MB).
BATCH_BYTES = 8 * 2**20
_NEWLINE, _QUOTE = 10, 34


def _code(column: str) -> pl.Expr:
    """A code as ``common.la_code`` normalises it (upper case, no spaces)."""
    return pl.col(column).str.to_uppercase().str.replace_all(r"\s+", "")


#: Kind -> the natural key as the contract will store it, from the cleaned text cells.
KEY_EXPRESSIONS: dict[str, list[pl.Expr]] = {
    "events": [_code("la_code"), pl.col("event_reference")],
}


@dataclass
class Progress:
    """Where a streamed import is: rows read, checked and written, and the share of bytes read."""

    stage: str = ""
    read: int = 0
    validated: int = 0
    written: int = 0
    share: float = 0.0


def record_chunks(handle, size: int = BATCH_BYTES) -> Iterator[tuple[bytes, int]]:
    """Cut a file into chunks that end at a record boundary; yields (bytes, records in it).

    A newline ends a record when an even number of double quotes precede it (RFC
    4180 escapes a quote by doubling it, so quoted newlines sit at odd counts).
    A buffer with no such newline within four chunk sizes (a stray quote) is cut
    at its last newline anyway, so memory stays bounded; the parser then
    reports the broken quote.
    """
    carry = b""
    while True:
        data = handle.read(size)
        buffer = carry + data
        if not data:
            if buffer:
                yield buffer, _records(buffer, len(buffer))
            return
        bytes_ = np.frombuffer(buffer, dtype=np.uint8)
        newlines = np.flatnonzero(bytes_ == _NEWLINE)
        quotes = np.flatnonzero(bytes_ == _QUOTE)
        if len(quotes):
            before = np.searchsorted(quotes, newlines)
            ends = newlines[before % 2 == 0]
        else:
            ends = newlines
        if len(ends) == 0 and len(buffer) > 4 * size and len(newlines):
            ends = newlines
        if len(ends) == 0:
            carry = buffer
            continue
        cut = int(ends[-1]) + 1
        yield buffer[:cut], int(len(ends))
        carry = buffer[cut:]


def _records(buffer: bytes, end: int) -> int:
    """Records in the last piece of a file (which may lack its final newline)."""
    bytes_ = np.frombuffer(buffer[:end], dtype=np.uint8)
    newlines = np.flatnonzero(bytes_ == _NEWLINE)
    quotes = np.flatnonzero(bytes_ == _QUOTE)
    ends = newlines[np.searchsorted(quotes, newlines) % 2 == 0] if len(quotes) else newlines
    return int(len(ends)) + (0 if buffer.endswith(b"\n") else 1)


@dataclass
class StreamSummary:
    """What the whole file is about, gathered batch by batch: enough to scope its import."""

    rows: int = 0
    #: council -> (first, last) start date of its rows: the period an events file replaces.
    periods: dict[str, tuple[dt.date, dt.date]] = field(default_factory=dict)
    #: Rows that name another council than the one the file was uploaded for.
    foreign: list[str] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)

    def add(self, batch: pl.DataFrame) -> None:
        self.rows += batch.height
        spans = batch.group_by("la_code").agg(
            pl.col("start_date").min().alias("first"), pl.col("start_date").max().alias("last")
        )
        for la_code, first, last in spans.iter_rows():
            known = self.periods.get(la_code)
            if known:
                first, last = min(first, known[0]), max(last, known[1])
            self.periods[la_code] = (first, last)

    def frame(self) -> pl.DataFrame:
        """Two rows per council (its first and last start date): what ``scope`` reads."""
        codes = [c for c in self.periods for _ in range(2)]
        dates = [d for span in self.periods.values() for d in span]
        return pl.DataFrame(
            {"la_code": codes, "start_date": dates},
            schema={"la_code": pl.String, "start_date": pl.Date},
        )


class FileStream:
    """One CSV file read batch by batch; ``batches()`` then ``finish()``.

    Every batch is checked; once any error is found the later batches are still
    checked (so the report lists every problem) but yield nothing, since nothing
    will be written. ``finish()`` adds repeated keys across batches and raises
    ``ValidationError`` if the file has any error.
    """

    def __init__(
        self,
        kind: str,
        path: Path,
        *,
        pseudonymisation_key: bytes | None = None,
        known: KnownCodes | None = None,
        default_la_code: str | None = None,
        only_la_code: str | None = None,
        batch_bytes: int | None = None,
        on_batch: Callable[[Progress], None] | None = None,
    ) -> None:
        self.kind, self.path = kind, Path(path)
        self.log = ErrorLog(file=self.path.name)
        self.known, self.default_la_code, self.only_la_code = known, default_la_code, only_la_code
        self.key = pseudonymisation_key or configured_key()
        self.batch_bytes, self.on_batch = batch_bytes or BATCH_BYTES, on_batch
        self.size = self.path.stat().st_size
        self.summary = StreamSummary()
        self.progress = Progress(stage="read and check")
        self._hashes: list[np.ndarray] = []
        self._rows: list[np.ndarray] = []
        self._key_labels: list[str] = []

    def _context(self, labels: dict[str, str]) -> ReadContext:
        return ReadContext(
            log=self.log,
            known=self.known,
            pseudonymisation_key=self.key,
            default_la_code=self.default_la_code,
            labels=dict(labels),
        )

    def batches(self) -> Iterator[pl.DataFrame]:
        """Canonical frames of valid rows, batch by batch (none once an error is found)."""
        contract = CONTRACTS[self.kind]
        header: bytes | None = None
        layout = encoding = None
        records_before = 0
        done = 0
        with self.path.open("rb") as handle:
            for chunk, records in record_chunks(handle, self.batch_bytes):
                done += len(chunk)
                if header is None:
                    header, chunk_text, encoding = self._first(chunk)
                    if chunk_text is None:
                        break
                    offset = 0
                else:
                    chunk_text = self._decode(chunk, encoding, records_before)
                    if chunk_text is None:
                        break
                    chunk_text = header + chunk_text
                    offset = records_before - 1
                records_before += records
                parsed = self._parse(chunk_text, offset)
                if parsed is None:
                    continue
                if layout is None:
                    layout = _layout(contract, parsed)
                mapped = map_columns(layout, parsed, self.log)
                if mapped is None:
                    break
                self.progress.read += mapped.frame.height
                batch = self._check(contract, mapped)
                self.progress.share = done / self.size if self.size else 1.0
                yield from self._hand_on(batch)

    def _hand_on(self, batch: pl.DataFrame | None) -> Iterator[pl.DataFrame]:
        """Yield a checked batch with rows, counted and summarised; then report progress.

        Shared with ``stream_cld.CldStream``, whose batches are parts of the file.
        """
        if batch is not None and batch.height:
            self.progress.validated += batch.height
            self.summary.add(batch)
            yield batch
        if self.on_batch is not None:
            self.on_batch(self.progress)

    def _first(self, chunk: bytes) -> tuple[str, str | None, str | None]:
        """Decode the first chunk, choosing the encoding; returns (header line, text, encoding)."""
        decoded = decode_spreadsheet_text(chunk)
        if decoded is not None:
            text, encoding = decoded
        else:
            text, encoding = decode(chunk, self.log), None
            if text is None:
                return "", None, None
        header = text[: text.find("\n") + 1] if "\n" in text else text + "\n"
        return header, text, encoding

    def _decode(self, chunk: bytes, encoding: str | None, records_before: int) -> str | None:
        try:
            return chunk.decode("utf-8" if encoding in (None, "utf-8-sig") else encoding)
        except UnicodeDecodeError:
            self.log.file_error(
                f"cannot decode the file after row {records_before:,}: it changes encoding; "
                "save it as CSV UTF-8"
            )
            return None

    def _parse(self, text: str, offset: int) -> pl.DataFrame | None:
        """Cells of one chunk with file row numbers; ragged rows and NUL bytes reported."""
        if "\x00" in text:
            self.log.file_error("the file contains binary data: is it really a CSV file?")
            return None
        local = ErrorLog(file=self.log.file, limit=self.log.limit)
        records = read_csv_text(text, local)
        for error in local.errors:
            row = None if error.row is None else error.row + offset
            self.log.add(row, error.column, error.value, error.reason)
        self.log.total += local.total - len(local.errors)
        if records is None:
            return None
        return records.with_columns(pl.col(ROW_COLUMN) + offset)

    def _check(self, contract, mapped) -> pl.DataFrame | None:
        ctx = self._context(mapped.labels)
        if mapped.ignored and not self.summary.notes:
            self.summary.notes.append("columns not used by careties: " + ", ".join(mapped.ignored))
        self.log.column_order = list(mapped.labels.values())
        self._key_labels = [mapped.labels.get(k, k) for k in NATURAL_KEYS[self.kind]]
        mapped.frame = clean_text(mapped.frame)
        self._remember_keys(mapped.frame)
        self._foreign(mapped.frame)
        check_formulas(mapped.frame, ctx)
        errors_before = self.log.total
        try:
            frame = contract.convert(mapped, ctx)
        except Exception as error:  # noqa: BLE001 - a crash on a user's file is a file error
            if self.log.total == errors_before:
                self.log.file_error(f"cannot read the file: {type(error).__name__}: {error}")
            return None
        if not self.summary.notes and ctx.notes:
            self.summary.notes.extend(ctx.notes)
        if self.log.total:
            return None
        return frame.select([pl.col(c).cast(t) for c, t in CANONICAL[self.kind].items()])

    def _remember_keys(self, cells: pl.DataFrame) -> None:
        keys = KEY_EXPRESSIONS[self.kind]
        found = cells.filter(pl.all_horizontal([k.is_not_null() for k in keys])).select(
            pl.struct(keys).hash().alias("h"), pl.col(ROW_COLUMN)
        )
        self._hashes.append(found["h"].to_numpy())
        self._rows.append(found[ROW_COLUMN].to_numpy().astype(np.int32))

    def _foreign(self, cells: pl.DataFrame) -> None:
        if not self.only_la_code or "la_code" not in cells.columns:
            return
        room = 50 - len(self.summary.foreign)
        if room <= 0:
            return
        code = _code("la_code")
        other = cells.filter(code.is_not_null() & (code != self.only_la_code))
        for row, council in other.select(ROW_COLUMN, code).head(room).iter_rows():
            self.summary.foreign.append(
                f"row {row}: belongs to council {council}, not {self.only_la_code}"
            )

    def finish(self) -> StreamSummary:
        """Report keys repeated across batches, then raise ``ValidationError`` if any error."""
        self._repeated_across_batches()
        if self.summary.rows == 0 and not self.log.total:
            self.log.file_error("no data rows: the file has a header but nothing under it")
        self.log.raise_if_any()
        return self.summary

    def _repeated_across_batches(self) -> None:
        """A key seen in an earlier batch; repeats inside one batch the contract reports.

        Hashes are 64-bit: for England's 12.4 million events the chance that two
        different keys share one is about 4 in a million.
        """
        if len(self._hashes) < 2:
            return
        starts = np.array([r[0] for r in self._rows if len(r)], dtype=np.int64)
        # Sorted in place, one copy of the hashes (8 bytes a row) finds the repeated ones;
        # only their rows are then gathered.
        ordered = np.concatenate(self._hashes)
        ordered.sort()
        twice = np.unique(ordered[1:][ordered[1:] == ordered[:-1]])
        del ordered
        if len(twice) == 0:
            return
        found = [np.isin(h, twice) for h in self._hashes]
        repeated = pl.DataFrame(
            {
                "hash": np.concatenate([h[f] for h, f in zip(self._hashes, found, strict=True)]),
                "row": np.concatenate([r[f] for r, f in zip(self._rows, found, strict=True)]),
            }
        ).sort("row")
        self._hashes, self._rows = [], []
        batch = np.searchsorted(starts, repeated["row"].to_numpy(), side="right")
        repeated = (
            repeated.with_columns(pl.Series("batch", batch))
            .with_columns(
                pl.col("row").first().over("hash").alias("first"),
                pl.col("batch").first().over("hash").alias("first_batch"),
                (pl.col("row") == pl.col("row").min().over("hash", "batch")).alias("first_here"),
            )
            .filter((pl.col("batch") != pl.col("first_batch")) & pl.col("first_here"))
        )
        names = ", ".join(self._key_labels)
        for row, first in repeated.select("row", "first").iter_rows():
            self.log.add(
                row, self._key_labels[-1], None, f"duplicate of row {first} (same {names})"
            )
