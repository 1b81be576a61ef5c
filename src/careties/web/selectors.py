"""Reads from the store as Polars frames: the one door the domain code uses.

Each call is one query per kind, never the ORM row by row, and returns the
canonical shape from ``careties.data.frames`` so the domain functions see the
same frames whether the data came from the database, a file or a notebook.
"""

from __future__ import annotations

from collections.abc import Iterable

import polars as pl

from careties.data.frames import CANONICAL


def _ensure_django() -> None:
    from careties.web import setup_django

    setup_django()


def load_frame(
    kind: str, la_code: str | None = None, *, include_source: bool = False
) -> pl.DataFrame:
    """All rows of ``kind`` (for one council when ``la_code`` is given and the kind has one).

    ``include_source`` adds the file each row came from, for backups.
    """
    _ensure_django()
    from django.db import connection

    from careties.web.store.models import MODEL_FOR_KIND

    schema = CANONICAL[kind]
    model = MODEL_FOR_KIND[kind]
    columns = list(schema) + (["source"] if include_source else [])
    quoted = ", ".join(connection.ops.quote_name(c) for c in columns)
    sql = f"SELECT {quoted} FROM {connection.ops.quote_name(model._meta.db_table)}"
    where, params = scope_clause(kind, la_code)
    sql += where
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        rows = cursor.fetchall()
    frame = pl.DataFrame(rows, schema=columns, orient="row", infer_schema_length=None)
    canonical = {**schema, "source": pl.String} if include_source else schema
    return frame.with_columns([_as_canonical(frame, c, t) for c, t in canonical.items()])


def _as_canonical(frame: pl.DataFrame, column: str, dtype: pl.DataType) -> pl.Expr:
    """SQLite hands dates back as text and PostgreSQL as dates: converge on one type."""
    if dtype == pl.Date and frame.schema[column] == pl.String:
        return pl.col(column).str.slice(0, 10).str.to_date("%Y-%m-%d")
    return pl.col(column).cast(dtype)


def scope_clause(kind: str, la_code: str | None) -> tuple[str, list]:
    """The WHERE clause that limits ``kind`` to one council, and its parameters."""
    if la_code is None:
        return "", []
    schema = CANONICAL[kind]
    if "la_code" in schema:
        return " WHERE la_code = %s", [la_code]
    if "practice_code" in schema:
        return (
            " WHERE practice_code IN (SELECT practice_code FROM careties_practices WHERE la_code = %s)",
            [la_code],
        )
    if kind == "contacts":
        return (
            " WHERE from_professional IN (SELECT professional_id FROM careties_professionals WHERE la_code = %s)"
            " OR to_professional IN (SELECT professional_id FROM careties_professionals WHERE la_code = %s)",
            [la_code, la_code],
        )
    return "", []


def load_frames(kinds: Iterable[str], la_code: str | None = None) -> dict[str, pl.DataFrame]:
    """Several kinds at once, keyed by kind."""
    return {kind: load_frame(kind, la_code) for kind in kinds}


def councils() -> pl.DataFrame:
    """The councils loaded, by name."""
    return load_frame("local_authorities").sort("name")
