"""Storing and reading the published files (read by careties.referrals.published).

An import replaces what the file covers and nothing else, in one transaction:
for the published ASCOF file the (year, measure) pairs it holds, for the peer
groups the councils it lists. A file careties cannot read changes nothing.
The import is a service as the HackSoft styleguide writes them: keyword-only,
typed arguments (the acting user included; ``None`` for the command line), one
transaction, its audit entry written inside it.
"""

from __future__ import annotations

from pathlib import Path

import polars as pl
from django.contrib.auth.models import User
from django.db import transaction

from careties.referrals.published import (
    PUBLISHED_COLUMNS,
    read_peer_groups,
    read_published_ascof,
)
from careties.web.store.services import record_audit

from .models import PeerGroup, PublishedAscof

#: The kinds ``careties import`` takes besides the store's own.
BENCHMARK_KINDS = ("published_ascof", "peer_groups")


def _audit(kind: str, path: Path, stored: int, replaced: int, user: User | None) -> None:
    """The import's audit entry (every council's data: no council code), inside its transaction."""
    detail = f"{stored} rows" + (f"; replaced {replaced}" if replaced else "")
    record_audit(action="import", what=f"{kind} from {path.name}", user=user, detail=detail)


def import_benchmark(*, kind: str, path: str | Path, user: User | None = None) -> tuple[int, int]:
    """Read ``path`` as ``kind`` and store it; returns (rows stored, rows replaced)."""
    path = Path(path)
    if kind == "published_ascof":
        frame = read_published_ascof(path).filter(pl.col("financial_year").is_not_null())
        frame = frame.unique(["la_code", "financial_year", "measure"], keep="last")
        with transaction.atomic():
            replaced = 0
            for year, measure in frame.select("financial_year", "measure").unique().iter_rows():
                replaced += PublishedAscof.objects.filter(
                    financial_year=year, measure=measure
                ).delete()[0]
            PublishedAscof.objects.bulk_create(
                PublishedAscof(**row, source=path.name) for row in frame.iter_rows(named=True)
            )
            _audit(kind, path, frame.height, replaced, user)
        return frame.height, replaced
    if kind == "peer_groups":
        frame = read_peer_groups(path).filter(pl.col("peer_code").is_not_null())
        with transaction.atomic():
            replaced = PeerGroup.objects.filter(
                la_code__in=frame["la_code"].unique().to_list()
            ).delete()[0]
            PeerGroup.objects.bulk_create(
                PeerGroup(**row, source=path.name) for row in frame.iter_rows(named=True)
            )
            _audit(kind, path, frame.height, replaced, user)
        return frame.height, replaced
    raise ValueError(f"not a published-file kind: {kind}")


def published_ascof() -> pl.DataFrame:
    """Every stored published figure, as ``read_published_ascof`` gives them."""
    rows = list(PublishedAscof.objects.values_list(*PUBLISHED_COLUMNS))
    schema = {
        "la_code": pl.String,
        "financial_year": pl.String,
        "measure": pl.String,
        "numerator": pl.Float64,
        "denominator": pl.Float64,
        "outcome": pl.Float64,
    }
    return pl.DataFrame(rows, schema=schema, orient="row")


def peer_groups() -> pl.DataFrame:
    """Every stored peer: ``la_code, peer_code, peer_rank``."""
    rows = list(PeerGroup.objects.values_list("la_code", "peer_code", "peer_rank"))
    schema = {"la_code": pl.String, "peer_code": pl.String, "peer_rank": pl.Int64}
    return pl.DataFrame(rows, schema=schema, orient="row")
