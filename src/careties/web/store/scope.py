"""Which stored rows an import may replace, and which it may never touch.

A file's earlier version is the rows of the same kind, from a file of the same
name, *of the councils the file is about* (and, for events, of the period the
file covers). Scoping by file name alone let council B's ``events.csv`` delete
council A's. And a row's natural key is owned by the council that loaded it: a
file from one council that names another council's practice, professional,
service or survey response is refused, not allowed to move the row across.

Rows without a council column of their own take it from what they refer to:
list sizes from their practice, contacts from their professionals.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

import polars as pl
from django.db.models import Count, Q

from careties.data.frames import CANONICAL

from .models import MODEL_FOR_KIND, ImportBatch, Practice, Professional

#: Kinds whose key does not include the council, so one council's file could name another's row.
OWNED_KEYS = {
    "practices": "practice_code",
    "professionals": "professional_id",
    "services": "service_id",
    "survey_responses": "response_id",
    "contacts": "contact_reference",
}
CHUNK = 500
#: Kinds without a council column of their own that take it from their practice.
PRACTICE_SCOPED = ("registered_patients", "practice_deprivation")


class ScopeError(ValueError):
    """An import that would touch rows of another council; nothing was written."""

    def __init__(self, problems: list[str]):
        self.problems = problems
        shown = problems[:10]
        more = f"\n... and {len(problems) - 10:,} more" if len(problems) > 10 else ""
        super().__init__("\n".join(shown) + more)


@dataclass(frozen=True)
class Replacement:
    """Rows of one council that an import will replace."""

    la_code: str
    rows: int
    kind: str
    source: str
    loaded_on: str

    def __str__(self) -> str:
        when = f" loaded on {self.loaded_on}" if self.loaded_on else ""
        council = self.la_code or "no council"
        return f"{self.rows:,} {self.kind} of {council}{when} from {self.source}"


def _lookup(model, key: str, values: Iterable[str]) -> dict[str, str]:
    """Council of each referenced code, in chunks (SQLite limits a query's parameters)."""
    values = [v for v in set(values) if v is not None]
    found: dict[str, str] = {}
    for start in range(0, len(values), CHUNK):
        chunk = values[start : start + CHUNK]
        found.update(model.objects.filter(**{f"{key}__in": chunk}).values_list(key, "la_code"))
    return found


def row_councils(kind: str, frame: pl.DataFrame) -> pl.Series:
    """The council each row belongs to (null when it cannot be told)."""
    if "la_code" in frame.columns:
        return frame["la_code"]
    if kind in PRACTICE_SCOPED:
        known = _lookup(Practice, "practice_code", frame["practice_code"].to_list())
        return frame["practice_code"].replace_strict(known, default=None, return_dtype=pl.String)
    if kind == "contacts":
        known = _lookup(Professional, "professional_id", frame["from_professional"].to_list())
        return frame["from_professional"].replace_strict(
            known, default=None, return_dtype=pl.String
        )
    return pl.Series([None] * frame.height, dtype=pl.String)


def councils_of(kind: str, frame: pl.DataFrame, la_code: str | None = None) -> set[str]:
    """Every council the frame is about, plus the one it was uploaded for."""
    found = {c for c in row_councils(kind, frame).unique().to_list() if c}
    if la_code:
        found.add(la_code)
    return found


def _council_q(kind: str, councils: set[str]) -> Q:
    """Rows of these councils; for kinds that take their council from a reference, rows
    whose reference is unknown to the store belong to no council and go with the file."""
    if kind in PRACTICE_SCOPED:
        practices = Practice.objects.filter(la_code__in=councils).values("practice_code")
        every = Practice.objects.values("practice_code")
        return Q(practice_code__in=practices) | ~Q(practice_code__in=every)
    if kind == "contacts":
        staff = Professional.objects.filter(la_code__in=councils).values("professional_id")
        every = Professional.objects.values("professional_id")
        return Q(from_professional__in=staff) | ~Q(from_professional__in=every)
    return Q(la_code__in=councils)


def replacement_q(kind: str, frame: pl.DataFrame, source: str, councils: set[str] | None) -> Q:
    """Rows this import replaces; ``councils=None`` means every council (internal mirrors only)."""
    q = Q(source=source)
    if councils is None:
        return q
    if not councils and "la_code" in CANONICAL[kind]:
        return Q(pk__in=[])
    q &= _council_q(kind, councils)
    if kind == "events" and frame.height:
        period = Q(pk__in=[])
        by_council = frame.group_by("la_code").agg(
            pl.col("start_date").min().alias("first"), pl.col("start_date").max().alias("last")
        )
        for row in by_council.iter_rows(named=True):
            if row["first"] is None:
                continue
            period |= Q(la_code=row["la_code"], start_date__range=(row["first"], row["last"]))
        q &= period
    return q


def clashes(kind: str, frame: pl.DataFrame) -> list[str]:
    """Keys in the frame that the store holds under another council."""
    key = OWNED_KEYS.get(kind)
    if key is None or frame.height == 0:
        return []
    model = MODEL_FOR_KIND[kind]
    mine = pl.DataFrame({"key": frame[key], "council": row_councils(kind, frame)}).unique("key")
    keys = mine["key"].drop_nulls().to_list()
    stored: dict[str, str] = {}
    if kind == "contacts":
        for start in range(0, len(keys), CHUNK):
            rows = model.objects.filter(contact_reference__in=keys[start : start + CHUNK])
            pairs = rows.values_list("contact_reference", "from_professional")
            owners = _lookup(Professional, "professional_id", [p for _, p in pairs])
            stored.update({k: owners.get(p) for k, p in pairs if owners.get(p)})
    else:
        stored = _lookup(model, key, keys)
    problems = []
    for row in mine.iter_rows(named=True):
        owner = stored.get(row["key"])
        if owner and row["council"] and owner != row["council"]:
            problems.append(
                f"{key} {row['key']!r} belongs to council {owner}; a file for "
                f"{row['council']} cannot change or take it over"
            )
    return sorted(problems)


def foreign_rows(kind: str, frame: pl.DataFrame, la_code: str) -> list[str]:
    """Rows of a file uploaded for ``la_code`` that name another council."""
    councils = row_councils(kind, frame)
    bad = frame.with_columns(councils.alias("_council")).with_row_index("_row", offset=1)
    bad = bad.filter(pl.col("_council").is_not_null() & (pl.col("_council") != la_code))
    return [
        f"row {r['_row']}: belongs to council {r['_council']}, not {la_code}"
        for r in bad.head(50).iter_rows(named=True)
    ]


def describe(
    kind: str, frame: pl.DataFrame, source: str, councils: set[str] | None
) -> list[Replacement]:
    """What an import of ``frame`` as ``source`` would replace, one line per council."""
    model = MODEL_FOR_KIND[kind]
    rows = model.objects.filter(replacement_q(kind, frame, source, councils))
    batch = ImportBatch.objects.filter(kind=kind, source=source).order_by("-created_at").first()
    loaded_on = f"{batch.created_at:%-d %b %Y}" if batch else ""
    column = "la_code" if hasattr(model, "la_code") else None
    counts = sorted(_count_by(rows, column).items()) if column else [("", rows.count())]
    return [
        Replacement(la_code=c or "", rows=n, kind=kind, source=source, loaded_on=loaded_on)
        for c, n in counts
        if n
    ]


def _count_by(rows, column: str) -> dict[str, int]:
    return {r[column]: r["n"] for r in rows.values(column).annotate(n=Count("pk")).order_by()}
