"""Store a file read in batches (``careties.data.stream``), all or nothing.

Each valid batch is written as soon as it is checked, inside the import's one
transaction; a bad row in the last batch rolls every earlier batch back. Which
earlier rows the file replaces (its councils, and for events its period) is only
known at the end, so:

- when the store holds no rows from a file of this name (a first load), there
  is nothing to replace and each batch goes into the table as it comes (SQLite:
  ``executemany``, the fastest path Python's sqlite3 offers; PostgreSQL: ``COPY``
  into a temporary table, then ``INSERT ... SELECT ... ON CONFLICT``, since COPY
  cannot upsert);
- otherwise batches collect in a temporary staging table, and at the end the
  earlier version is removed and the staged rows are moved in with one
  ``INSERT ... SELECT ... ON CONFLICT``.

Either way an import of council A never deletes council B's rows: the
replacement is scoped by ``scope.replacement_q`` exactly as for a file read whole.
"""

from __future__ import annotations

from collections.abc import Callable

import polars as pl
from django.db import connection, transaction

from careties import progress
from careties.data.frames import NATURAL_KEYS
from careties.data.stream import FileStream, Progress
from careties.web.scale.imports import after_write

from .models import MODEL_FOR_KIND, ImportBatch
from .scope import ScopeError, councils_of, describe, replacement_q
from .services import ImportResult, _insert_sql, _prepared, record_audit

STAGING = "careties_staging"


def _quote(name: str) -> str:
    return connection.ops.quote_name(name)


class _Writer:
    """Writes batches into the table itself or into the staging table."""

    def __init__(self, kind: str, source: str, *, staged: bool) -> None:
        self.kind, self.source, self.staged = kind, source, staged
        self.sql, self.columns = _insert_sql(kind)
        self.table = _quote(MODEL_FOR_KIND[kind]._meta.db_table)
        self.quoted = ", ".join(_quote(c) for c in self.columns)
        if staged or connection.vendor == "postgresql":
            self._create_staging()

    def _create_staging(self) -> None:
        with connection.cursor() as cursor:
            cursor.execute(f"DROP TABLE IF EXISTS {STAGING}")
            if connection.vendor == "postgresql":
                cursor.execute(
                    f"CREATE TEMP TABLE {STAGING} ON COMMIT DROP AS "
                    f"SELECT {self.quoted} FROM {self.table} WITH NO DATA"
                )
            else:
                cursor.execute(
                    f"CREATE TEMP TABLE {STAGING} AS SELECT {self.quoted} FROM {self.table} WHERE 0"
                )

    def _sqlite_insert(self, present: list[str]) -> str:
        """Only the columns with a value in this batch (a careties-layout events file has
        no CLD person fields: 6 of 19 columns fewer to bind a row); an upsert still sets
        every column, the missing ones to NULL, their default."""
        table = STAGING if self.staged else self.table
        quoted = ", ".join(_quote(c) for c in present)
        marks = ", ".join(["%s"] * len(present))
        sql = f"INSERT INTO {table} ({quoted}) VALUES ({marks})"
        if not self.staged:
            sql += " ON CONFLICT " + self.sql.split(" ON CONFLICT ")[1]
        return sql

    def write(self, batch: pl.DataFrame) -> None:
        prepared = _prepared(self.kind, batch.sort(list(NATURAL_KEYS[self.kind])), self.source)
        if connection.vendor != "postgresql":
            keys = set(NATURAL_KEYS[self.kind])
            present = [
                c
                for c in prepared.columns
                if c in keys or prepared[c].null_count() < prepared.height
            ]
            with connection.cursor() as cursor:
                cursor.executemany(self._sqlite_insert(present), prepared.select(present).rows())
            return
        # Polars writes null as an empty field and "" as a quoted empty string: how
        # COPY's CSV format tells them apart.
        with (
            connection.cursor() as cursor,
            cursor.cursor.copy(
                f"COPY {STAGING} ({self.quoted}) FROM STDIN WITH (FORMAT csv)"
            ) as copy,
        ):
            copy.write(prepared.write_csv(include_header=False))
        if not self.staged:
            # A first load: each batch goes in at once (COPY cannot upsert), so the
            # table is written once, not held back for one 12-million-row statement.
            self._move_in()
            with connection.cursor() as cursor:
                cursor.execute(f"TRUNCATE {STAGING}")

    def _move_in(self) -> None:
        insert, conflict = self.sql.split(" VALUES ")[0], self.sql.split(" ON CONFLICT ")[1]
        # SQLite needs a WHERE before ON CONFLICT in INSERT ... SELECT (its parser).
        with connection.cursor() as cursor:
            cursor.execute(
                f"{insert} SELECT {self.quoted} FROM {STAGING} WHERE true ON CONFLICT {conflict}"
            )

    def merge(self) -> None:
        """Move the staged rows in, with the same conflict rule as a direct write."""
        self._move_in()
        with connection.cursor() as cursor:
            cursor.execute(f"DROP TABLE IF EXISTS {STAGING}")


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
    if connection.vendor == "sqlite":
        with connection.cursor() as cursor:
            # Enough for the key index's insertion points; more only adds to memory.
            cursor.execute("PRAGMA cache_size = -65536")  # 64 MiB
    state = stream.progress
    with transaction.atomic():
        first_load = not model.objects.filter(source=source).exists()
        writer = _Writer(kind, source, staged=not first_load)
        with progress.stage(f"{kind}: read, check and write {source}") as shown:
            for batch in stream.batches():
                writer.write(batch)
                state.written += batch.height
                shown.show_rows(state.written, share=state.share)
                if on_progress is not None:
                    on_progress(state)
        summary = stream.finish()
        if summary.foreign:
            raise ScopeError(summary.foreign)
        frame = summary.frame()
        councils = councils_of(kind, frame, la_code)
        replacements = tuple(describe(kind, frame, source, councils)) if not first_load else ()
        if confirm is not None:
            confirm(list(replacements))
        replaced = 0
        if writer.staged:
            state.stage = "replace the earlier version"
            if on_progress is not None:
                on_progress(state)
            with progress.stage(f"{kind}: remove the earlier version"):
                replaced, _ = model.objects.filter(
                    replacement_q(kind, frame, source, councils)
                ).delete()
            with progress.stage(f"{kind}: move {summary.rows:,} staged rows in"):
                writer.merge()
        state.stage = "recount the councils touched"
        if on_progress is not None:
            on_progress(state)
        with progress.stage(f"{kind}: recount and re-version the councils touched"):
            after_write(kind, frame, la_code)
        if record:
            ImportBatch.objects.create(
                kind=kind, source=source, rows=summary.rows, replaced=replaced, user=user
            )
            record_audit(
                "import",
                f"{kind} from {source}",
                user=user,
                la_code=la_code or (next(iter(councils)) if len(councils) == 1 else ""),
                detail=f"{summary.rows} rows, streamed"
                + "".join(f"; replaced {r}" for r in replacements),
            )
    return ImportResult(
        kind=kind,
        source=source,
        rows=summary.rows,
        replaced=replaced,
        replacements=replacements,
    )


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
