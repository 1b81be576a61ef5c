"""careties.data: the data contracts.

Readers turn a user's file (careties' own layouts or the published NHS and
DHSC ones) into the canonical frames of ``frames.CANONICAL``, reporting every
problem with its row and column; person identifiers are pseudonymised on the
way in. Pure Python and Polars: no Django, no database.

    frame = careties.data.read("events", "events.csv", known=KnownCodes(la_codes={...}))
"""

from careties.data.context import KnownCodes
from careties.data.errors import RowError, ValidationError, write_errors_csv
from careties.data.pseudonymise import is_default_key, pseudonymisation_key, pseudonymise
from careties.data.reader import detect_kind, read

__all__ = [
    "KnownCodes",
    "RowError",
    "ValidationError",
    "detect_kind",
    "is_default_key",
    "pseudonymisation_key",
    "pseudonymise",
    "read",
    "write_errors_csv",
]
