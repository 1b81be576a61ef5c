"""Reads for "what to tell this practice": the survey, the directory and contacts together.

The list itself is built by :mod:`careties.planning.briefing` (pure); this
module fetches its inputs for one council. A contact and the items discussed
at it are written by ``services.save_activity``, in one transaction.
"""

from __future__ import annotations

from dataclasses import dataclass

import polars as pl

from careties.planning import briefing
from careties.relations.surveys.knowledge import knowledge_matrix
from careties.web import selectors as store_selectors
from careties.web.disclosure import SUPPRESSED, Rule, suppress_count
from careties.web.store.models import Practice

from . import places, selectors
from .models import Activity, DiscussedItem, Programme

DISCUSSED_SCHEMA = {"service_type": pl.String, "discussed_on": pl.Date, "activity_id": pl.Int64}


@dataclass
class CouncilInputs:
    """One council's survey matrices, directory and service locations, read once per page."""

    matrix: pl.DataFrame
    council_matrix: pl.DataFrame
    services: pl.DataFrame
    documents: list[dict]
    locations: dict[str, list[tuple[float, float]]]
    targeted: list[str]


def _locations(frame: pl.DataFrame, documents: list[dict]) -> dict[str, list[tuple[float, float]]]:
    out: dict[str, list[tuple[float, float]]] = {}
    for service_id, document in zip(frame["service_id"].to_list(), documents, strict=True):
        for sal in document.get("service_at_locations") or []:
            location = sal.get("location") if isinstance(sal, dict) else None
            lat = location.get("latitude") if isinstance(location, dict) else None
            lon = location.get("longitude") if isinstance(location, dict) else None
            if isinstance(lat, (int, float)) and isinstance(lon, (int, float)):
                out.setdefault(service_id, []).append((float(lat), float(lon)))
    return out


def council_inputs(la_code: str) -> CouncilInputs:
    responses = store_selectors.load_frame("survey_responses", la_code)
    gp = responses.filter(pl.col("instrument") == "gp")
    least = Rule.from_settings().min_survey_respondents
    frame = selectors.services_frame(la_code)
    documents = places.located_documents(frame)
    programme = Programme.objects.filter(la_code=la_code).first()
    return CouncilInputs(
        matrix=knowledge_matrix(gp, least, by=("wave", "organisation")),
        council_matrix=knowledge_matrix(gp, least, by=("wave",)),
        services=frame,
        documents=documents,
        locations=_locations(frame, documents),
        targeted=list(programme.targeted_practices) if programme else [],
    )


def practice_list(inputs: CouncilInputs, practice: Practice, limit: int = 5) -> dict:
    """The short list for one practice, with how it was found."""
    gaps, basis, wave = briefing.knowledge_gaps(
        inputs.matrix, inputs.council_matrix, practice.practice_code
    )
    origin = places.postcode_centroid(practice.postcode or "", inputs.documents)
    items = briefing.what_to_tell(gaps, inputs.services, origin, inputs.locations, limit=limit)
    return {
        "practice_code": practice.practice_code,
        "name": practice.name,
        "targeted": practice.practice_code in inputs.targeted,
        "basis": basis,
        "wave": wave,
        "placed": origin is not None,
        "items": items,
    }


def practices_in_order(la_code: str, targeted: list[str]) -> list[Practice]:
    """The council's open practices, the programme's targeted ones first, then A to Z."""
    practices = Practice.objects.filter(la_code=la_code).exclude(status="C")
    return sorted(practices, key=lambda p: (p.practice_code not in targeted, p.name))


def discussed(la_code: str, practice_code: str) -> pl.DataFrame:
    rows = DiscussedItem.objects.filter(
        activity__la_code=la_code, activity__practice_code=practice_code
    ).values("service_type", "activity__activity_date", "activity_id")
    records = [
        {
            "service_type": r["service_type"],
            "discussed_on": r["activity__activity_date"],
            "activity_id": r["activity_id"],
        }
        for r in rows
    ]
    return pl.DataFrame(records, schema=DISCUSSED_SCHEMA)


def _shown(count: int, rule: Rule) -> int | str:
    value = suppress_count(count, rule)
    return SUPPRESSED if value is None else value


def practice_history(inputs: CouncilInputs, la_code: str, practice_code: str) -> dict:
    """Gaps over survey waves, what was discussed, and the sign-posting since."""
    talked = discussed(la_code, practice_code)
    signposts = selectors.signposts(la_code, practice_code)
    rule = Rule.from_settings()
    followed = [
        {
            **row,
            # Sign-posts are people: small counts stay on the server (careties.web.disclosure).
            "signposts_before": _shown(row["signposts_before"], rule),
            "signposts_since": _shown(row["signposts_since"], rule),
        }
        for row in briefing.discussed_then_signposted(talked, signposts, inputs.services).to_dicts()
    ]
    return {
        "trend": briefing.gap_trend(inputs.matrix, practice_code),
        "followed": followed,
        "threshold": rule.threshold,
        "contacts": Activity.objects.filter(la_code=la_code, practice_code=practice_code)
        .prefetch_related("discussed")
        .order_by("-activity_date", "-pk")[:20],
    }
