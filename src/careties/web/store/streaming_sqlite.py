"""Batches of a streamed import written to SQLite (``streaming`` decides the mode).

Python's ``sqlite3`` binds every value of every row from Python objects; that
is the floor of this path (about 3 s of CPU a million events here), so the
rest is kept off it: columns are turned into Python lists in the reading
thread (``prepare``), fed to ``executemany`` through ``zip`` (no list of row
tuples to build and collect), and only the columns a batch has values in are
bound (the file's name, the same on every row, is a literal). Measured and dropped: one ``INSERT ... SELECT ... FROM json_each(?)``
per batch (twice the CPU of ``executemany`` on SQLite 3.40), and a multi-row
``VALUES`` text (slower still to parse).

Modes (``streaming.Mode``): ``EMPTY`` drops the table's secondary indexes
(the natural key's unique index) and builds them once at the end, with plain
``INSERT``s; ``DIRECT`` upserts each batch as it comes; ``STAGED`` collects
batches in a temporary table moved in by ``finish``.
"""

from __future__ import annotations

from django.db import connection

from careties.data.frames import NATURAL_KEYS

from .streaming_modes import STAGING, Mode, Payload, Writer, prepared_batch
from .streaming_modes import quote as _quote


class SqliteWriter(Writer):
    """Writes prepared batches to the table itself or to the staging table."""

    def __init__(self, kind: str, source: str, table: str, mode: Mode) -> None:
        super().__init__(kind, source, table, mode)
        self.keys = set(NATURAL_KEYS[kind])
        self._statements: dict[tuple[str, ...], str] = {}
        self.indexes: list[tuple[str, str]] = []
        with connection.cursor() as cursor:
            # The file's name is the same on every row: written as a literal, quoted by
            # SQLite itself, instead of bound 12 million times (one column in 13).
            cursor.execute("SELECT quote(%s)", [source])
            # Doubled percent signs: Django's cursor reads %s anywhere in the text as a mark.
            self.source_literal = cursor.fetchone()[0].replace("%", "%%")
            if mode is Mode.STAGED:
                cursor.execute(f"DROP TABLE IF EXISTS {STAGING}")
                cursor.execute(
                    f"CREATE TEMP TABLE {STAGING} AS SELECT {self.quoted} FROM {self.table} WHERE 0"
                )
            if mode is Mode.EMPTY:
                self.indexes = secondary_indexes(cursor, table)
                for name, _ in self.indexes:
                    cursor.execute(f"DROP INDEX {_quote(name)}")

    def prepare(self, batch) -> Payload:
        """The batch as Python column lists, in the reading thread (no database here)."""
        prepared = prepared_batch(self.kind, batch, self.source)
        present = tuple(
            c
            for c in prepared.columns
            if c != "source" and (c in self.keys or prepared[c].null_count() < prepared.height)
        )
        return Payload(prepared.height, (present, [prepared[c].to_list() for c in present]))

    def _insert(self, present: tuple[str, ...]) -> str:
        """Only the columns with a value in this batch (a careties-layout events file has
        no CLD person fields: 6 of 19 columns fewer to bind a row); an upsert still sets
        every column, the missing ones to NULL, their default."""
        if present not in self._statements:
            table = STAGING if self.mode is Mode.STAGED else self.table
            quoted = ", ".join(_quote(c) for c in (*present, "source"))
            marks = ", ".join(["%s"] * len(present) + [self.source_literal])
            sql = f"INSERT INTO {table} ({quoted}) VALUES ({marks})"
            if self.mode is Mode.DIRECT:
                sql += " ON CONFLICT " + self.sql.split(" ON CONFLICT ")[1]
            self._statements[present] = sql
        return self._statements[present]

    def write(self, payload: Payload) -> None:
        present, columns = payload.data
        with connection.cursor() as cursor:
            cursor.executemany(self._insert(present), zip(*columns, strict=True))

    def finish(self) -> None:
        """Move staged rows in (upserting) or build the dropped indexes, once."""
        with connection.cursor() as cursor:
            if self.mode is Mode.STAGED:
                cursor.execute(self.upsert_from(STAGING))
                cursor.execute(f"DROP TABLE IF EXISTS {STAGING}")
            for _, sql in self.indexes:
                cursor.execute(sql)


def secondary_indexes(cursor, table: str) -> list[tuple[str, str]]:
    """(name, CREATE statement) of the table's indexes other than its primary key's."""
    cursor.execute(
        "SELECT name, sql FROM sqlite_master WHERE type = 'index' AND tbl_name = %s"
        " AND sql IS NOT NULL ORDER BY name",
        [table.strip('"')],
    )
    return [(name, sql) for name, sql in cursor.fetchall()]


def tuned(cursor) -> dict[str, object]:
    """Set the import's PRAGMAs; returns the earlier values for ``restore``.

    A 64 MiB page cache holds the key index's insertion points (more only adds
    to memory); one helper thread sorts while a dropped index is built again.
    (``temp_store`` would keep temporary tables in memory, but SQLite refuses
    to change it inside a transaction, which an import may be called in.)
    """
    wanted = {"cache_size": -65536, "threads": 1}
    earlier = {}
    for name, value in wanted.items():
        cursor.execute(f"PRAGMA {name}")
        earlier[name] = cursor.fetchone()[0]
        cursor.execute(f"PRAGMA {name} = {int(value)}")
    return earlier


def restore(cursor, earlier: dict[str, object]) -> None:
    """Put back the PRAGMAs ``tuned`` changed."""
    for name, value in earlier.items():
        cursor.execute(f"PRAGMA {name} = {int(value)}")
