"""Each council's practices' inputs to the relationship-admissions model, kept for the region.

The regional "relationships and admissions" models were fitted after loading
every council's events, contacts and answers and building one network of all
of England in a worker. A practice's lists, relationship measures and
deprivation come from its own council's data, so they are computed per council
(by the same builder as the council's own linkage section) and stored; the
regional models pool the stored rows and the admissions counts kept at import.
"""

from __future__ import annotations

from collections.abc import Iterable

import polars as pl

INPUT_SCHEMA = {
    "la_code": pl.String,
    "practice_code": pl.String,
    "list_size": pl.Int64,
    "list_65_plus": pl.Int64,
    "share_85_plus": pl.Float64,
    "log_list_size": pl.Float64,
    "rc_score": pl.Float64,
    "knowledge_share": pl.Float64,
    "social_care_tie_strength": pl.Float64,
    "health_score": pl.Float64,
    "deprivation_score": pl.Float64,
}


def council_inputs(la_code: str) -> tuple[pl.DataFrame, pl.DataFrame | None, dict]:
    """One council's practice inputs, its emergency admissions per practice (if loaded),
    and what it has loaded (``surveys``, ``contacts``, ``deprivation``, ``emergency``)."""
    # Deferred: presenters, page_parts and the store's services import this module while
    # they load; its models need apps ready and its builders import them back (a cycle).
    from careties.web.dashboard.builders import linkage
    from careties.web.presenters.base import Context, NotAvailable

    ctx = Context(user=None, la_code=la_code, la_codes=[la_code], policy=None)
    try:
        found = linkage.measures(ctx)
    except NotAvailable:
        found = None
    inputs = linkage.practice_inputs(ctx, found)
    inputs = inputs.with_columns(
        pl.lit(None, dtype=dtype).alias(name)
        for name, dtype in INPUT_SCHEMA.items()
        if name not in inputs.columns
    ).select(pl.col(name).cast(dtype) for name, dtype in INPUT_SCHEMA.items())
    emergency = linkage.optional(ctx, "emergency_admissions")
    facts = {
        "surveys": not ctx.frame("survey_responses").is_empty(),
        "contacts": not ctx.frame("contacts").is_empty(),
        "deprivation": linkage.optional(ctx, "practice_deprivation") is not None,
        "emergency": emergency is not None,
    }
    return inputs, None if emergency is None else linkage.emergency_counts(emergency), facts


def refresh(la_code: str) -> dict:
    """Recompute and store one council's practice inputs; returns what it has loaded."""
    # Deferred: presenters, page_parts and the store's services import this module while
    # they load; its models need apps ready and its builders import them back (a cycle).
    from .models import PracticeCount, PracticeLinkage

    inputs, emergency, facts = council_inputs(la_code)
    PracticeLinkage.objects.filter(la_code=la_code).delete()
    PracticeCount.objects.filter(la_code=la_code).delete()
    PracticeLinkage.objects.bulk_create(
        [PracticeLinkage(**row) for row in inputs.iter_rows(named=True)], batch_size=2_000
    )
    if emergency is not None:
        PracticeCount.objects.bulk_create(
            [
                PracticeCount(la_code=la_code, outcome="emergency", **row)
                for row in emergency.iter_rows(named=True)
            ],
            batch_size=2_000,
        )
    return facts


def inputs(la_codes: Iterable[str]) -> pl.DataFrame:
    """The stored inputs of these councils' practices, by practice code."""
    # Deferred: presenters, page_parts and the store's services import this module while
    # they load; its models need apps ready and its builders import them back (a cycle).
    from careties.web.arrow import read_frame

    codes = sorted(set(la_codes))
    if not codes:
        return pl.DataFrame(schema=INPUT_SCHEMA)
    marks = ", ".join(["%s"] * len(codes))
    return read_frame(
        f"SELECT {', '.join(INPUT_SCHEMA)} FROM careties_practice_linkage"
        f" WHERE la_code IN ({marks}) ORDER BY practice_code",
        codes,
        INPUT_SCHEMA,
    ).cast(INPUT_SCHEMA)


def permanent_counts(la_codes: Iterable[str]) -> pl.DataFrame:
    """New permanent admissions 65+ per practice, recorded by any of these councils."""
    return _summed(
        "SELECT practice_code, SUM(admissions) AS admissions FROM careties_admission_counts"
        " WHERE age_65_plus AND practice_code IS NOT NULL AND la_code IN ({marks})"
        " GROUP BY practice_code",
        la_codes,
    )


def emergency_counts(la_codes: Iterable[str]) -> pl.DataFrame:
    """Emergency admissions 65+ per practice, from these councils' loaded files."""
    return _summed(
        "SELECT practice_code, SUM(admissions) AS admissions FROM careties_practice_counts"
        " WHERE outcome = 'emergency' AND la_code IN ({marks}) GROUP BY practice_code",
        la_codes,
    )


def _summed(sql: str, la_codes: Iterable[str]) -> pl.DataFrame:
    # Deferred: presenters, page_parts and the store's services import this module while
    # they load; its models need apps ready and its builders import them back (a cycle).
    from careties.web.arrow import read_frame

    schema = {"practice_code": pl.String, "admissions": pl.Int64}
    codes = sorted(set(la_codes))
    if not codes:
        return pl.DataFrame(schema=schema)
    marks = ", ".join(["%s"] * len(codes))
    return read_frame(sql.format(marks=marks), codes, schema).cast(schema)
