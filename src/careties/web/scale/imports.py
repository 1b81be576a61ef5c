"""What an import does beyond writing its rows: recount, move the versions on, warm.

Called inside the import's transaction, so the counts and versions commit
with the rows or not at all: no request can see new rows with old counts, or
cache old figures under a new version. An import of survey answers recounts
the regional survey counts of the councils it touched here too, so the first
regional view after it reads them as stored. The warm-up is queued for after
the commit.
"""

from __future__ import annotations

import polars as pl

#: Kinds whose rows change the admissions counts.
COUNTED = {"events"}
#: Kinds whose rows change the regional survey counts (``freshness`` area "surveys").
SURVEYED = {"survey_responses"}


def after_write(
    kind: str, frame: pl.DataFrame, la_code: str | None = None, *, every: bool = False
) -> set[str]:
    """Recount and re-version the councils this import touched; returns them.

    ``every`` (an import that may replace rows of any council) moves on every
    council the store knows.
    """
    # Deferred: the store's services and streaming import this module while they load,
    # and the store's models and these scale modules lead back to them (a cycle).
    from careties.web.store.models import LocalAuthority

    from . import aggregates, freshness, versions, warm
    from .models import CouncilVersion

    councils = versions.touched_councils(kind, frame, la_code)
    if every:
        councils |= set(LocalAuthority.objects.values_list("la_code", flat=True))
        councils |= set(CouncilVersion.objects.values_list("la_code", flat=True))
    if kind in COUNTED:
        aggregates.refresh_admissions(councils)
    versions.bump(councils)
    if kind in SURVEYED:
        # After the bump: the counts are stamped with the versions this import commits.
        for la_code in sorted(councils):
            freshness.refresh("surveys", la_code, force=True)
    warm.enqueue_after_commit(councils)
    return councils
