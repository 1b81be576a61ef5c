"""Query results as Arrow columns (ADBC), with Django's cursor as the fallback.

Why: building a Polars frame from Python tuples dominates a large read (England's
12.4 million events took 112 s that way). ADBC's SQLite and PostgreSQL drivers
hand back Arrow record batches that Polars adopts without copying row by row.

ADBC opens its own connection, which cannot see what Django's connection has
written but not committed. So the Arrow path is taken only outside a
transaction (a request, a command) and on a database another connection can
open (not SQLite in memory, which the test suite uses); anywhere else the rows
come through Django's cursor, slower but identical.

SQLite reports no column types for a query, so the ADBC driver infers them from
the first rows and fails on a column that starts with nulls. Each query is
therefore preceded by one typed row of literals (``UNION ALL``), dropped after.
"""

from __future__ import annotations

import os
import threading

import polars as pl

_local = threading.local()

_TYPING_LITERAL = {pl.Int64: "0", pl.Int32: "0", pl.Float64: "0.0", pl.Boolean: "0"}


def reader_name() -> str:
    """Which path a read would take now: ``"adbc-sqlite"``, ``"adbc-postgresql"`` or ``"cursor"``."""
    from django.db import connection

    if connection.in_atomic_block:
        return "cursor"
    if connection.vendor == "sqlite":
        if connection.is_in_memory_db() or not _has_driver("adbc_driver_sqlite"):
            return "cursor"
        return "adbc-sqlite"
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
    path = reader_name()
    if path == "adbc-sqlite":
        return _read_sqlite(sql, params, schema)
    if path == "adbc-postgresql":
        return _read_postgresql(sql, params, schema)
    return _read_cursor(sql, params, schema)


def _read_cursor(sql: str, params: list, schema: dict[str, pl.DataType]) -> pl.DataFrame:
    from django.db import connection

    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        rows = cursor.fetchall()
    return pl.DataFrame(rows, schema=list(schema), orient="row", infer_schema_length=None)


def _adbc_connection(kind: str, target: str):
    """One ADBC connection per process and thread (gunicorn forks after --preload)."""
    key = (os.getpid(), kind, target)
    cached = getattr(_local, "connections", {})
    if key not in cached:
        if kind == "sqlite":
            import adbc_driver_sqlite.dbapi as driver
        else:
            import adbc_driver_postgresql.dbapi as driver
        cached[key] = driver.connect(target, autocommit=True)
        _local.connections = cached
    return cached[key]


def close() -> None:
    """Close this thread's ADBC connections (a test dropping its database, a worker exiting)."""
    for adbc in getattr(_local, "connections", {}).values():
        adbc.close()
    _local.connections = {}


def _numbered(sql: str, style: str) -> str:
    """Django's ``%s`` placeholders as the driver's (``?`` or ``$1, $2 ...``)."""
    parts = sql.split("%s")
    if style == "?":
        return "?".join(parts)
    out = parts[0]
    for number, part in enumerate(parts[1:], start=1):
        out += f"${number}{part}"
    return out


def _read_sqlite(sql: str, params: list, schema: dict[str, pl.DataType]) -> pl.DataFrame:
    from django.db import connection

    typing = ", ".join(
        f"{_TYPING_LITERAL.get(dtype, chr(39) * 2)} AS {connection.ops.quote_name(name)}"
        for name, dtype in schema.items()
    )
    query = _numbered(f"SELECT {typing} UNION ALL {sql}", "?")
    adbc = _adbc_connection("sqlite", _sqlite_target())
    with adbc.cursor() as cursor:
        cursor.execute(query, list(params))
        table = cursor.fetch_arrow_table()
    frame = pl.from_arrow(table).slice(1)
    return frame.rename(dict(zip(frame.columns, schema, strict=True)))


def _sqlite_target() -> str:
    """The database file Django's connection uses."""
    from django.db import connection

    return str(connection.settings_dict["NAME"])


def _read_postgresql(sql: str, params: list, schema: dict[str, pl.DataType]) -> pl.DataFrame:
    from django.db import connection
    from psycopg.conninfo import make_conninfo

    settings = connection.settings_dict
    target = make_conninfo(
        dbname=settings["NAME"],
        user=settings.get("USER") or None,
        password=settings.get("PASSWORD") or None,
        host=settings.get("HOST") or None,
        port=str(settings.get("PORT") or "") or None,
    )
    adbc = _adbc_connection("postgresql", target)
    with adbc.cursor() as cursor:
        cursor.execute(_numbered(sql, "$"), list(params))
        table = cursor.fetch_arrow_table()
    frame = pl.from_arrow(table)
    if frame.width == 0:
        return pl.DataFrame(schema=schema)
    return frame
