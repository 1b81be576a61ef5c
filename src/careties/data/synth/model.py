"""The generator's result: canonical frames, what only the published files need, and the truth."""

from __future__ import annotations

from dataclasses import dataclass, field

import polars as pl


@dataclass
class SyntheticData:
    """A synthetic world.

    ``frames`` are exactly the canonical shapes (``careties.data.frames.CANONICAL``),
    as the importer would produce them, person ids already pseudonymised.
    ``truth`` is what was planted, JSON-serialisable, for tests and benchmarks
    to check analyses against. ``published`` holds the columns only the
    published file layouts need (raw person ids and dates of birth, row-aligned
    with ``frames["events"]``; epraccur's and the registration file's extra
    organisation fields): kept apart so raw ids never enter a canonical frame.
    """

    frames: dict[str, pl.DataFrame]
    truth: dict
    published: dict[str, pl.DataFrame] = field(default_factory=dict)
