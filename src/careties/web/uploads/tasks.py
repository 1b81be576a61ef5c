"""The background work behind an upload: check the file, then load it (django-tasks).

Each task records its stage and percent on the ``Upload`` row, which the
progress bar polls. Checking uses the importer's own reader and replacement
preview; loading calls ``import_file``, the function behind ``careties import``,
so a file loads in the browser exactly as on the command line: all or nothing.
"""

from __future__ import annotations

import functools
import logging
from collections.abc import Callable
from pathlib import Path

from django.db import close_old_connections, connection
from django_tasks import task

from careties.data import ValidationError, pseudonymisation_key, read, write_errors_csv
from careties.data.stream_open import open_stream
from careties.web.store.scope import ScopeError
from careties.web.store.services import import_file, known_codes, preview_import
from careties.web.store.streaming import preview_stream

from . import progress
from .models import Upload

log = logging.getLogger(__name__)

#: Errors shown on the page; the rest are in the downloadable error file.
ERRORS_SHOWN = 20


def _step(upload: Upload, percent: int, stage: str, **fields) -> None:
    for name, value in {"progress": percent, "stage": stage, **fields}.items():
        setattr(upload, name, value)
    upload.save()
    if percent == 100:
        progress.clear(upload.path)


def _refused(upload: Upload, shown: list[dict], total: int, message: str, **fields) -> str:
    """Mark the upload invalid: the first errors for the page, how many in all, and why."""
    _step(
        upload,
        100,
        "Checked",
        status=Upload.Status.INVALID,
        errors=shown,
        error_total=total,
        message=message,
        **fields,
    )
    return Upload.Status.INVALID


def _stopped(upload: Upload, error: Exception) -> str:
    """Mark the upload failed, its page quoting the error, and return the status."""
    _step(upload, 100, "Stopped", status=Upload.Status.FAILED, message=str(error)[:2000])
    return Upload.Status.FAILED


def _drop_stale_connection() -> None:
    """Start a job on a live connection: the worker's may have died between jobs.

    Not inside a transaction: there the connection is the caller's (the immediate
    backend runs a job inside the request or test that enqueued it), and Django
    closes any connection whose autocommit differs from the settings, which on
    PostgreSQL ends the caller's transaction.
    """
    if not connection.in_atomic_block:
        close_old_connections()


def errors_path(upload: Upload) -> Path:
    return Path(upload.path).with_suffix(".errors.csv")


def _upload_task(doing: str) -> Callable[[Callable[[Upload], str]], Callable[[int], str]]:
    """The frame of both tasks: a live connection, the upload's row, and any failure the
    task does not report itself shown on the upload's page (``doing`` names it in the log)."""

    def wrap(work: Callable[[Upload], str]) -> Callable[[int], str]:
        @functools.wraps(work)
        def run(upload_id: int) -> str:
            _drop_stale_connection()
            upload = Upload.objects.get(pk=upload_id)
            try:
                return work(upload)
            except Exception as error:  # noqa: BLE001 - any failure is reported on the page
                log.exception("%s upload %s failed", doing, upload_id)
                return _stopped(upload, error)

        return run

    return wrap


@task()
@_upload_task("checking")
def validate_upload(upload: Upload) -> str:
    """Read the file with its kind's contract; say what loading it would add and replace."""
    _step(upload, 10, "Reading the file and checking every row")
    notes: list[str] = []
    try:
        # What both readers check against: the key, the codes loaded, the council.
        checks = {
            "pseudonymisation_key": pseudonymisation_key(),
            "known": known_codes(),
            "default_la_code": upload.la_code,
        }
        stream = open_stream(
            upload.kind,
            upload.path,
            **checks,
            only_la_code=upload.la_code,
            on_batch=lambda state: progress.report(upload.path, "Checking", state),
        )
        if stream is not None:
            rows, replacements = preview_stream(stream, upload.filename, la_code=upload.la_code)
            notes.extend(stream.summary.notes)
        else:
            frame = read(upload.kind, upload.path, **checks, notes=notes)
            _step(upload, 70, "Working out what it would replace")
            replacements = preview_import(
                kind=upload.kind, frame=frame, source=upload.filename, la_code=upload.la_code
            )
            rows = frame.height
    except ValidationError as error:
        write_errors_csv(error.errors, errors_path(upload))
        shown = [
            {"row": e.row, "column": e.column, "value": e.value, "reason": e.reason}
            for e in error.errors[:ERRORS_SHOWN]
        ]
        message = f"{error.total:,} errors found. Nothing has been loaded."
        return _refused(upload, shown, error.total, message, notes=notes)
    except ScopeError as error:
        shown = [
            {"row": None, "column": None, "value": None, "reason": p}
            for p in error.problems[:ERRORS_SHOWN]
        ]
        message = "The file names rows another council holds. Nothing has been loaded."
        return _refused(upload, shown, len(error.problems), message)
    _step(
        upload,
        100,
        "Checked",
        status=Upload.Status.READY,
        rows=rows,
        replaces=[str(r) for r in replacements],
        notes=notes,
    )
    return Upload.Status.READY


@task()
@_upload_task("loading")
def import_upload(upload: Upload) -> str:
    """Load a checked file, all or nothing, with the command line's importer."""
    _step(upload, 20, "Checking the file again and loading it in one transaction")
    try:
        result = import_file(
            kind=upload.kind,
            path=upload.path,
            user=upload.user,
            default_la_code=upload.la_code,
            la_code=upload.la_code,
            on_progress=lambda state: progress.report(upload.path, "Loading", state),
        )
    except (ValidationError, ScopeError) as error:
        return _stopped(upload, error)
    _step(
        upload,
        100,
        "Loaded",
        status=Upload.Status.IMPORTED,
        rows=result.rows,
        message=f"Loaded {result.rows:,} rows"
        + (
            f", replacing {result.replaced:,} rows of the earlier version."
            if result.replaced
            else "."
        ),
    )
    Path(upload.path).unlink(missing_ok=True)
    return Upload.Status.IMPORTED
