"""Store a file read in batches (``careties.data.stream``), all or nothing.

Each valid batch is written as soon as it is checked, inside the import's one
transaction; a bad row in the last batch rolls every earlier batch back. Which
earlier rows the file replaces (its councils, and for events its period) is only
known at the end. How batches are written depends on what the table holds
(``streaming_modes.Mode``): into an empty table with its indexes built once at
the end, straight into the table when no earlier version of the file exists,
or through a staging table moved in once the earlier version is removed.

Reading and writing overlap: the next batch is read, checked and made ready to
send (column lists for SQLite, CSV for PostgreSQL) in a thread while the
current one is written (Polars and the database drivers release the GIL for
most of their work; the machine has two cores).

Either way an import of council A never deletes council B's rows: the
replacement is scoped by ``scope.replacement_q`` exactly as for a file read whole.
"""

from __future__ import annotations

import queue
import threading
from collections.abc import Callable, Iterable, Iterator

from django.db import connection, transaction

from careties import progress
from careties.data.stream import FileStream, Progress
from careties.web.scale.imports import after_write

from .models import MODEL_FOR_KIND
from .scope import ScopeError, councils_of, describe, replacement_q
from .services import ImportResult, record_import
from .streaming_modes import Mode, Payload
from .streaming_postgres import PostgresWriter
from .streaming_sqlite import SqliteWriter, restore, tuned


def _writer(kind: str, source: str, mode: Mode):
    table = connection.ops.quote_name(MODEL_FOR_KIND[kind]._meta.db_table)
    if connection.vendor == "postgresql":
        return PostgresWriter(kind, source, table, mode)
    return SqliteWriter(kind, source, table, mode)


_DONE = object()


class _Failed:
    def __init__(self, error: BaseException) -> None:
        self.error = error


def ahead(items: Iterable, prepare: Callable) -> Iterator:
    """``prepare(item)`` for each item, computed one item ahead in a thread.

    The thread makes the next item while the caller uses the current one, and
    waits until the caller takes it before making another: two batches alive at
    most, as memory must stay bounded (a queued third would add its memory,
    and its rows as Python objects on SQLite). An error in the thread is raised here; if the caller stops early,
    the thread stops after its current item.
    """
    waiting: queue.Queue = queue.Queue()
    taken, stop = threading.Event(), threading.Event()

    def put(item) -> bool:
        waiting.put(item)  # the queue is empty: the previous item was taken
        while not stop.is_set():
            if taken.wait(timeout=0.1):
                taken.clear()
                return True
        return False

    def run() -> None:
        source = iter(items)
        try:
            for item in source:
                if not put(prepare(item)):
                    return
            put(_DONE)
        except BaseException as error:  # noqa: BLE001 - handed to the caller's thread
            put(_Failed(error))
        finally:
            close = getattr(source, "close", None)
            if close is not None:
                close()

    thread = threading.Thread(target=run, name="careties-read-ahead", daemon=True)
    thread.start()
    try:
        while True:
            item = waiting.get()
            taken.set()
            if item is _DONE:
                return
            if isinstance(item, _Failed):
                raise item.error
            yield item
    finally:
        stop.set()
        thread.join()


def _mode(model, source: str) -> Mode:
    if not model.objects.exists():
        return Mode.EMPTY
    return Mode.DIRECT if not model.objects.filter(source=source).exists() else Mode.STAGED


def _tuned():
    """SQLite's PRAGMAs for the import (``streaming_sqlite.tuned``); None elsewhere."""
    if connection.vendor != "sqlite":
        return None
    with connection.cursor() as cursor:
        return tuned(cursor)


def _restore(earlier) -> None:
    if earlier is None:
        return
    with connection.cursor() as cursor:
        restore(cursor, earlier)


def import_stream(
    stream: FileStream,
    source: str,
    *,
    user=None,
    la_code: str | None = None,
    confirm: Callable | None = None,
    on_progress: Callable[[Progress], None] | None = None,
    record: bool = True,
) -> ImportResult:
    """Check and store ``stream`` batch by batch in one transaction; as ``import_frame``.

    Raises ``ValidationError`` (any row invalid, wherever it is in the file) or
    ``ScopeError`` (rows of another council than ``la_code``), having written
    nothing. ``confirm`` is called with what will be replaced before anything is.
    ``on_progress`` receives rows read, checked and written after each batch.
    """
    kind = stream.kind
    model = MODEL_FOR_KIND[kind]
    state = stream.progress
    earlier = _tuned()
    try:
        with transaction.atomic():
            mode = _mode(model, source)
            writer = _writer(kind, source, mode)
            with progress.stage(f"{kind}: read, check and write {source}") as shown:
                for payload in ahead(stream.batches(), writer.prepare):
                    _write(writer, payload, state, shown, on_progress)
                    del payload  # not held while the next batch is awaited
            summary = stream.finish()
            if summary.foreign:
                raise ScopeError(summary.foreign)
            frame = summary.frame()
            councils = councils_of(kind, frame, la_code)
            staged = mode is Mode.STAGED
            replacements = tuple(describe(kind, frame, source, councils)) if staged else ()
            if confirm is not None:
                confirm(list(replacements))
            replaced = 0
            if staged:
                _report(state, "replace the earlier version", on_progress)
                with progress.stage(f"{kind}: remove the earlier version"):
                    replaced, _ = model.objects.filter(
                        replacement_q(kind, frame, source, councils)
                    ).delete()
            with progress.stage(_finishing(kind, mode, summary.rows)):
                writer.finish()
            _report(state, "recount the councils touched", on_progress)
            with progress.stage(f"{kind}: recount and re-version the councils touched"):
                after_write(kind, frame, la_code)
            result = ImportResult(kind, source, summary.rows, replaced, replacements)
            if record:
                record_import(
                    result=result, user=user, la_code=la_code, councils=councils, streamed=True
                )
    finally:
        _restore(earlier)
    return result


def _write(writer, payload: Payload, state: Progress, shown, on_progress) -> None:
    writer.write(payload)
    state.written += payload.rows
    shown.show_rows(state.written, share=state.share)
    if on_progress is not None:
        on_progress(state)


def _report(state: Progress, stage: str, on_progress) -> None:
    state.stage = stage
    if on_progress is not None:
        on_progress(state)


def _finishing(kind: str, mode: Mode, rows: int) -> str:
    if mode is Mode.STAGED:
        return f"{kind}: move {rows:,} staged rows in"
    if mode is Mode.EMPTY:
        return f"{kind}: build the indexes of {rows:,} rows"
    return f"{kind}: finish writing"


def preview_stream(
    stream: FileStream, source: str, *, la_code: str | None = None
) -> tuple[int, list]:
    """Check every batch without writing; returns (rows, what loading would replace).

    Raises ``ValidationError`` or ``ScopeError`` as ``import_stream`` would.
    """
    for _batch in stream.batches():
        pass
    summary = stream.finish()
    if summary.foreign:
        raise ScopeError(summary.foreign)
    frame = summary.frame()
    return summary.rows, describe(
        stream.kind, frame, source, councils_of(stream.kind, frame, la_code)
    )
