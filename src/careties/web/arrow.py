"""Query results as Arrow columns (ADBC on PostgreSQL), with Django's cursor elsewhere.

Why: building a Polars frame from Python tuples dominates a large read (England's
12.4 million events took 112 s that way). ADBC's PostgreSQL driver hands back
Arrow record batches that Polars adopts without copying row by row.

ADBC opens its own connection, which cannot see what Django's connection has
written but not committed. So the Arrow path is taken only outside a
transaction (a request, a command); inside one the rows come through Django's
cursor, slower but identical.

SQLite always reads through Django's cursor. ADBC's SQLite driver links its own
copy of SQLite (3.53 against Python's 3.40), and two copies of SQLite in one
process break each other's POSIX file locks: closing one copy's file handle
drops the other's locks, which SQLite documents as a way to corrupt a database
(sqlite.org/howtocorrupt.html, section 2.2.1). Under ``careties serve`` with the
upload worker writing, the dashboard read stale rows and once reported "database
disk image is malformed". A faster read is not worth a user's data.
"""

from __future__ import annotations

import os
import threading

import polars as pl
from django.db import connection

_local = threading.local()

def reader_name() -> str:
    """Which path a read would take now: ``"adbc-postgresql"`` or ``"cursor"``."""
    if connection.in_atomic_block:
        return "cursor"
    if connection.vendor == "postgresql" and _has_driver("adbc_driver_postgresql"):
        return "adbc-postgresql"
    return "cursor"


def _has_driver(module: str) -> bool:
    try:
        __import__(f"{module}.dbapi")
    except ImportError:
        return False
    return True


def read_frame(sql: str, params: list, schema: dict[str, pl.DataType]) -> pl.DataFrame:
    """Run ``sql`` (Django's ``%s`` placeholders) and return its rows as a frame.

    ``schema`` names the selected columns and their canonical types, in order;
    the caller converts SQLite's text dates.
    """
    if reader_name() == "adbc-postgresql":
        return _read_postgresql(sql, params, schema)
    return _read_cursor(sql, params, schema)


def _read_cursor(sql: str, params: list, schema: dict[str, pl.DataType]) -> pl.DataFrame:
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        rows = cursor.fetchall()
    return pl.DataFrame(rows, schema=list(schema), orient="row", infer_schema_length=None)


def _adbc_connection(target: str):
    """One ADBC connection per process and thread (gunicorn forks after --preload)."""
    key = (os.getpid(), target)
    cached = getattr(_local, "connections", {})
    if key not in cached:
        # Imported here: only a PostgreSQL store needs the driver.
        import adbc_driver_postgresql.dbapi as driver

        cached[key] = driver.connect(target, autocommit=True)
        _local.connections = cached
    return cached[key]


def close() -> None:
    """Close this thread's ADBC connections (a test dropping its database, a worker exiting)."""
    for adbc in getattr(_local, "connections", {}).values():
        adbc.close()
    _local.connections = {}


def _numbered(sql: str) -> str:
    """Django's ``%s`` placeholders as PostgreSQL's numbered ones (``$1, $2 ...``)."""
    parts = sql.split("%s")
    out = parts[0]
    for number, part in enumerate(parts[1:], start=1):
        out += f"${number}{part}"
    return out


def _read_postgresql(sql: str, params: list, schema: dict[str, pl.DataType]) -> pl.DataFrame:
    # psycopg is installed only with the postgres extra; SQLite stores never get here.
    from psycopg.conninfo import make_conninfo

    settings = connection.settings_dict
    target = make_conninfo(
        dbname=settings["NAME"],
        user=settings.get("USER") or None,
        password=settings.get("PASSWORD") or None,
        host=settings.get("HOST") or None,
        port=str(settings.get("PORT") or "") or None,
    )
    adbc = _adbc_connection(target)
    with adbc.cursor() as cursor:
        cursor.execute(_numbered(sql), list(params))
        table = cursor.fetch_arrow_table()
    frame = pl.from_arrow(table)
    if frame.width == 0:
        return pl.DataFrame(schema=schema)
    return frame
