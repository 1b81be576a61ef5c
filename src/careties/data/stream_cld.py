"""Client Level Data read in bounded memory: split by person, then checked a part at a time.

CLD's checks span rows, but only one person's rows: a blank date of birth or
death borrows the person's latest (``cld.fill_person_dates``), and DHSC's unique
events are one person's rows agreeing on their identifying fields
(``cld.unique_events``). So the file is read once in chunks, as
``stream.FileStream`` reads careties' layout, and each row is written to one of
several temporary parts by a hash of its person (DHSC's combined person id).
Each part, about one batch in size, is then checked whole by the same contract
as ``read()``: every person's rows are in one part, so the rules across rows
give what they give on the whole file, and memory depends on the batch size.

The one check across people, an ``Event_Reference`` repeated within a council,
is made during the first pass with a 64-bit hash of each key (12 bytes a row)
and reported naming the row the whole-file check names (its first occurrence
in the file); each part's own report of repeats, which could only name the
part's first row, is left out. Notes count over the whole file, as ``read()``
writes them.
"""

from __future__ import annotations

import tempfile
from collections import Counter
from collections.abc import Callable, Iterator
from pathlib import Path

import numpy as np
import polars as pl
import pyarrow as pa

from careties.data.context import ReadContext
from careties.data.contracts import CONTRACTS, cld
from careties.data.errors import ROW_COLUMN, ErrorLog
from careties.data.frames import CANONICAL
from careties.data.layouts import Mapped
from careties.data.stream import FileStream, Progress, StreamSummary
from careties.data.validate import check_formulas, clean_text, upper_code

_PART = "__part"
_REPEAT_REASON = "duplicate of row "
#: Parts on disk compressed: about half the file's size instead of 1.7 times it, for little CPU.
_LZ4 = pa.ipc.IpcWriteOptions(compression="lz4")


class CldStream(FileStream):
    """A Client Level Data CSV file checked part by part; ``batches()`` then ``finish()``.

    Used exactly as ``FileStream`` (``open_stream`` returns one for a CLD file).
    The first pass (``_check``, called by ``FileStream.batches`` for each chunk)
    only splits rows into parts; the second checks each part and yields its
    canonical frame. Parts live in a temporary directory removed when the
    batches are done (or abandoned).
    """

    def __init__(self, kind: str, path: Path, **options) -> None:
        super().__init__(kind, path, **options)
        self.parts = max(1, -(-self.size // self.batch_bytes))
        self._parts: _Parts | None = None
        self._mapped: Mapped | None = None
        self._key_hashes: list[np.ndarray] = []
        self._key_rows: list[np.ndarray] = []
        self._key_parts: list[np.ndarray] = []
        #: row repeating an earlier row's key -> that first row (found after the first pass).
        self._repeats: dict[int, int] = {}
        #: part -> its rows repeating a row of the same part.
        self._own_repeats: Counter[int] = Counter()
        self._file_errors: set[tuple[str | None, str]] = set()
        self._counts: Counter[str] = Counter()

    def batches(self) -> Iterator[pl.DataFrame]:
        """Canonical frames of valid rows, part by part (none once an error is found)."""
        user_callback = self.on_batch
        with tempfile.TemporaryDirectory(prefix="careties-cld-") as folder:
            self._parts = _Parts(Path(folder))
            self.progress.stage = "split by person"
            # The first pass is the first half of the progress bar.
            self.on_batch = _halved(user_callback)
            try:
                for _ in super().batches():
                    pass
            finally:
                self.on_batch = user_callback
                self._parts.close()
            if self._mapped is None:
                return
            self._find_repeats()
            self.progress.stage = "read and check"
            for part in range(self.parts):
                batch = self._check_part(part)
                self.progress.share = 0.5 + 0.5 * (part + 1) / self.parts
                yield from self._hand_on(batch)
        self._finish_notes()

    # -- first pass: split rows by person --------------------------------------------------

    def _check(self, contract, mapped: Mapped) -> None:
        """Write this chunk's rows into their parts; remember event keys; check nothing else."""
        cells = clean_text(mapped.frame)
        if self._mapped is None:
            self._mapped = Mapped(mapped.layout, cells.head(0), mapped.labels, mapped.ignored)
            self.log.column_order = list(mapped.labels.values())
        ctx = self._context(mapped.labels)
        ctx.log = ErrorLog(file=self.log.file)  # what the contract will say, not said twice
        keyed = cld.client_type(cld.council_codes(cld.rename_aliases(cells, ctx.labels), ctx))
        self._foreign(upper_code(keyed, "la_code"))
        person = cld.person_id(keyed, ctx)
        # A row with no person id is no one's: spread such rows, so no part grows with them.
        spread = pl.col(ROW_COLUMN).cast(pl.String)
        owner = spread if person is None else pl.coalesce("person_id", spread)
        part = (owner.hash(seed=17) % self.parts).cast(pl.Int32).alias(_PART)
        numbers = (keyed if person is None else person).select(part).to_series()
        self._remember_event_keys(keyed.with_columns(numbers))
        split = cells.with_columns(numbers)
        for (number,), piece in split.partition_by(_PART, as_dict=True).items():
            self._parts.add(number, piece.drop(_PART))
        return None

    def _remember_event_keys(self, cells: pl.DataFrame) -> None:
        """Hash (council, Event_Reference) of the rows ``check_duplicates`` will see."""
        needed = {"event_reference", "event_type", "event_start_date", "la_code"}
        if not needed <= set(cells.columns):
            return  # a required column is missing: the file is refused before repeats
        keys = [
            pl.col("la_code").str.to_uppercase().str.replace_all(r"\s+", ""),
            pl.col("event_reference"),
        ]
        found = cells.filter(
            ~cld.carer_without_event() & pl.all_horizontal([k.is_not_null() for k in keys])
        ).select(pl.struct(keys).hash().alias("h"), ROW_COLUMN, _PART)
        self._key_hashes.append(found["h"].to_numpy())
        self._key_rows.append(found[ROW_COLUMN].to_numpy().astype(np.int32))
        self._key_parts.append(found[_PART].to_numpy())

    def _find_repeats(self) -> None:
        """Rows whose key an earlier row has: the first row of each, and how many per part
        repeat a row of their own part (those the part's own check reports)."""
        if not self._key_hashes:
            return
        hashes = np.concatenate(self._key_hashes)
        ordered = np.sort(hashes)
        twice = np.unique(ordered[1:][ordered[1:] == ordered[:-1]])
        del ordered
        if len(twice) == 0:
            return
        found = np.isin(hashes, twice)
        hashes = hashes[found]
        rows = np.concatenate(self._key_rows)[found]
        parts = np.concatenate(self._key_parts)[found]
        self._key_hashes, self._key_rows, self._key_parts = [], [], []
        order = np.lexsort((rows, hashes))
        hashes, rows, parts = hashes[order], rows[order], parts[order]
        starts = np.r_[True, hashes[1:] != hashes[:-1]]
        first = rows[np.flatnonzero(starts)[np.cumsum(starts) - 1]]
        self._repeats = dict(zip(rows[~starts].tolist(), first[~starts].tolist(), strict=True))
        order = np.lexsort((rows, parts, hashes))
        hashes, parts = hashes[order], parts[order]
        again = (hashes[1:] == hashes[:-1]) & (parts[1:] == parts[:-1])
        self._own_repeats = Counter(parts[1:][again].tolist())

    # -- second pass: check each part whole ----------------------------------------------

    def _check_part(self, part: int) -> pl.DataFrame | None:
        cells = self._parts.take(part)
        if cells is None:
            return None
        cells = cells.sort(ROW_COLUMN)
        labels = self._mapped.labels
        own_repeats = self._own_repeats[part]
        local = ErrorLog(file=self.log.file, limit=self.log.limit + own_repeats)
        ctx = self._context(labels)
        ctx.log = local
        check_formulas(cells, ctx)
        mapped = Mapped(self._mapped.layout, cells, dict(labels), self._mapped.ignored)
        try:
            frame = self._convert(mapped, ctx)
        finally:
            self._merge(local, own_repeats, cells, ctx)
        self._counts.update(cld.note_counts(ctx.notes))
        if self.log.total or frame is None:
            return None
        return frame

    def _convert(self, mapped: Mapped, ctx: ReadContext) -> pl.DataFrame | None:
        errors_before = ctx.log.total
        try:
            frame = CONTRACTS[self.kind].convert(mapped, ctx)
        except Exception as error:  # noqa: BLE001 - a crash on a user's file is a file error
            if ctx.log.total == errors_before:
                ctx.log.file_error(f"cannot read the file: {type(error).__name__}: {error}")
            return None
        return frame.select([pl.col(c).cast(t) for c, t in CANONICAL[self.kind].items()])

    def _merge(
        self, local: ErrorLog, own_repeats: int, cells: pl.DataFrame, ctx: ReadContext
    ) -> None:
        """A part's errors into the file's: file errors once, repeats named by the file's row."""
        reference = ctx.label("event_reference")
        file_level = any(error.row is None for error in local.errors)
        detailed_repeats = 0
        for error in local.errors:
            if error.row is None:
                if (error.column, error.reason) in self._file_errors:
                    continue
                self._file_errors.add((error.column, error.reason))
            elif (
                error.row in self._repeats
                and error.column == reference
                and error.reason.startswith(_REPEAT_REASON)
            ):
                detailed_repeats += 1
                continue
            self.log.add(error.row, error.column, error.value, error.reason)
        # Errors beyond the part's detail are counted, less its own repeats among them.
        hidden_repeats = 0 if file_level else own_repeats - detailed_repeats
        self.log.total += local.total - len(local.errors) - hidden_repeats
        if not file_level:
            self._report_repeats(cells, ctx)

    def _report_repeats(self, cells: pl.DataFrame, ctx: ReadContext) -> None:
        """This part's rows repeating a key seen earlier in the file, as ``check_duplicates``."""
        if not self._repeats:
            return
        rows = cells.filter(pl.col(ROW_COLUMN).is_in(list(self._repeats)))
        if rows.height == 0:
            return
        names = f"{ctx.label('la_code')}, {ctx.label('event_reference')}"
        for row, value in rows.select(ROW_COLUMN, "event_reference").iter_rows():
            self.log.add(
                row,
                ctx.label("event_reference"),
                value,
                f"{_REPEAT_REASON}{self._repeats[row]} (same {names})",
            )

    def _finish_notes(self) -> None:
        """The notes ``read()`` writes: columns not used, then what the contract counted."""
        notes = []
        ignored = self._mapped.ignored if self._mapped is not None else []
        if ignored:
            notes.append(
                f"column{'s' if len(ignored) != 1 else ''} not used by careties: "
                + ", ".join(ignored)
            )
        notes += [cld.note(name, self._counts[name]) for name in cld.NOTES if self._counts[name]]
        self.summary.notes[:] = notes

    def finish(self) -> StreamSummary:
        """Raise ``ValidationError`` if the file has any error; else what it is about."""
        if self.summary.rows == 0 and not self.log.total:
            if self.progress.read == 0:
                self.log.file_error("no data rows: the file has a header but nothing under it")
            else:
                self.log.file_error(
                    "no events rows in the file after filtering (Client Level Data layout)"
                )
        self.log.raise_if_any()
        return self.summary


class _Parts:
    """Rows kept on disk by part: one Arrow IPC stream a part, appended to chunk by chunk."""

    def __init__(self, folder: Path) -> None:
        self.folder = folder
        self._writers: dict[int, pa.ipc.RecordBatchStreamWriter] = {}

    def add(self, number: int, rows: pl.DataFrame) -> None:
        table = rows.to_arrow()
        writer = self._writers.get(number)
        if writer is None:
            path = str(self.folder / f"{number}.arrow")
            writer = self._writers[number] = pa.ipc.new_stream(path, table.schema, options=_LZ4)
        writer.write_table(table)

    def close(self) -> None:
        for writer in self._writers.values():
            writer.close()

    def take(self, number: int) -> pl.DataFrame | None:
        """The part's rows (``None`` if it has none), its file removed once read."""
        path = self.folder / f"{number}.arrow"
        if number not in self._writers:
            return None
        with pa.ipc.open_stream(str(path)) as reader:
            table = reader.read_all()
        path.unlink()
        return pl.from_arrow(table)


def _halved(callback: Callable[[Progress], None] | None) -> Callable[[Progress], None] | None:
    """Report the first pass's share of the file read as the first half of the work."""
    if callback is None:
        return None

    def report(state: Progress) -> None:
        state.share /= 2
        callback(state)

    return report
