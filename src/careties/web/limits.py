"""Bounds on what an upload may hold, checked before the work it would cause.

A probe stalled or crashed workers with files no person writes: JSON nested
100,000 deep (recursion), a 5,000-digit number (Python refuses to convert it),
a CSV field over the csv module's 131,072-character limit, a header of a
million columns (a quadratic duplicate check: 47 s, 6.8 GB), NUL bytes that
PostgreSQL refuses. Each bound here is far above any real file and is checked
up front, with a message that says what to change.
"""

from __future__ import annotations

import json
from typing import Any

MAX_JSON_DEPTH = 64
MAX_NUMBER_CHARACTERS = 40
MAX_CSV_COLUMNS = 2_000
MAX_CSV_FIELD = 100_000
MAX_HEADER_CHARACTERS = 200_000


class LimitError(ValueError):
    """An upload beyond a bound; the message is for the person who uploaded it."""


def _number(text: str, convert):
    if len(text) > MAX_NUMBER_CHARACTERS:
        raise LimitError(
            f"a number of {len(text):,} characters is not a plausible value "
            f"(at most {MAX_NUMBER_CHARACTERS})"
        )
    return convert(text)


def _depth(document: Any) -> int:
    deepest, stack = 0, [(document, 1)]
    while stack:
        node, depth = stack.pop()
        deepest = max(deepest, depth)
        if deepest > MAX_JSON_DEPTH:
            return deepest
        if isinstance(node, dict):
            stack.extend((v, depth + 1) for v in node.values())
        elif isinstance(node, list):
            stack.extend((v, depth + 1) for v in node)
    return deepest


def load_json(text: str) -> Any:
    """``json.loads`` with bounded depth and numbers and no NUL; raises ``LimitError``.

    ``json.JSONDecodeError`` still comes through for text that is not JSON.
    """
    if "\x00" in text or "\\u0000" in text:
        raise LimitError("the file contains NUL characters; save it again as plain UTF-8 JSON")
    try:
        document = json.loads(
            text,
            parse_int=lambda s: _number(s, int),
            parse_float=lambda s: _number(s, float),
        )
    except RecursionError:
        raise LimitError(
            f"the file is nested too deeply (at most {MAX_JSON_DEPTH} levels)"
        ) from None
    if _depth(document) > MAX_JSON_DEPTH:
        raise LimitError(f"the file is nested too deeply (at most {MAX_JSON_DEPTH} levels)")
    return document


def check_csv_text(text: str) -> None:
    """Refuse a CSV whose header or characters are beyond the bounds, before parsing it."""
    if "\x00" in text:
        raise LimitError(
            "The file contains NUL characters: save it again from your survey tool as CSV"
        )
    end = text.find("\n", 0, MAX_HEADER_CHARACTERS + 1)
    header = text[: end if end >= 0 else MAX_HEADER_CHARACTERS + 1]
    if len(header) > MAX_HEADER_CHARACTERS:
        raise LimitError(
            f"The header row is longer than {MAX_HEADER_CHARACTERS:,} characters: "
            "is this the right file?"
        )
    columns = max(header.count(","), header.count(";"), header.count("\t")) + 1
    if columns > MAX_CSV_COLUMNS:
        raise LimitError(
            f"The file has {columns:,} columns; careties reads at most {MAX_CSV_COLUMNS:,}"
        )
