"""Progress shows on a terminal and stays quiet anywhere else."""

from __future__ import annotations

import io

from careties import progress


class Terminal(io.StringIO):
    def isatty(self) -> bool:
        return True


def _run_stages() -> None:
    with progress.stage("events: write", total=100) as shown:
        shown.advance(60)
        shown.advance(40)
    with progress.stage("events: recount"):
        pass


def test_stages_rows_and_rates_on_a_terminal():
    terminal = Terminal()
    with progress.on_terminal(terminal):
        _run_stages()
    shown = terminal.getvalue()
    assert "events: write: [####################] 100/100 rows" in shown
    assert "rows/s" in shown
    assert "events: recount:" in shown
    assert shown.endswith("\n")


def test_nothing_when_not_a_terminal():
    pipe = io.StringIO()
    with progress.on_terminal(pipe):
        _run_stages()
    assert pipe.getvalue() == ""


def test_nothing_outside_a_command():
    _run_stages()  # no stream chosen: library calls print nothing (nothing to assert but no error)
    assert progress._stream is None
