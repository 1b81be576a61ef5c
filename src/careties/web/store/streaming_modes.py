"""What the SQLite and PostgreSQL writers of a streamed import share.

``Mode`` is chosen once, before the first batch, from what the table holds:

- ``EMPTY``: the table has no rows at all (a first load into a fresh store).
  Nothing can conflict: the stream refuses a key repeated anywhere in the file
  (``careties.data.stream``), so secondary indexes are dropped, rows go in
  without an upsert, and the indexes are built once at the end. Should a
  repeated key ever slip through, building the unique index fails and the
  whole import rolls back: nothing is half written.
- ``DIRECT``: the store holds no rows from a file of this name, so there is
  nothing to replace; each batch is upserted as it comes.
- ``STAGED``: an earlier version exists; batches collect in a temporary table,
  and once the earlier version is removed they are moved in with one upsert.
"""

from __future__ import annotations

import enum
from dataclasses import dataclass

import polars as pl
from django.db import connection

from careties.data.frames import NATURAL_KEYS

from .services import _insert_sql, _prepared

STAGING = "careties_staging"


class Mode(enum.Enum):
    EMPTY = "empty"
    DIRECT = "direct"
    STAGED = "staged"


@dataclass
class Payload:
    """A batch ready to write: its rows, and what the writer sends (lists or CSV bytes)."""

    rows: int
    data: object


def prepared_batch(kind: str, batch: pl.DataFrame, source: str) -> pl.DataFrame:
    """Rows in key order (the unique index fills page by page), dates as text, the source."""
    return _prepared(kind, batch.sort(list(NATURAL_KEYS[kind])), source)


def quote(name: str) -> str:
    return connection.ops.quote_name(name)


class Writer:
    """What both writers know: the kind, the file, the table, the mode and the upsert."""

    def __init__(self, kind: str, source: str, table: str, mode: Mode) -> None:
        self.kind, self.source, self.table, self.mode = kind, source, table, mode
        self.sql, self.columns = _insert_sql(kind)
        self.quoted = ", ".join(quote(c) for c in self.columns)

    def upsert_from(self, staging: str) -> str:
        """``INSERT ... SELECT`` of the staged rows with the same conflict rule as a row's."""
        insert, conflict = self.sql.split(" VALUES ")[0], self.sql.split(" ON CONFLICT ")[1]
        # SQLite needs a WHERE before ON CONFLICT in INSERT ... SELECT (its parser).
        return f"{insert} SELECT {self.quoted} FROM {staging} WHERE true ON CONFLICT {conflict}"
