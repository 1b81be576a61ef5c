"""Writes to the store: all-or-nothing imports keyed on natural keys.

An import is one transaction. The file's earlier version (rows with the same
``source`` of the same councils, and for events of the same period: see
``scope``) is removed and the new rows are upserted on their natural key, so
importing the same file twice changes nothing, and a corrected file replaces
the version it corrects, including rows it dropped. Rows go in with one
``executemany`` rather than the ORM row by row: a million events must load in
seconds, not minutes.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

import polars as pl
from django.contrib.auth.models import AnonymousUser, User
from django.db import connection, transaction

from careties import progress
from careties.data import KnownCodes, read
from careties.data import pseudonymisation_key as configured_key
from careties.data.codes import LA_CODE_PATTERN
from careties.data.errors import ErrorLog
from careties.data.frames import CANONICAL, NATURAL_KEYS, OPTIONAL_COLUMNS
from careties.data.stream_open import open_stream
from careties.web.keys import check_pseudonymisation_key
from careties.web.scale.imports import after_write

from .models import (
    MODEL_FOR_KIND,
    AuditEntry,
    ImportBatch,
    LocalAuthority,
    Practice,
    Professional,
)
from .scope import (
    Replacement,
    ScopeError,
    clashes,
    councils_of,
    describe,
    foreign_rows,
    replacement_q,
)

#: Order that satisfies the importer's reference checks (councils before practices ...).
IMPORT_ORDER = (
    "local_authorities",
    "population",
    "practices",
    "registered_patients",
    "professionals",
    "services",
    "events",
    "contacts",
    "survey_responses",
    "emergency_admissions",
    "discharges",
    "practice_deprivation",
)

BATCH_ROWS = 50_000
#: Kinds whose files carry person identifiers, hashed with the pseudonymisation key.
PERSON_KINDS = ("events",)


@dataclass(frozen=True)
class ImportResult:
    kind: str
    source: str
    rows: int
    replaced: int
    #: What the import replaced, one line per council ("41,351 events of E06000099 ...").
    replacements: tuple[Replacement, ...] = ()


def _insert_sql(kind: str) -> tuple[str, list[str]]:
    model = MODEL_FOR_KIND[kind]
    table = connection.ops.quote_name(model._meta.db_table)
    columns = [*CANONICAL[kind], "source"]
    keys = NATURAL_KEYS[kind]
    quoted = ", ".join(connection.ops.quote_name(c) for c in columns)
    placeholders = ", ".join(["%s"] * len(columns))
    updates = ", ".join(
        f"{connection.ops.quote_name(c)} = excluded.{connection.ops.quote_name(c)}"
        for c in columns
        if c not in keys
    )
    conflict = ", ".join(connection.ops.quote_name(k) for k in keys)
    sql = (
        f"INSERT INTO {table} ({quoted}) VALUES ({placeholders}) "
        f"ON CONFLICT ({conflict}) DO UPDATE SET {updates}"
    )
    return sql, columns


def _prepared(kind: str, frame: pl.DataFrame, source: str) -> pl.DataFrame:
    """Columns in table order, dates as ISO text (both backends accept it), and the source."""
    columns = list(CANONICAL[kind])
    return frame.select(
        [
            pl.col(c).dt.strftime("%Y-%m-%d") if CANONICAL[kind][c] == pl.Date else pl.col(c)
            for c in columns
        ]
    ).with_columns(pl.lit(source).alias("source"))


def _write_rows(kind: str, prepared: pl.DataFrame, cursor, shown=None) -> None:
    """Upsert the rows: COPY through a staging table on PostgreSQL, executemany on SQLite.

    Row-by-row statements cost a round trip each on PostgreSQL (16,000 rows/s
    measured); COPY streams the whole frame as CSV written by Polars, and one
    INSERT ... SELECT applies it with the same ON CONFLICT rule as SQLite.
    """
    sql, columns = _insert_sql(kind)
    if connection.vendor != "postgresql":
        for start in range(0, prepared.height, BATCH_ROWS):
            batch = prepared.slice(start, BATCH_ROWS)
            cursor.executemany(sql, batch.rows())
            if shown is not None:
                shown.advance(batch.height)
        return
    table = connection.ops.quote_name(MODEL_FOR_KIND[kind]._meta.db_table)
    quoted = ", ".join(connection.ops.quote_name(c) for c in columns)
    cursor.execute("DROP TABLE IF EXISTS careties_staging")
    cursor.execute(
        f"CREATE TEMP TABLE careties_staging ON COMMIT DROP AS SELECT {quoted} FROM {table} WITH NO DATA"
    )
    raw = cursor.cursor
    with raw.copy(
        # Polars writes null as an empty field and an empty string as "": exactly
        # how COPY's CSV format tells them apart.
        f"COPY careties_staging ({quoted}) FROM STDIN WITH (FORMAT csv)"
    ) as copy:
        for start in range(0, prepared.height, BATCH_ROWS):
            chunk = prepared.slice(start, BATCH_ROWS)
            copy.write(chunk.write_csv(include_header=False))
            if shown is not None:
                shown.advance(chunk.height)
    insert = sql.split(" VALUES ")[0]
    conflict = sql.split(" ON CONFLICT ")[1]
    cursor.execute(f"{insert} SELECT {quoted} FROM careties_staging ON CONFLICT {conflict}")


def _tune_for_bulk_load() -> None:
    """A larger page cache for this connection: index updates stay in memory (SQLite only)."""
    if connection.vendor == "sqlite":
        with connection.cursor() as cursor:
            cursor.execute("PRAGMA cache_size = -262144")  # 256 MiB


def _checked(kind: str, frame: pl.DataFrame) -> pl.DataFrame:
    if kind not in MODEL_FOR_KIND:
        raise ValueError(f"unknown kind of data: {kind}")
    optional = [c for c in OPTIONAL_COLUMNS.get(kind, ()) if c not in frame.columns]
    frame = frame.with_columns(pl.lit(None, CANONICAL[kind][c]).alias(c) for c in optional)
    missing = [c for c in CANONICAL[kind] if c not in frame.columns]
    if missing:
        raise ValueError(f"{kind} frame lacks canonical columns: {', '.join(missing)}")
    # One row per key (the last, as a spreadsheet user expects), in key order: the
    # unique index's B-tree fills page by page instead of at random.
    keys = list(NATURAL_KEYS[kind])
    return frame.unique(subset=keys, keep="last", maintain_order=True).sort(keys, nulls_last=True)


def preview_import(
    *, kind: str, frame: pl.DataFrame, source: str, la_code: str | None = None
) -> list[Replacement]:
    """What importing ``frame`` as ``source`` would replace; raises ``ScopeError`` if refused."""
    frame = _checked(kind, frame)
    _refuse_foreign(kind, frame, la_code)
    return describe(kind, frame, source, councils_of(kind, frame, la_code))


def _refuse_foreign(kind: str, frame: pl.DataFrame, la_code: str | None) -> None:
    problems = foreign_rows(kind, frame, la_code) if la_code else []
    problems += clashes(kind, frame)
    if problems:
        raise ScopeError(problems)


def import_frame(
    *,
    kind: str,
    frame: pl.DataFrame,
    source: str,
    user: User | None = None,
    la_code: str | None = None,
    every_council: bool = False,
    record: bool = True,
) -> ImportResult:
    """Store a validated canonical frame for ``kind`` as the current version of ``source``.

    Only rows of the councils the frame is about (plus ``la_code``, the council it
    was uploaded for, whose every row must then be its own) are replaced; a key
    held by another council is refused with ``ScopeError``. ``every_council``
    replaces ``source`` whatever the council: for internal mirrors only.
    ``record=False`` (restores) writes no import record: the backup brings its own
    (``restore`` audits the restore as a whole).
    """
    frame = _checked(kind, frame)
    model = MODEL_FOR_KIND[kind]
    _tune_for_bulk_load()
    with transaction.atomic():
        _refuse_foreign(kind, frame, la_code)
        councils = None if every_council else councils_of(kind, frame, la_code)
        replacements = tuple(describe(kind, frame, source, councils))
        with progress.stage(f"{kind}: remove the earlier version"):
            query = model.objects.filter(replacement_q(kind, frame, source, councils))
            replaced, _ = query.delete()
        with (
            progress.stage(f"{kind}: write", total=frame.height) as shown,
            connection.cursor() as cursor,
        ):
            _write_rows(kind, _prepared(kind, frame, source), cursor, shown)
        # Counts and cache versions of the councils touched, in this transaction.
        with progress.stage(f"{kind}: recount and re-version the councils touched"):
            after_write(kind, frame, la_code, every=councils is None)
        result = ImportResult(kind, source, frame.height, replaced, replacements)
        if record:
            record_import(result=result, user=user, la_code=la_code, councils=councils)
    return result


def record_import(
    *,
    result: ImportResult,
    user: User | None = None,
    la_code: str | None = None,
    councils: set[str] | None = None,
    streamed: bool = False,
) -> None:
    """The import's record and audit entry, in its transaction (a file read whole or streamed).

    Both rows are written together or not at all: an import batch without its
    audit entry would be a write nobody can account for.
    """
    with transaction.atomic():
        ImportBatch.objects.create(
            kind=result.kind,
            source=result.source,
            rows=result.rows,
            replaced=result.replaced,
            user=user,
        )
        record_audit(
            action="import",
            what=f"{result.kind} from {result.source}",
            user=user,
            la_code=la_code or (next(iter(councils)) if councils and len(councils) == 1 else ""),
            detail=f"{result.rows} rows"
            + (", streamed" if streamed else "")
            + "".join(f"; replaced {r}" for r in result.replacements),
        )


def known_codes() -> KnownCodes:
    """What the store already holds, for the importer's reference checks."""
    return KnownCodes(
        la_codes=set(LocalAuthority.objects.values_list("la_code", flat=True)),
        practice_codes=set(Practice.objects.values_list("practice_code", flat=True)),
        professional_ids=set(Professional.objects.values_list("professional_id", flat=True)),
    )


def import_file(
    *,
    kind: str,
    path: str | Path,
    user: User | None = None,
    pseudonymisation_key: bytes | None = None,
    default_la_code: str | None = None,
    la_code: str | None = None,
    confirm: Callable[[list[Replacement]], object] | None = None,
    test_data: bool = False,
    notes: list[str] | None = None,
    la_code_by_practice: dict[str, str] | None = None,
    on_progress: Callable[..., object] | None = None,
) -> ImportResult:
    """Validate ``path`` against its contract and store it; raises ``ValidationError``.

    ``notes``, if given, receives the reader's notes (columns not used, rows
    left out and why: ``careties.data.read``).

    Nothing is written unless every row is valid. ``la_code`` limits the file to
    one council (web uploads); ``confirm`` is called with what will be replaced
    before anything is, and may raise to stop the import. Without a configured
    pseudonymisation key, files holding person identifiers are refused unless
    ``test_data`` (or ``CARETIES_TEST_DATA``) says they are synthetic.

    A CSV file in a layout checked row by row (careties' events layout) is read,
    checked and written in batches (``careties.data.stream``, ``streaming``), so
    memory does not grow with the file; ``on_progress`` then receives the rows
    read, checked and written after each batch.
    """
    path = Path(path)
    if pseudonymisation_key is None and kind in PERSON_KINDS:
        check_pseudonymisation_key(test_data)
    key = pseudonymisation_key if pseudonymisation_key is not None else configured_key()
    kwargs = {"pseudonymisation_key": key, "known": known_codes(), "notes": notes}
    if default_la_code:
        kwargs["default_la_code"] = default_la_code
    if la_code_by_practice:
        kwargs["la_code_by_practice"] = la_code_by_practice
    stream = _stream(kind, path, kwargs, la_code)
    if stream is not None:
        # streaming imports this module (ImportResult, record_import) while it loads.
        from .streaming import import_stream

        result = import_stream(
            stream, path.name, user=user, la_code=la_code, confirm=confirm, on_progress=on_progress
        )
        if notes is not None:
            notes.extend(stream.summary.notes)
        return result
    with progress.stage(f"{kind}: read and validate {path.name}") as shown:
        frame = read(kind, path, **kwargs)
        shown.advance(frame.height)
    _refuse_nul(frame, path.name)
    if confirm is not None:
        confirm(preview_import(kind=kind, frame=frame, source=path.name, la_code=la_code))
    return import_frame(kind=kind, frame=frame, source=path.name, user=user, la_code=la_code)


def _stream(kind: str, path: Path, kwargs: dict, la_code: str | None):
    """A batch reader for this file, or ``None`` when it must be read whole."""
    if set(kwargs) - {"pseudonymisation_key", "known", "notes", "default_la_code"}:
        return None
    return open_stream(
        kind,
        path,
        pseudonymisation_key=kwargs["pseudonymisation_key"],
        known=kwargs["known"],
        default_la_code=kwargs.get("default_la_code"),
        only_la_code=la_code,
    )


def _refuse_nul(frame: pl.DataFrame, name: str) -> None:
    """PostgreSQL refuses NUL in text: say so as a file error instead of failing the insert."""
    columns = [
        c
        for c, dtype in frame.schema.items()
        if dtype == pl.String and frame[c].str.contains("\x00", literal=True).any()
    ]
    if columns:
        log = ErrorLog(file=name)
        log.file_error(
            f"NUL characters in {', '.join(columns)}: save the file again as plain text (CSV or XLSX)"
        )
        log.raise_if_any()


def record_audit(
    *,
    action: str,
    what: str,
    user: User | AnonymousUser | None = None,
    la_code: str = "",
    detail: str = "",
) -> None:
    """Append to the audit log; the only way entries are written.

    A council code that is not one (a hostile ``?la=`` an administrator may
    send) goes into the detail, not the code column, so the entry is still
    written: on PostgreSQL an over-long value would fail the whole request.
    """
    username = getattr(user, "username", "") if user is not None else ""
    la_code = la_code or ""
    if la_code and not LA_CODE_PATTERN.match(la_code):
        detail = f"requested council {la_code[:40]!r}; {detail}"
        la_code = ""
    AuditEntry.objects.create(
        action=action,
        what=what[:255],
        la_code=la_code,
        user=user if getattr(user, "pk", None) else None,
        username=username,
        detail=detail,
    )
