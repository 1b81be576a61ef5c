"""Errors a council analyst can act on: which file, which row, which column, why.

Every reader reports *all* the problems in a file at once, because fixing a
spreadsheet one error per import is a miserable loop. Rows are numbered as a
spreadsheet shows them (the header is row 1), so the analyst can go straight to
the cell.
"""

from __future__ import annotations

import csv
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path

import polars as pl

#: How many errors one file keeps in detail; the rest are only counted, so a
#: file that is wrong on every one of a million rows does not exhaust memory.
MAX_REPORTED_ERRORS = 1000

#: How many errors ``str(ValidationError)`` lists before summarising the rest.
MAX_ERRORS_IN_MESSAGE = 20

ROW_COLUMN = "__row"


@dataclass(frozen=True)
class RowError:
    """One problem in a user's file.

    ``row`` is the spreadsheet row (header = 1), or ``None`` for a problem with
    the whole file (it cannot be decoded, a column is missing, ...). ``column``
    is the header as the file spells it, or ``None``.
    """

    file: str
    row: int | None
    column: str | None
    value: str | None
    reason: str

    def __str__(self) -> str:
        where = "file" if self.row is None else f"row {self.row}"
        if self.column is not None:
            where += f", column {self.column}"
        shown = "" if self.value is None else f" (value {self.value!r})"
        return f"{self.file}: {where}: {self.reason}{shown}"


class ValidationError(Exception):
    """A user's file that does not meet its contract; ``errors`` lists every problem."""

    def __init__(self, errors: list[RowError], *, total: int | None = None) -> None:
        self.errors = errors
        #: Number of errors found, including those beyond ``MAX_REPORTED_ERRORS``.
        self.total = len(errors) if total is None else total
        super().__init__(self._summary())

    def _summary(self) -> str:
        files = sorted({error.file for error in self.errors})
        head = f"{self.total} error{'s' if self.total != 1 else ''} in {', '.join(files)}"
        lines = [head + ":"]
        lines += [f"  {error}" for error in self.errors[:MAX_ERRORS_IN_MESSAGE]]
        hidden = self.total - min(len(self.errors), MAX_ERRORS_IN_MESSAGE)
        if hidden > 0:
            lines.append(f"  ... and {hidden} more (write them all with --errors errors.csv)")
        return "\n".join(lines)

    def __str__(self) -> str:
        return self._summary()


@dataclass
class ErrorLog:
    """Collects the errors of one file, keeping the first ``limit`` in detail."""

    file: str
    limit: int = MAX_REPORTED_ERRORS
    errors: list[RowError] = field(default_factory=list)
    total: int = 0
    #: The file's headers in order, so errors on one row read left to right.
    column_order: list[str] = field(default_factory=list)

    def add(self, row: int | None, column: str | None, value: object, reason: str) -> None:
        """Record one problem."""
        self.total += 1
        if len(self.errors) < self.limit:
            shown = None if value is None else str(value)
            self.errors.append(RowError(self.file, row, column, shown, reason))

    def file_error(self, reason: str, column: str | None = None) -> None:
        """Record a problem with the whole file."""
        self.add(None, column, None, reason)

    def add_rows(
        self,
        frame: pl.DataFrame,
        mask: pl.Expr,
        column: str,
        reason: str | pl.Expr,
        *,
        shown_as: str | None = None,
    ) -> int:
        """Record an error for every row of ``frame`` where ``mask`` holds.

        Filtering first and looping only over the failing rows is what keeps a
        million-row file fast: the loop runs once per error, never per row.
        ``reason`` may be an expression, for messages that name another row.
        Returns the number of failing rows.
        """
        reason_expr = reason if isinstance(reason, pl.Expr) else pl.lit(reason)
        failing = frame.filter(mask.fill_null(False)).select(
            pl.col(ROW_COLUMN),
            pl.col(column).cast(pl.String).alias("value"),
            reason_expr.alias("reason"),
        )
        count = failing.height
        room = max(self.limit - len(self.errors), 0)
        for row, value, why in failing.head(room).iter_rows():
            self.errors.append(RowError(self.file, row, shown_as or column, value, why))
        self.total += count
        return count

    def raise_if_any(self) -> None:
        """Raise ``ValidationError`` with the errors in file-then-row order."""
        if self.total:
            position = {name: i for i, name in enumerate(self.column_order)}
            ordered = sorted(
                self.errors,
                key=lambda e: (
                    e.row is not None,
                    e.row or 0,
                    position.get(e.column or "", len(position)),
                ),
            )
            raise ValidationError(ordered, total=self.total)


def write_errors_csv(errors: Iterable[RowError] | ValidationError, path: str | Path) -> None:
    """Write errors as CSV (file, row, column, value, reason) for ``--errors errors.csv``.

    A spreadsheet of errors is what an analyst filters and works through; the
    columns are those of ``RowError``.
    """
    if isinstance(errors, ValidationError):
        errors = errors.errors
    with Path(path).open("w", newline="", encoding="utf-8") as handle:
        writer = csv.writer(handle)
        writer.writerow(["file", "row", "column", "value", "reason"])
        for error in errors:
            writer.writerow(
                [
                    error.file,
                    "" if error.row is None else error.row,
                    error.column or "",
                    error.value or "",
                    error.reason,
                ]
            )
