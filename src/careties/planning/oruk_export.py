"""Writing careties' canonical ``services`` rows as fully nested Open Referral UK services.

Without an original (a service created in careties) the export carries the
canonical columns and nothing else, every id a name-based UUID
(:mod:`careties.planning.oruk_common`) and the council's reference in a
``careties:council_reference`` attribute, so it reads back to the same row.
With the original JSON of an imported service, only the parts whose careties
value has changed are rewritten; the rest (organisation, locations, schedules,
languages, funding, ...) comes back as it came in.
"""

from __future__ import annotations

import copy
import math
from collections.abc import Mapping
from typing import Any

import polars as pl

from careties.data.frames import CANONICAL
from careties.labels import label
from careties.planning.oruk_common import (
    ELIGIBILITY_LINK,
    ONS_URI,
    QUALITY_TAXONOMY,
    REFERENCE_LINK,
    REFERENCE_TAXONOMY,
    SERVICE_TYPE_TAXONOMY,
    is_uuid,
    oruk_id,
    service_uuid,
    taxonomy_uuid,
    term_uuid,
)
from careties.planning.oruk_import import attributes, row_of, term_of

__all__ = ["frame_to_oruk", "service_to_oruk"]

FIELDS: tuple[str, ...] = tuple(CANONICAL["services"])


def _sid(out: Mapping) -> str:
    return str(out["id"])


def _attribute(out: Mapping, kind: str, term: dict, link_type: str) -> dict:
    return {
        "id": oruk_id(_sid(out), "attribute", kind),
        "link_id": _sid(out),
        "link_type": link_type,
        "taxonomy_term_id": term["id"],
        "taxonomy_term": term,
    }


def _shared_term(taxonomy: str, code: str, name: str, description: str) -> dict:
    return {
        "id": term_uuid(taxonomy, code),
        "name": name,
        "description": description,
        "taxonomy": taxonomy,
        "taxonomy_id": taxonomy_uuid(taxonomy),
        "term": code,
    }


def _set_reference(out: dict, row: Mapping) -> None:
    attrs = [a for a in attributes(out) if term_of(a).get("taxonomy") != REFERENCE_TAXONOMY]
    reference = row["service_id"]
    if not is_uuid(reference):
        term = _shared_term(
            REFERENCE_TAXONOMY, reference, reference, "The council's own reference for the service"
        )
        attrs.insert(0, _attribute(out, "reference", term, REFERENCE_LINK))
    out["attributes"] = attrs


def _set_id(out: dict, row: Mapping) -> None:
    out["id"] = service_uuid(row["service_id"])
    _set_reference(out, row)


def _set_service_type(out: dict, row: Mapping) -> None:
    attrs = [a for a in attributes(out) if term_of(a).get("taxonomy") != SERVICE_TYPE_TAXONOMY]
    code = row["service_type"] or "other"
    words = label(code, "service_type")
    term = _shared_term(SERVICE_TYPE_TAXONOMY, code, words, words)
    out["attributes"] = [_attribute(out, "type", term, "service_type"), *attrs]


def _set_eligibility(out: dict, row: Mapping) -> None:
    attrs = [a for a in attributes(out) if a.get("link_type") != ELIGIBILITY_LINK]
    if row["eligibility"]:
        term = {
            "id": oruk_id(_sid(out), "eligibility"),
            "name": "Eligibility",
            "description": row["eligibility"],
            "taxonomy": "careties:eligibility",
            "taxonomy_id": taxonomy_uuid("careties:eligibility"),
        }
        attrs.append(_attribute(out, "eligibility", term, ELIGIBILITY_LINK))
    out["attributes"] = attrs


def _set_quality(out: dict, row: Mapping) -> None:
    attrs = [a for a in attributes(out) if term_of(a).get("taxonomy") != QUALITY_TAXONOMY]
    rating = row["quality_rating"]
    if rating is not None:
        term = _shared_term(
            QUALITY_TAXONOMY, str(rating), str(rating), f"Quality rating {rating} of 5"
        )
        attrs.append(_attribute(out, "quality", term, "quality_rating"))
    out["attributes"] = attrs


def _set_cost(out: dict, row: Mapping) -> None:
    out.pop("fees", None)
    if row["cost"]:
        out["cost_options"] = [{"id": oruk_id(_sid(out), "cost"), "option": row["cost"]}]
    else:
        out.pop("cost_options", None)


def _set_contact(out: dict, row: Mapping) -> None:
    if row["contact"]:
        out["contacts"] = [{"id": oruk_id(_sid(out), "contact"), "name": row["contact"]}]
    else:
        out.pop("contacts", None)


def _set_area(out: dict, row: Mapping) -> None:
    area = {"id": oruk_id(_sid(out), "area")}
    if row["area"]:
        area.update(name=row["area"], service_area=row["area"])
    if row["la_code"]:
        area["uri"] = ONS_URI + row["la_code"]
    out["service_areas"] = [area]


def _set_plain(key: str):
    def setter(out: dict, row: Mapping) -> None:
        value = row[key]
        if value in (None, "") and key == "description":
            out.pop(key, None)
        else:
            out[key] = value

    return setter


#: How each careties column is written into an ORUK service.
_SETTERS = {
    "service_id": _set_id,
    "name": _set_plain("name"),
    "status": _set_plain("status"),
    "description": _set_plain("description"),
    "service_type": _set_service_type,
    "eligibility": _set_eligibility,
    "cost": _set_cost,
    "contact": _set_contact,
    "area": _set_area,
    "la_code": _set_area,
    "quality_rating": _set_quality,
}


def _same(a: Any, b: Any) -> bool:
    if isinstance(a, float) and isinstance(b, float) and math.isnan(a) and math.isnan(b):
        return True
    return a == b


def service_to_oruk(row: Mapping[str, Any], original: Mapping | None = None) -> dict:
    """One ORUK service for a careties row; parts of ``original`` careties left alone stay as they were."""
    if original is None:
        out: dict[str, Any] = {"id": service_uuid(row["service_id"]), "name": row["name"]}
        out["status"] = row["status"]
        _set_reference(out, row)
        for column in (
            "description",
            "service_type",
            "eligibility",
            "cost",
            "contact",
            "area",
            "quality_rating",
        ):
            _SETTERS[column](out, row)
        if not out["attributes"]:
            out.pop("attributes")
        return out
    out = copy.deepcopy(dict(original))
    derived = row_of(out, row["la_code"])
    done: set = set()
    for column in FIELDS:
        setter = _SETTERS[column]
        if not _same(derived[column], row[column]) and setter not in done:
            setter(out, row)
            done.add(setter)
    return out


def frame_to_oruk(
    frame: pl.DataFrame, originals: Mapping[str, Mapping] | None = None
) -> list[dict]:
    """Fully nested ORUK services for a canonical ``services`` frame, in its order."""
    originals = originals or {}
    return [
        service_to_oruk(row, originals.get(row["service_id"]))
        for row in frame.select(FIELDS).iter_rows(named=True)
    ]
