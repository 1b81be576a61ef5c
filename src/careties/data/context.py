"""What a reader knows besides the file: codes already loaded, the key, options."""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from dataclasses import dataclass, field

from careties.data.errors import ErrorLog


@dataclass
class KnownCodes:
    """Codes already in the database (plus those in the same import batch).

    With them a reader can say "unknown council" or "unknown practice" while
    the analyst still has the file open, instead of failing later in the
    database. A set left as ``None`` skips that check; ``KnownCodes`` itself
    left as ``None`` skips all referential checks.
    """

    la_codes: set[str] | None = None
    practice_codes: set[str] | None = None
    professional_ids: set[str] | None = None


@dataclass
class ReadContext:
    """Everything a contract needs while converting one file."""

    log: ErrorLog
    known: KnownCodes | None = None
    pseudonymisation_key: bytes | None = None
    default_la_code: str | None = None
    la_code_by_postcode: Mapping[str, str] | None = None
    #: practice ODS code -> council, for the national epraccur.csv (``practice_councils``).
    la_code_by_practice: Mapping[str, str] | None = None
    today: dt.date = field(default_factory=dt.date.today)
    #: column -> how the file names it, for error messages.
    labels: dict[str, str] = field(default_factory=dict)
    #: What the reader did that the user should know but that is not an error
    #: (columns not used, carer rows without events, repeated events kept once).
    notes: list[str] = field(default_factory=list)

    def label(self, column: str) -> str:
        """The column as the user's file spells it."""
        return self.labels.get(column, column)
