"""What a restored backup must satisfy before a single row of it is written.

A backup's signature proves it was written by a server holding the backup key;
these checks hold even then (a key can leak, a bug can write nonsense). Every
data frame is checked against its contract's shape, codes and ranges; text
may carry neither a spreadsheet formula nor markup; a one-council backup may
hold only that council's rows. Other tables are checked by their model's own
field validation (types, lengths, choices).
"""

from __future__ import annotations

import re

import polars as pl
from django.core.exceptions import ValidationError

from careties.data import codes
from careties.data.frames import CANONICAL

#: A tag or a script URL: what would run if a template ever forgot to escape.
MARKUP = r"(?i)<\s*[a-z/!?]|javascript:"
FORMULA = r"^="
MAX_PROBLEMS = 50

#: Columns with a fixed list of codes (null allowed where the contract allows it).
CODE_LISTS: dict[str, dict[str, tuple[str, ...]]] = {
    "registered_patients": {"sex": codes.SEXES, "age_band": codes.AGE_BANDS},
    "professionals": {"role": codes.ROLES},
    "events": {
        "event_type": codes.EVENT_TYPES,
        "service_type": codes.SERVICE_TYPES,
        "route_of_access": codes.ROUTES_OF_ACCESS,
    },
    "contacts": {"channel": codes.CONTACT_CHANNELS, "purpose": codes.CONTACT_PURPOSES},
    "survey_responses": {"instrument": codes.SURVEY_INSTRUMENTS},
}
#: Inclusive ranges of numbers.
RANGES: dict[str, dict[str, tuple[int, int]]] = {
    "registered_patients": {"patients": (0, 10_000_000)},
    "population": {"population_65_plus": (0, 100_000_000), "year": (1900, 2200)},
    "events": {"age": (0, 120)},
    "contacts": {"minutes": (0, 24 * 60)},
    "services": {"quality_rating": (1, 5)},
}
PATTERNS: dict[str, re.Pattern] = {
    "la_code": codes.LA_CODE_PATTERN,
    "practice_code": codes.PRACTICE_CODE_PATTERN,
}


def _rows(
    frame: pl.DataFrame, condition: pl.Expr, kind: str, column: str, reason: str
) -> list[str]:
    bad = frame.with_row_index("_row", offset=1).filter(condition)
    return [
        f"{kind}.parquet row {r['_row']}, {column}: {reason} ({str(r[column])[:40]!r})"
        for r in bad.head(5).iter_rows(named=True)
    ]


def check_frame(kind: str, frame: pl.DataFrame, councils: set[str] | None) -> list[str]:
    """Problems with one restored data frame; ``councils`` limits whose rows it may hold."""
    expected = {**CANONICAL[kind], "source": pl.String}
    if dict(frame.schema) != expected:
        found = dict(frame.schema)
        missing = [c for c in expected if c not in found]
        extra = [c for c in found if c not in expected]
        retyped = [
            f"{c} is {found[c]}, not {t}" for c, t in expected.items() if found.get(c, t) != t
        ]
        return [
            f"{kind}.parquet does not fit this version's {kind} (a backup from an incompatible "
            f"version?): missing columns {missing or 'none'}, unknown columns {extra or 'none'}, "
            f"wrong types {retyped or 'none'}"
        ]
    problems: list[str] = []
    for column, dtype in expected.items():
        if dtype != pl.String:
            continue
        text = pl.col(column).fill_null("")
        problems += _rows(frame, text.str.contains(FORMULA), kind, column, "a spreadsheet formula")
        problems += _rows(frame, text.str.contains(MARKUP), kind, column, "markup or a script")
        problems += _rows(
            frame, text.str.contains("\x00", literal=True), kind, column, "a NUL byte"
        )
        pattern = PATTERNS.get(column)
        if pattern is not None:
            wrong = pl.col(column).is_not_null() & ~pl.col(column).str.contains(pattern.pattern)
            problems += _rows(frame, wrong, kind, column, "not a valid code")
    for column, allowed in CODE_LISTS.get(kind, {}).items():
        wrong = pl.col(column).is_not_null() & ~pl.col(column).is_in(list(allowed))
        problems += _rows(frame, wrong, kind, column, "not one of the contract's codes")
    for column, (low, high) in RANGES.get(kind, {}).items():
        wrong = pl.col(column).is_not_null() & ~pl.col(column).is_between(low, high)
        problems += _rows(frame, wrong, kind, column, f"outside {low}..{high}")
    if councils is not None and "la_code" in frame.columns:
        wrong = ~pl.col("la_code").is_in(sorted(councils))
        problems += _rows(frame, wrong, kind, "la_code", "another council's row")
    return problems[:MAX_PROBLEMS]


def check_council_of_refs(
    kind: str, frame: pl.DataFrame, own: dict[str, set[str]], la_code: str
) -> list[str]:
    """Rows that take their council from a reference must refer to this council's codes."""
    if kind == "registered_patients":
        wrong = ~pl.col("practice_code").is_in(sorted(own["practices"]))
        return _rows(frame, wrong, kind, "practice_code", f"not a practice of {la_code}")
    if kind == "contacts":
        wrong = ~pl.col("from_professional").is_in(sorted(own["professionals"]))
        return _rows(frame, wrong, kind, "from_professional", f"not a professional of {la_code}")
    return []


def check_objects(label: str, objects: list, la_code: str | None) -> list[str]:
    """Model validation of restored rows of one table (foreign keys are checked by the database)."""
    problems = []
    for number, deserialized in enumerate(objects, start=1):
        obj = deserialized.object
        relations = [f.name for f in obj._meta.concrete_fields if f.is_relation]
        try:
            obj.full_clean(exclude=relations, validate_unique=False, validate_constraints=False)
        except ValidationError as error:
            problems.append(f"{label} row {number}: {'; '.join(error.messages)[:200]}")
        council = getattr(obj, "la_code", None)
        if la_code and isinstance(council, str) and council != la_code:
            problems.append(f"{label} row {number}: another council's row ({council})")
        if len(problems) >= MAX_PROBLEMS:
            break
    return problems
