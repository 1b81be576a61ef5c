"""Per-council data versions: what a cached section's key says about its data.

A section is reused until the data it shows change. With one global version,
any council's import made every council's pages cold again. Here each council
has its own version (the latest import batch that touched it), and survey
answers submitted in the browser count through the latest response id of that
council; a section's key holds only the versions of the councils it reads.
"""

from __future__ import annotations

import hashlib
import time
from collections.abc import Iterable

import polars as pl
from django.db import connection
from django.db.models import F

CHUNK = 400


def touched_councils(kind: str, frame: pl.DataFrame, la_code: str | None = None) -> set[str]:
    """Every council whose pages an import of ``frame`` can change.

    Rows with their own council give it; list sizes give their practice's
    council; contacts give the councils of both ends (each council sees the
    contacts that reach it).
    """
    # Deferred: presenters, page_parts and the store's services import this module while
    # they load; its models need apps ready and its builders import them back (a cycle).
    from careties.web.store.models import Practice, Professional

    found: set[str] = {la_code} if la_code else set()
    if frame.height == 0:
        return found
    if "la_code" in frame.columns:
        return found | {c for c in frame["la_code"].unique().to_list() if c}
    if kind in ("registered_patients", "practice_deprivation"):
        return found | _councils_of(Practice, "practice_code", frame["practice_code"])
    if kind == "contacts":
        ends = pl.concat([frame["from_professional"], frame["to_professional"]])
        return found | _councils_of(Professional, "professional_id", ends)
    return found


def _councils_of(model, key: str, codes: pl.Series) -> set[str]:
    values = codes.drop_nulls().unique().to_list()
    found: set[str] = set()
    for start in range(0, len(values), CHUNK):
        chunk = values[start : start + CHUNK]
        found.update(
            model.objects.filter(**{f"{key}__in": chunk})
            .values_list("la_code", flat=True)
            .distinct()
        )
    return found


def bump(councils: Iterable[str]) -> None:
    """Give each of these councils a new version (its counter plus one).

    A counter per council, incremented in the database, so two imports of one
    council on PostgreSQL at once still leave it two steps on, never back at a
    version some cached section was built with.
    """
    # Deferred: presenters, page_parts and the store's services import this module while
    # they load; its models need apps ready and its builders import them back (a cycle).
    from .models import CouncilVersion

    for la_code in sorted(set(councils)):
        updated = CouncilVersion.objects.filter(la_code=la_code).update(version=F("version") + 1)
        if not updated:
            CouncilVersion.objects.create(la_code=la_code, version=1)


def region_of(la_code: str) -> list[str]:
    """The councils loaded in ``la_code``'s region (itself alone when its region is unknown)."""
    # Deferred: presenters, page_parts and the store's services import this module while
    # they load; its models need apps ready and its builders import them back (a cycle).
    from careties.web.store.models import LocalAuthority

    region = LocalAuthority.objects.filter(la_code=la_code).values_list("region", flat=True).first()
    if not region:
        return [la_code]
    return sorted(LocalAuthority.objects.filter(region=region).values_list("la_code", flat=True))


#: How long a worker reuses a council's latest survey answer id (seconds): answers
#: submitted in the browser show within this; imports move the import version at once.
ANSWERS_SECONDS = 2.0
_answers_seen: dict[str, tuple[int, float]] = {}


def council_versions(la_codes: Iterable[str]) -> dict[str, str]:
    """Each council's data version: ``<import version>.<latest survey answer id>``.

    One short query for the import versions, and one indexed ``max(id)`` per
    council for survey answers (a UNION ALL of lookups, each served by the
    council index). On PostgreSQL each of those reads the council's answers
    through the index (5 to 9 ms a council of the England store, 80 ms for a
    region), so a worker in front of the file cache reuses them for
    :data:`ANSWERS_SECONDS`; the import version is read every time.
    """
    # Deferred: presenters, page_parts and the store's services import this module while
    # they load; its models need apps ready and its builders import them back (a cycle).
    from careties.web.dashboard.page_parts import reuses_for_a_while

    from .models import CouncilVersion

    codes = sorted(set(la_codes))
    versions: dict[str, int] = {}
    now = time.monotonic()
    reuse = reuses_for_a_while()
    answers = {
        code: seen[0]
        for code in codes
        if reuse and (seen := _answers_seen.get(code)) and seen[1] > now
    }
    for start in range(0, len(codes), CHUNK):
        chunk = codes[start : start + CHUNK]
        versions.update(
            CouncilVersion.objects.filter(la_code__in=chunk).values_list("la_code", "version")
        )
        wanted = [code for code in chunk if code not in answers]
        if not wanted:
            continue
        lookups = " UNION ALL ".join(
            "SELECT %s, (SELECT MAX(id) FROM careties_survey_responses WHERE la_code = %s)"
            for _ in wanted
        )
        with connection.cursor() as cursor:
            cursor.execute(lookups, [v for code in wanted for v in (code, code)])
            found = {code: latest or 0 for code, latest in cursor.fetchall()}
        answers.update(found)
        if reuse:
            _answers_seen.update({c: (v, now + ANSWERS_SECONDS) for c, v in found.items()})
    return {c: f"{versions.get(c, 0)}.{answers.get(c, 0)}" for c in codes}


def scope_version(la_codes: Iterable[str]) -> str:
    """The data version of these councils: their import versions and latest survey answers.

    One council's version as it is; several councils' as a short hash of theirs.
    """
    found = council_versions(la_codes)
    if not found:
        return "0"
    if len(found) == 1:
        return next(iter(found.values()))
    joined = ";".join(f"{c}:{v}" for c, v in found.items())
    return hashlib.sha256(joined.encode()).hexdigest()[:16]
