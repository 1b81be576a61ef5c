"""Progress of long commands on a terminal: stage names, rows done, rate; silent otherwise.

An England events file takes minutes to read, validate and store; on a
terminal ``careties import``, ``import-all``, ``export-all`` and ``synth`` say
which stage they are in, how many rows it has done and how fast. When output
is not a terminal (a pipe, a log file, the test suite, the task queue) nothing
is printed, so logs hold results, not carriage returns.

The library reports through :func:`stage` without knowing whether anyone
shows it; a command turns showing on with :func:`on_terminal`.
"""

from __future__ import annotations

import contextlib
import sys
import time
from collections.abc import Iterator
from typing import TextIO

_stream: TextIO | None = None


@contextlib.contextmanager
def on_terminal(stream: TextIO | None = None) -> Iterator[None]:
    """Show stages on ``stream`` (standard error) while inside, if it is a terminal."""
    global _stream
    stream = stream or sys.stderr
    previous = _stream
    _stream = stream if stream.isatty() else None
    try:
        yield
    finally:
        _stream = previous


class Stage:
    """One named stage: ``advance(rows)`` as work is done; a last line with time and rate."""

    def __init__(self, name: str, total: int | None, stream: TextIO | None) -> None:
        self.name, self.total, self.stream = name, total, stream
        self.done = 0
        #: Share of the work done when rows are not known in advance (bytes of a file read).
        self.share: float | None = None
        self.started = time.perf_counter()
        self._shown = 0.0
        self._show(final=False)

    def advance(self, rows: int) -> None:
        self.done += rows
        now = time.perf_counter()
        if now - self._shown >= 0.2:
            self._shown = now
            self._show(final=False)

    def show_rows(self, done: int, *, share: float | None = None) -> None:
        """Set the rows done so far (and the share of the whole, for the bar)."""
        self.share = share
        self.advance(done - self.done)

    def _line(self) -> str:
        seconds = time.perf_counter() - self.started
        if self.share is not None:
            bar = "#" * int(min(self.share, 1.0) * 20)
            count = f"[{bar:<20}] {self.share:.0%}, {self.done:,} rows"
        elif self.total:
            share = min(self.done / self.total, 1.0)
            bar = "#" * int(share * 20)
            count = f"[{bar:<20}] {self.done:,}/{self.total:,} rows"
        elif self.done:
            count = f"{self.done:,} rows"
        else:
            count = ""
        rate = f", {self.done / seconds:,.0f} rows/s" if self.done and seconds > 0 else ""
        return f"{self.name}: {count} {seconds:.1f} s{rate}".replace(":  ", ": ")

    def _show(self, final: bool) -> None:
        if self.stream is None:
            return
        self.stream.write("\r\033[K" + self._line() + ("\n" if final else ""))
        self.stream.flush()

    def finish(self) -> None:
        self._show(final=True)


@contextlib.contextmanager
def stage(name: str, total: int | None = None) -> Iterator[Stage]:
    """A stage of the current command; shown only under :func:`on_terminal` on a terminal."""
    current = Stage(name, total, _stream)
    try:
        yield current
    finally:
        current.finish()
