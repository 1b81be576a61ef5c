"""The Open Referral UK API's lists and filters, as pure functions over exported services.

The profile's OpenAPI (stored in :mod:`careties.planning.oruk_schema`) names the
query parameters each list endpoint takes. Every one is either honoured here or
refused by :func:`parse_query` with a message that says why: a client must never
get an unfiltered list believing it filtered. Parameters the OpenAPI gives for
no list careties serves (``minimal``, ``full``, ``modified_after``, ...) and
unknown ones are refused the same way.

Filters, as the OpenAPI words them:

- ``search``: every word, in the name, type, description or eligibility;
- ``taxonomy_term_id``: a service with an attribute linking that term;
- ``taxonomy_id``: a service with any term of that taxonomy (by UUID, or
  careties' taxonomy name such as ``careties:service_type``);
- ``minimum_age`` / ``maximum_age``: the service's own minimum age is at least,
  its maximum age at most, the value (a service that states none is left out);
- ``day`` / ``start_time`` / ``end_time``: one of the service's schedules runs on
  that day (``MO`` .. ``SU`` or the day's name), opens at or after the start
  time and closes at or before the end time;
- ``postcode`` / ``proximity`` (``/service_at_locations`` only): locations within
  ``proximity`` metres of the postcode's centroid, nearest first; a postcode
  alone orders by distance; ``proximity`` without a postcode is refused.
"""

from __future__ import annotations

import math
import re
from collections.abc import Mapping
from dataclasses import dataclass, field

from careties.planning.oruk_common import CARETIES_TAXONOMIES, is_uuid, taxonomy_uuid
from careties.planning.places import haversine_m

__all__ = [
    "LIST_PARAMETERS",
    "Query",
    "filter_services",
    "list_item",
    "parse_query",
    "service_at_location_detail",
    "service_at_location_items",
    "taxonomies",
    "taxonomy_terms",
]

MAX_PER_PAGE = 200

#: One-to-one service fields: what ``GET /services`` lists (``service_list.json``).
LIST_FIELDS = (
    "id",
    "organization_id",
    "name",
    "description",
    "url",
    "email",
    "status",
    "fees",
    "accreditations",
    "minimum_age",
    "maximum_age",
    "assured_date",
    "assurer_email",
    "alert",
    "last_modified",
    "organization",
)
LOCATION_FIELDS = (
    "id",
    "location_type",
    "name",
    "description",
    "latitude",
    "longitude",
    "external_identifier",
    "external_identifier_type",
)

_SERVICE_FILTERS = (
    "search",
    "page",
    "per_page",
    "taxonomy_term_id",
    "taxonomy_id",
    "minimum_age",
    "maximum_age",
    "start_time",
    "end_time",
    "day",
)
#: The query parameters the OpenAPI gives each list path, all honoured.
LIST_PARAMETERS: dict[str, tuple[str, ...]] = {
    "/services": _SERVICE_FILTERS,
    "/service_at_locations": (*_SERVICE_FILTERS, "postcode", "proximity"),
    "/taxonomies": ("page", "per_page"),
    "/taxonomy_terms": ("page", "per_page"),
}
DAYS = {
    "MO": "monday",
    "TU": "tuesday",
    "WE": "wednesday",
    "TH": "thursday",
    "FR": "friday",
    "SA": "saturday",
    "SU": "sunday",
}
_TIME = re.compile(r"^([01]\d|2[0-3]):([0-5]\d)(?::([0-5]\d))?$")


@dataclass
class Query:
    """A list request's parameters, checked."""

    page: int = 1
    per_page: int = 50
    search: str = ""
    taxonomy_term_id: str = ""
    taxonomy_id: str = ""
    minimum_age: float | None = None
    maximum_age: float | None = None
    day: str = ""
    start_time: str = ""
    end_time: str = ""
    postcode: str = ""
    proximity: float | None = None
    errors: list[str] = field(default_factory=list)


def _time(raw: str) -> str | None:
    match = _TIME.match(raw)
    return f"{match[1]}:{match[2]}:{match[3] or '00'}" if match else None


def parse_query(path: str, params: Mapping[str, str]) -> Query:
    """The checked parameters of a list request to ``path``; ``errors`` says what was refused."""
    allowed = LIST_PARAMETERS[path]
    query = Query()
    for name in params:
        if name not in allowed:
            query.errors.append(f"{name} is not a filter of {path}; it takes {', '.join(allowed)}.")
    for name in ("page", "per_page"):
        raw = params.get(name)
        if raw is not None:
            # isdigit() alone accepts "²" (int() then fails) and 5,000-digit numbers.
            if not (raw.isascii() and raw.isdigit() and len(raw) <= 9) or int(raw) < 1:
                query.errors.append(f"{name} must be a whole number of 1 or more, not {raw!r}.")
            else:
                setattr(
                    query, name, min(int(raw), MAX_PER_PAGE) if name == "per_page" else int(raw)
                )
    for name in ("search", "taxonomy_term_id", "taxonomy_id", "postcode"):
        setattr(query, name, (params.get(name) or "").strip())
    for name in ("minimum_age", "maximum_age", "proximity"):
        raw = params.get(name)
        if raw is None:
            continue
        try:
            value = float(raw)
        except ValueError:
            value = math.nan
        if not math.isfinite(value) or value < 0:
            query.errors.append(f"{name} must be a number of 0 or more, not {raw!r}.")
        else:
            setattr(query, name, value)
    day = (params.get("day") or "").strip()
    if day:
        code = day[:2].upper() if day.lower() in DAYS.values() else day.upper()
        if code not in DAYS:
            query.errors.append(
                f"day must be MO, TU, WE, TH, FR, SA or SU (or a day's name), not {day!r}."
            )
        query.day = code
    for name in ("start_time", "end_time"):
        raw = (params.get(name) or "").strip()
        if raw:
            value = _time(raw)
            if value is None:
                query.errors.append(f"{name} must be a time as HH:MM or HH:MM:SS, not {raw!r}.")
            setattr(query, name, value or "")
    if query.proximity is not None and not query.postcode:
        query.errors.append("proximity needs a postcode to measure from.")
    return query


def _terms(service: Mapping) -> list[dict]:
    out = []
    for attribute in service.get("attributes") or []:
        term = attribute.get("taxonomy_term") if isinstance(attribute, dict) else None
        if isinstance(term, dict):
            out.append(term)
    return out


def _has_term(service: Mapping, term_id: str) -> bool:
    for attribute in service.get("attributes") or []:
        if term_id in (
            attribute.get("taxonomy_term_id"),
            (attribute.get("taxonomy_term") or {}).get("id"),
        ):
            return True
    return False


def _has_taxonomy(service: Mapping, taxonomy: str) -> bool:
    return any(taxonomy in (t.get("taxonomy_id"), t.get("taxonomy")) for t in _terms(service))


def _schedule_matches(schedule: Mapping, query: Query) -> bool:
    if query.day:
        days = {d.strip().upper()[-2:] for d in str(schedule.get("byday") or "").split(",")}
        if query.day not in days:
            return False
    opens, closes = (
        _time(str(schedule.get("opens_at") or "")),
        _time(str(schedule.get("closes_at") or "")),
    )
    if query.start_time and (opens is None or opens < query.start_time):
        return False
    return not (query.end_time and (closes is None or closes > query.end_time))


def filter_services(documents: list[dict], query: Query) -> list[dict]:
    """Services (fully nested) that pass every filter in ``query`` except ``search`` and place."""
    out = []
    for service in documents:
        if query.taxonomy_term_id and not _has_term(service, query.taxonomy_term_id):
            continue
        if query.taxonomy_id and not _has_taxonomy(service, query.taxonomy_id):
            continue
        low, high = service.get("minimum_age"), service.get("maximum_age")
        if query.minimum_age is not None and (low is None or low < query.minimum_age):
            continue
        if query.maximum_age is not None and (high is None or high > query.maximum_age):
            continue
        if (query.day or query.start_time or query.end_time) and not any(
            isinstance(s, dict) and _schedule_matches(s, query)
            for s in service.get("schedules") or []
        ):
            continue
        out.append(service)
    return out


def list_item(service: Mapping) -> dict:
    """The one-to-one fields ``GET /services`` lists (ORUK ``service_list.json``)."""
    return {k: service[k] for k in LIST_FIELDS if k in service}


def _locations(service: Mapping) -> list[tuple[dict, dict]]:
    out = []
    for sal in service.get("service_at_locations") or []:
        if isinstance(sal, dict) and isinstance(sal.get("location"), dict):
            out.append((sal, sal["location"]))
    return out


def service_at_location_items(
    documents: list[dict],
    origin: tuple[float, float] | None = None,
    proximity: float | None = None,
) -> list[dict]:
    """One-to-one service_at_location items (``service_at_location_list.json``), with distances.

    With an ``origin`` (latitude, longitude), items are nearest first, those
    whose location has no coordinates last; with ``proximity`` (metres) too,
    only those within it. ``distance`` (metres, whole) is careties' addition.
    """
    items = []
    for service in documents:
        for sal, location in _locations(service):
            item = {
                "id": sal["id"],
                "service_id": service["id"],
                "location_id": location["id"],
                "location": {k: location[k] for k in LOCATION_FIELDS if k in location},
                "service": list_item(service),
            }
            lat, lon = location.get("latitude"), location.get("longitude")
            if (
                origin is not None
                and isinstance(lat, (int, float))
                and isinstance(lon, (int, float))
            ):
                item["distance"] = round(haversine_m(origin, (lat, lon)))
            items.append(item)
    if origin is None:
        return items
    if proximity is not None:
        items = [i for i in items if "distance" in i and i["distance"] <= proximity]
    return sorted(items, key=lambda i: (i.get("distance") is None, i.get("distance", 0)))


def service_at_location_detail(documents: list[dict], sal_id: str) -> dict | None:
    """The fully nested service_at_location ``sal_id``, or None.

    The OpenAPI names ``compiled/service.json`` as this path's response, though
    the standard's own example is a service_at_location: the answer carries the
    service's ``name`` and ``status`` at the top too, so it is valid against both.
    """
    for service in documents:
        for sal, location in _locations(service):
            if sal["id"] == sal_id:
                nested = {k: v for k, v in service.items() if k != "service_at_locations"}
                return {
                    "id": sal["id"],
                    "service_id": service["id"],
                    "location_id": location["id"],
                    "name": service["name"],
                    "status": service["status"],
                    "location": location,
                    "service": nested,
                }
    return None


def taxonomy_terms(documents: list[dict]) -> list[dict]:
    """Every taxonomy term the services use, once each, by name."""
    seen: dict[str, dict] = {}
    for service in documents:
        for term in _terms(service):
            if is_uuid(term.get("id")) and term["id"] not in seen:
                seen[term["id"]] = {
                    k: term[k]
                    for k in (
                        "id",
                        "name",
                        "description",
                        "parent_id",
                        "taxonomy",
                        "taxonomy_id",
                        "term_uri",
                        "term",
                    )
                    if k in term
                }
    return sorted(seen.values(), key=lambda t: (str(t.get("taxonomy")), t["name"]))


def taxonomies(documents: list[dict]) -> list[dict]:
    """The taxonomies the services' terms belong to (careties' own described)."""
    found: dict[str, dict] = {}
    for term in taxonomy_terms(documents):
        name = term.get("taxonomy")
        taxonomy_id = term.get("taxonomy_id") or (taxonomy_uuid(name) if name else None)
        if not is_uuid(taxonomy_id) or taxonomy_id in found:
            continue
        found[taxonomy_id] = {
            "id": taxonomy_id,
            "name": name or f"Taxonomy {taxonomy_id}",
            "description": CARETIES_TAXONOMIES.get(name or "", f"Terms of {name or taxonomy_id}."),
        }
    return sorted(found.values(), key=lambda t: t["name"])
