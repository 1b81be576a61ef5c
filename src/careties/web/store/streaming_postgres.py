"""Batches of a streamed import written to PostgreSQL (``streaming`` decides the mode).

Every batch travels as CSV written by Polars (in the reading thread, off the
database's way) through ``COPY``: null is an empty field and "" a quoted empty
string, exactly how COPY's CSV format tells them apart. COPY cannot upsert, so:

- ``EMPTY``: the table's unique constraints and other secondary indexes are
  dropped, each batch is copied straight into the table, and they are added
  back once at the end (a sort, not 12 million index insertions). While the
  import runs, the dropped indexes hold an exclusive lock on the table: readers
  of it wait for the load to commit (the table was empty anyway).
- ``DIRECT``: each batch is copied straight into the table inside a savepoint;
  a key already held by another file's row makes the COPY fail, and from then
  on batches go through the staging table and ``INSERT ... ON CONFLICT``.
- ``STAGED``: batches are copied into the staging table and moved in at the end.
"""

from __future__ import annotations

from django.db import connection, transaction

from .streaming_modes import STAGING, Mode, Payload, Writer, prepared_batch
from .streaming_modes import quote as _quote


class PostgresWriter(Writer):
    """Copies prepared batches into the table itself or into the staging table."""

    def __init__(self, kind: str, source: str, table: str, mode: Mode) -> None:
        super().__init__(kind, source, table, mode)
        self._staging = False
        #: DIRECT mode: whether batches still go straight into the table.
        self._straight = mode is Mode.DIRECT
        self.constraints: list[tuple[str, str]] = []
        self.indexes: list[tuple[str, str]] = []
        if mode is Mode.STAGED:
            self._create_staging()
        if mode is Mode.EMPTY:
            self._drop_indexes()

    def _create_staging(self) -> None:
        with connection.cursor() as cursor:
            cursor.execute(f"DROP TABLE IF EXISTS {STAGING}")
            cursor.execute(
                f"CREATE TEMP TABLE {STAGING} ON COMMIT DROP AS "
                f"SELECT {self.quoted} FROM {self.table} WITH NO DATA"
            )
        self._staging = True

    def _drop_indexes(self) -> None:
        self.constraints, self.indexes = secondary_indexes(self.table)
        with connection.cursor() as cursor:
            for name, _ in self.constraints:
                cursor.execute(f"ALTER TABLE {self.table} DROP CONSTRAINT {_quote(name)}")
            for name, _ in self.indexes:
                cursor.execute(f"DROP INDEX {_quote(name)}")

    def prepare(self, batch) -> Payload:
        """The batch as COPY's CSV, in the reading thread (no database here)."""
        prepared = prepared_batch(self.kind, batch, self.source)
        return Payload(prepared.height, prepared.write_csv(include_header=False).encode())

    def _copy(self, table: str, data: bytes) -> None:
        with (
            connection.cursor() as cursor,
            cursor.cursor.copy(
                f"COPY {table} ({self.quoted}) FROM STDIN WITH (FORMAT csv)"
            ) as copy,
        ):
            copy.write(data)

    def write(self, payload: Payload) -> None:
        if self.mode is Mode.EMPTY:
            self._copy(self.table, payload.data)
            return
        if self._straight:
            # psycopg is installed only with the postgres extra; SQLite stores never get here.
            from psycopg import errors

            try:
                with transaction.atomic(savepoint=True):
                    self._copy(self.table, payload.data)
                return
            except errors.UniqueViolation:
                # Another file holds one of these keys: upsert from now on, as before.
                self._straight = False
        if not self._staging:
            self._create_staging()
        self._copy(STAGING, payload.data)
        if self.mode is Mode.DIRECT:
            self._move_in()
            with connection.cursor() as cursor:
                cursor.execute(f"TRUNCATE {STAGING}")

    def _move_in(self) -> None:
        with connection.cursor() as cursor:
            cursor.execute(self.upsert_from(STAGING))

    def finish(self) -> None:
        """Move staged rows in (upserting) or add the dropped constraints and indexes back."""
        if self.mode is Mode.STAGED:
            self._move_in()
        with connection.cursor() as cursor:
            if self._staging:
                cursor.execute(f"DROP TABLE IF EXISTS {STAGING}")
            for name, definition in self.constraints:
                cursor.execute(
                    f"ALTER TABLE {self.table} ADD CONSTRAINT {_quote(name)} {definition}"
                )
            for _, definition in self.indexes:
                cursor.execute(definition)
            if self.mode is Mode.EMPTY:
                # Statistics for the planner: until autovacuum's analyse runs, a table
                # loaded in one transaction looks empty, and the recount that follows
                # would scan it whole instead of reading each council through its index.
                cursor.execute(f"ANALYZE {self.table}")


def secondary_indexes(table: str) -> tuple[list[tuple[str, str]], list[tuple[str, str]]]:
    """The table's unique constraints and its other indexes but the primary key's:
    (name, definition) each, as ``pg_get_constraintdef`` and ``pg_get_indexdef`` give them."""
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT conname, pg_get_constraintdef(oid) FROM pg_constraint"
            " WHERE conrelid = %s::regclass AND contype = 'u' ORDER BY conname",
            [table],
        )
        constraints = list(cursor.fetchall())
        cursor.execute(
            "SELECT c.relname, pg_get_indexdef(i.indexrelid) FROM pg_index i"
            " JOIN pg_class c ON c.oid = i.indexrelid"
            " WHERE i.indrelid = %s::regclass AND NOT i.indisprimary"
            " AND NOT EXISTS (SELECT 1 FROM pg_constraint k WHERE k.conindid = i.indexrelid)"
            " ORDER BY c.relname",
            [table],
        )
        indexes = list(cursor.fetchall())
    return constraints, indexes
