"""Rows read, checked and written while a task works on an upload, for its progress bar.

A load runs in one transaction, so what it writes to the ``Upload`` row is not
seen until it commits (and on SQLite a second connection could not write while
it holds the lock). The counts therefore go to a small JSON file beside the
uploaded file, replaced atomically after each batch, and the page reads it
while the upload is working. The file's own suffix (``.json``) is one an upload
can never have, so it cannot clash with the upload's name.
"""

from __future__ import annotations

import json
import os
from pathlib import Path

from careties.data.stream import Progress

NAME = "progress.json"


def progress_path(upload_path: str | Path) -> Path:
    return Path(upload_path).parent / NAME


def report(upload_path: str | Path, stage: str, state: Progress) -> None:
    """Record where the task is: its stage, the rows so far and the share of the file read."""
    target = progress_path(upload_path)
    partial = target.with_suffix(".partial")
    partial.write_text(
        json.dumps(
            {
                "stage": stage,
                "read": state.read,
                "validated": state.validated,
                "written": state.written,
                "percent": round(100 * min(state.share, 1.0)),
            }
        )
    )
    os.replace(partial, target)


def current(upload_path: str | Path) -> dict | None:
    """The last report, or ``None`` (no task has reported yet, or the file is gone)."""
    try:
        found = json.loads(progress_path(upload_path).read_text())
    except (OSError, ValueError):
        return None
    return found if isinstance(found, dict) else None


def clear(upload_path: str | Path) -> None:
    progress_path(upload_path).unlink(missing_ok=True)
