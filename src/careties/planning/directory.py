"""Local services in the Open Referral UK (ORUK) data standard, to and from careties' frame.

ORUK is the UK profile of the Human Services Data Specification 3.0
(OpenReferralUK/uk-profile: ``schema/compiled/service.json`` and
``schema/openapi.json``). careties keeps a service as one row of the canonical
``services`` frame (:data:`careties.data.frames.CANONICAL`); this module maps
between that row and a fully nested ORUK service:

========================  ==========================================================
careties column           ORUK service
========================  ==========================================================
``service_id``            ``id``
``name``                  ``name``
``description``           ``description`` ("" when absent)
``status``                ``status`` (active, inactive, defunct, temporarily closed)
``service_type``          an ``attributes[]`` item whose ``taxonomy_term.taxonomy`` is
                          ``careties:service_type`` (``term`` holds the code); from a
                          file without one, the first taxonomy term's name, as a code
``eligibility``           ``attributes[]`` items with ``link_type`` ``eligibility``
                          (the term's ``description``); else ``minimum_age`` /
                          ``maximum_age`` as words
``cost``                  ``cost_options[]`` (``option``, ``amount``,
                          ``amount_description``); else the deprecated ``fees``
``contact``               ``contacts[]`` (``name``, ``title``); else ``email``, ``url``
``area``                  ``service_areas[0]`` (``service_area`` or ``name``); else the
                          first location's town (``addresses[0].city``) or name
``la_code``               ``service_areas[].uri`` ending in an ONS code
                          (statistics.data.gov.uk), or ``extent``; else the
                          importing council's code
``quality_rating``        an ``attributes[]`` item with taxonomy
                          ``careties:quality_rating`` (term ``1`` to ``5``)
========================  ==========================================================

Round trip. ``frame_to_oruk(oruk_to_frame(doc), originals=oruk_originals(doc))``
gives back ``doc``'s services unchanged, including every ORUK field careties does
not model (organisation, locations, schedules, languages, funding, ...): the
web layer keeps each imported service's original JSON beside the canonical row,
and on export only the parts whose careties value has changed are rewritten.
Without originals (a service created in careties), the export carries the
columns above and nothing else, and reads back to the same row.

Pure functions: no Django, no files. Import is all-or-nothing: every problem in
the document is collected, each named by its JSON path, and raised together in
one :class:`DirectoryFormatError`.
"""

from __future__ import annotations

import copy
import math
import re
from collections.abc import Iterable, Mapping
from typing import Any

import polars as pl

from careties.data.codes import LA_CODE_PATTERN
from careties.data.frames import CANONICAL

__all__ = [
    "DirectoryFormatError",
    "ORUK_STATUSES",
    "frame_to_oruk",
    "list_item",
    "oruk_originals",
    "oruk_to_frame",
    "page_of",
    "search_services",
    "service_to_oruk",
]

ORUK_STATUSES = ("active", "inactive", "defunct", "temporarily closed")
LOCATION_TYPES = ("physical", "postal", "virtual")
SERVICE_TYPE_TAXONOMY = "careties:service_type"
QUALITY_TAXONOMY = "careties:quality_rating"
ELIGIBILITY_LINK = "eligibility"
ONS_URI = "http://statistics.data.gov.uk/id/statistical-geography/"
HSDS_VERSION = "3.0"
PROFILE_URI = "https://github.com/OpenReferralUK/uk-profile"

FIELDS: tuple[str, ...] = tuple(CANONICAL["services"])

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


class DirectoryFormatError(ValueError):
    """An ORUK document that careties cannot import; ``problems`` lists every one found."""

    def __init__(self, problems: list[str]):
        self.problems = problems
        shown = "\n".join(f"- {p}" for p in problems[:50])
        more = f"\n(and {len(problems) - 50} more)" if len(problems) > 50 else ""
        super().__init__(
            f"The Open Referral UK file has {len(problems)} problem(s); nothing was imported:\n"
            f"{shown}{more}"
        )


def _slug(text: str) -> str:
    return re.sub(r"[^a-z0-9]+", "_", text.strip().lower()).strip("_") or "other"


def _text(value: Any) -> str | None:
    if value is None:
        return None
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    text = str(value).strip()
    return text or None


def _services_in(document: Any) -> list[tuple[str, Any]]:
    """(JSON path, service) pairs from a list, an API page (``contents``) or one service."""
    if isinstance(document, list):
        return [(f"$[{i}]", s) for i, s in enumerate(document)]
    if isinstance(document, dict):
        if isinstance(document.get("contents"), list):
            return [(f"$.contents[{i}]", s) for i, s in enumerate(document["contents"])]
        if "id" in document or "name" in document:
            return [("$", document)]
    raise DirectoryFormatError(
        [
            "$: expected a list of services, a page with 'contents', or one service object; "
            f"got {type(document).__name__}"
        ]
    )


def _attributes(service: Mapping) -> list[dict]:
    value = service.get("attributes")
    return [a for a in value if isinstance(a, dict)] if isinstance(value, list) else []


def _term(attribute: Mapping) -> dict:
    term = attribute.get("taxonomy_term")
    return term if isinstance(term, dict) else {}


def _check_required(obj: Any, path: str, fields: Iterable[str], problems: list[str]) -> bool:
    if not isinstance(obj, dict):
        problems.append(f"{path}: expected an object, got {type(obj).__name__}")
        return False
    for name in fields:
        if _text(obj.get(name)) is None:
            problems.append(f"{path}.{name}: required by Open Referral UK but missing or empty")
    return True


def _check_list(service: Mapping, key: str, path: str, problems: list[str]) -> list:
    value = service.get(key)
    if value is None:
        return []
    if not isinstance(value, list):
        problems.append(f"{path}.{key}: expected a list, got {type(value).__name__}")
        return []
    for i, item in enumerate(value):
        _check_required(item, f"{path}.{key}[{i}]", ("id",), problems)
    return value


def _validate_service(service: Any, path: str, problems: list[str]) -> bool:
    """Check what the profile requires of a service and the nested parts careties reads."""
    before = len(problems)
    if not _check_required(service, path, ("id", "name", "status"), problems):
        return False
    status = service.get("status")
    if _text(status) is not None and status not in ORUK_STATUSES:
        problems.append(f"{path}.status: {status!r} is not one of {', '.join(ORUK_STATUSES)}")
    if "organization" in service and service["organization"] is not None:
        _check_required(
            service["organization"], f"{path}.organization", ("id", "name", "description"), problems
        )
    for key in ("contacts", "cost_options", "service_areas", "schedules", "languages", "funding"):
        _check_list(service, key, path, problems)
    for i, attribute in enumerate(_check_list(service, "attributes", path, problems)):
        if isinstance(attribute, dict) and attribute.get("taxonomy_term") is not None:
            term_path = f"{path}.attributes[{i}].taxonomy_term"
            if _check_required(attribute["taxonomy_term"], term_path, ("id", "name"), problems):
                term = attribute["taxonomy_term"]
                if term.get("taxonomy") == QUALITY_TAXONOMY:
                    value = _text(term.get("term") or term.get("name"))
                    if value not in {"1", "2", "3", "4", "5"}:
                        problems.append(
                            f"{term_path}.term: quality rating must be 1 to 5, got {value!r}"
                        )
    for i, sal in enumerate(_check_list(service, "service_at_locations", path, problems)):
        location = sal.get("location") if isinstance(sal, dict) else None
        if location is None:
            continue
        loc_path = f"{path}.service_at_locations[{i}].location"
        if _check_required(location, loc_path, ("id", "location_type"), problems):
            kind = location.get("location_type")
            if _text(kind) is not None and kind not in LOCATION_TYPES:
                problems.append(
                    f"{loc_path}.location_type: {kind!r} is not one of {', '.join(LOCATION_TYPES)}"
                )
    for key in ("minimum_age", "maximum_age"):
        value = service.get(key)
        if value is not None and (isinstance(value, bool) or not isinstance(value, (int, float))):
            problems.append(f"{path}.{key}: expected a number, got {value!r}")
    return len(problems) == before


def _service_type(service: Mapping) -> str:
    attributes = _attributes(service)
    for attribute in attributes:
        term = _term(attribute)
        if term.get("taxonomy") == SERVICE_TYPE_TAXONOMY:
            return _slug(str(term.get("term") or term.get("name")))
    for attribute in attributes:
        term = _term(attribute)
        if (
            term
            and term.get("taxonomy") != QUALITY_TAXONOMY
            and attribute.get("link_type") != ELIGIBILITY_LINK
        ):
            return _slug(str(term.get("name")))
    return "other"


def _eligibility(service: Mapping) -> str | None:
    parts = [
        _text(_term(a).get("description")) or _text(_term(a).get("name"))
        for a in _attributes(service)
        if a.get("link_type") == ELIGIBILITY_LINK
    ]
    parts = [p for p in parts if p]
    if parts:
        return "; ".join(parts)
    low, high = service.get("minimum_age"), service.get("maximum_age")
    if low is not None and high is not None:
        return f"Aged {_text(low)} to {_text(high)}"
    if low is not None:
        return f"Aged {_text(low)} and over"
    if high is not None:
        return f"Aged up to {_text(high)}"
    return None


def _cost(service: Mapping) -> str | None:
    options = service.get("cost_options") or []
    parts = []
    for option in options:
        if not isinstance(option, dict):
            continue
        amount = option.get("amount")
        words = [
            _text(option.get("option")),
            f"£{amount:,.2f}".replace(".00", "") if isinstance(amount, (int, float)) else None,
            _text(option.get("amount_description")),
        ]
        text = " ".join(w for w in words if w)
        if text:
            parts.append(text)
    if parts:
        return "; ".join(parts)
    return _text(service.get("fees"))


def _contact(service: Mapping) -> str | None:
    parts = []
    for contact in service.get("contacts") or []:
        if not isinstance(contact, dict):
            continue
        name, title = _text(contact.get("name")), _text(contact.get("title"))
        text = ", ".join(p for p in (name, title) if p)
        if text:
            parts.append(text)
    if parts:
        return "; ".join(parts)
    return _text(service.get("email")) or _text(service.get("url"))


def _area_and_council(service: Mapping) -> tuple[str | None, str | None]:
    area, la_code = None, None
    for service_area in service.get("service_areas") or []:
        if not isinstance(service_area, dict):
            continue
        area = area or _text(service_area.get("service_area")) or _text(service_area.get("name"))
        for candidate in (service_area.get("uri"), service_area.get("extent")):
            code = (_text(candidate) or "").rsplit("/", 1)[-1]
            if la_code is None and LA_CODE_PATTERN.match(code):
                la_code = code
    if area is None:
        for sal in service.get("service_at_locations") or []:
            location = sal.get("location") if isinstance(sal, dict) else None
            if not isinstance(location, dict):
                continue
            addresses = location.get("addresses") or []
            city = (
                _text(addresses[0].get("city"))
                if addresses and isinstance(addresses[0], dict)
                else None
            )
            area = city or _text(location.get("name"))
            if area:
                break
    return area, la_code


def _quality(service: Mapping) -> int | None:
    for attribute in _attributes(service):
        term = _term(attribute)
        if term.get("taxonomy") == QUALITY_TAXONOMY:
            return int(_text(term.get("term") or term.get("name")))
    return None


def _row(service: Mapping, default_la_code: str | None) -> dict[str, Any]:
    area, la_code = _area_and_council(service)
    return {
        "service_id": _text(service["id"]),
        "name": _text(service["name"]),
        "service_type": _service_type(service),
        "description": _text(service.get("description")) or "",
        "eligibility": _eligibility(service),
        "cost": _cost(service),
        "contact": _contact(service),
        "area": area,
        "la_code": la_code or default_la_code,
        "quality_rating": _quality(service),
        "status": service["status"],
    }


def oruk_to_frame(document: Any, *, default_la_code: str | None = None) -> pl.DataFrame:
    """The canonical ``services`` frame for an ORUK document; raises :class:`DirectoryFormatError`.

    ``document`` is parsed JSON: a list of services, an API page (``contents``) or
    one service. ``default_la_code`` is the council a service belongs to when the
    file does not say (no ONS code in its ``service_areas``).
    """
    problems: list[str] = []
    rows: list[dict] = []
    seen: dict[str, str] = {}
    for path, service in _services_in(document):
        raw_id = _text(service.get("id")) if isinstance(service, dict) else None
        if raw_id is not None and raw_id in seen:
            problems.append(f"{path}.id: {raw_id!r} already used at {seen[raw_id]}")
            continue
        if raw_id is not None:
            seen[raw_id] = path
        if not _validate_service(service, path, problems):
            continue
        row = _row(service, default_la_code)
        if row["la_code"] is None:
            problems.append(
                f"{path}.service_areas: no council (ONS) code, and none was given for the import"
            )
        elif not LA_CODE_PATTERN.match(row["la_code"]):
            problems.append(f"{path}: council code {row['la_code']!r} is not an ONS council code")
        rows.append(row)
    if problems:
        raise DirectoryFormatError(problems)
    return pl.DataFrame(rows, schema=CANONICAL["services"])


def oruk_originals(document: Any) -> dict[str, dict]:
    """Each service's original JSON by id, to keep what careties does not model."""
    return {
        str(s["id"]).strip(): copy.deepcopy(s)
        for _, s in _services_in(document)
        if isinstance(s, dict) and s.get("id") is not None
    }


def _attribute(service_id: str, kind: str, term: dict, link_type: str) -> dict:
    return {
        "id": f"{service_id}-{kind}",
        "link_id": service_id,
        "link_type": link_type,
        "taxonomy_term_id": term["id"],
        "taxonomy_term": term,
    }


def _set_service_type(out: dict, row: Mapping) -> None:
    attrs = [a for a in _attributes(out) if _term(a).get("taxonomy") != SERVICE_TYPE_TAXONOMY]
    code = row["service_type"] or "other"
    label = code.replace("_", " ").capitalize()
    term = {
        "id": f"careties-service-type-{code}",
        "name": label,
        "description": label,
        "taxonomy": SERVICE_TYPE_TAXONOMY,
        "term": code,
    }
    out["attributes"] = [_attribute(row["service_id"], "type", term, "service_type"), *attrs]


def _set_eligibility(out: dict, row: Mapping) -> None:
    attrs = [a for a in _attributes(out) if a.get("link_type") != ELIGIBILITY_LINK]
    if row["eligibility"]:
        term = {
            "id": f"{row['service_id']}-eligibility",
            "name": "Eligibility",
            "description": row["eligibility"],
        }
        attrs.append(_attribute(row["service_id"], "eligibility", term, ELIGIBILITY_LINK))
    out["attributes"] = attrs


def _set_quality(out: dict, row: Mapping) -> None:
    attrs = [a for a in _attributes(out) if _term(a).get("taxonomy") != QUALITY_TAXONOMY]
    rating = row["quality_rating"]
    if rating is not None:
        term = {
            "id": f"careties-quality-{rating}",
            "name": str(rating),
            "description": f"Quality rating {rating} of 5",
            "taxonomy": QUALITY_TAXONOMY,
            "term": str(rating),
        }
        attrs.append(_attribute(row["service_id"], "quality", term, "quality_rating"))
    out["attributes"] = attrs


def _set_cost(out: dict, row: Mapping) -> None:
    out.pop("fees", None)
    if row["cost"]:
        out["cost_options"] = [{"id": f"{row['service_id']}-cost", "option": row["cost"]}]
    else:
        out.pop("cost_options", None)


def _set_contact(out: dict, row: Mapping) -> None:
    if row["contact"]:
        out["contacts"] = [{"id": f"{row['service_id']}-contact", "name": row["contact"]}]
    else:
        out.pop("contacts", None)


def _set_area(out: dict, row: Mapping) -> None:
    area = {"id": f"{row['service_id']}-area"}
    if row["area"]:
        area.update(name=row["area"], service_area=row["area"])
    if row["la_code"]:
        area["uri"] = ONS_URI + row["la_code"]
    out["service_areas"] = [area]


def _set_plain(key: str):
    def setter(out: dict, row: Mapping) -> None:
        value = row[key if key != "id" else "service_id"]
        if value in (None, "") and key == "description":
            out.pop(key, None)
        else:
            out[key] = value

    return setter


#: How each careties column is written into an ORUK service.
_SETTERS = {
    "service_id": _set_plain("id"),
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
        out: dict[str, Any] = {
            "id": row["service_id"],
            "name": row["name"],
            "status": row["status"],
        }
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
        return out
    out = copy.deepcopy(dict(original))
    derived = _row(out, row["la_code"])
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


def list_item(service: Mapping) -> dict:
    """The one-to-one fields ``GET /services`` lists (ORUK ``service_list.json``)."""
    return {k: service[k] for k in LIST_FIELDS if k in service}


def page_of(items: list, page: int, per_page: int) -> dict:
    """ORUK's page envelope (``Page`` in its OpenAPI) around one page of ``items``."""
    total = len(items)
    total_pages = max(1, math.ceil(total / per_page))
    start = (page - 1) * per_page
    contents = items[start : start + per_page]
    return {
        "total_items": total,
        "total_pages": total_pages,
        "page_number": page,
        "size": len(contents),
        "first_page": page == 1,
        "last_page": page >= total_pages,
        "empty": len(contents) == 0,
        "contents": contents,
    }


def search_services(
    services: pl.DataFrame,
    need: str = "",
    area: str = "",
    service_type: str = "",
    *,
    include_closed: bool = False,
) -> pl.DataFrame:
    """Services that meet a need in an area, best rated first: the GP-facing search.

    ``need`` is free text matched (every word, case-insensitively) against the
    name, type, description and eligibility; ``area`` against the area and the
    council code; ``service_type`` exactly. Inactive and defunct services are
    left out unless ``include_closed``: a GP should not sign-post to a service
    that has gone.
    """
    result = services
    if not include_closed:
        result = result.filter(pl.col("status").is_in(["active", "temporarily closed"]))
    haystack = (
        pl.concat_str(
            [
                pl.col(c).fill_null("")
                for c in ("name", "service_type", "description", "eligibility")
            ],
            separator=" ",
        )
        .str.to_lowercase()
        .str.replace_all("_", " ")
    )
    for word in need.lower().split():
        result = result.filter(haystack.str.contains(word, literal=True))
    if area.strip():
        wanted = area.strip().lower()
        result = result.filter(
            pl.col("area").fill_null("").str.to_lowercase().str.contains(wanted, literal=True)
            | (pl.col("la_code").str.to_lowercase() == wanted)
        )
    if service_type:
        result = result.filter(pl.col("service_type") == service_type)
    return result.sort(
        [pl.col("status") != "active", pl.col("quality_rating").fill_null(0), pl.col("name")],
        descending=[False, True, False],
    )


def signposting_by_practice(signposts: pl.DataFrame, services: pl.DataFrame) -> pl.DataFrame:
    """Knowledge of services in use, per practice: how many sign-posts, to how many services and types.

    The Home Truths GP surveys found half of GPs knew nothing of telecare where it
    existed; sign-posting to a wider range of services is the behaviour the
    programme hopes to see. ``types_share`` is the share of the directory's
    service types (active services) the practice has sign-posted to.
    """
    active_types = services.filter(pl.col("status") == "active")["service_type"].n_unique()
    typed = signposts.join(
        services.select("service_id", "service_type"), on="service_id", how="left"
    )
    return (
        typed.group_by("practice_code")
        .agg(
            pl.len().alias("signposts"),
            pl.col("service_id").n_unique().alias("services"),
            pl.col("service_type").drop_nulls().n_unique().alias("service_types"),
            pl.col("gp_professional_id").n_unique().alias("gps"),
            pl.col("signposted_on").max().alias("last_signposted_on"),
        )
        .with_columns(
            (
                pl.col("service_types") / active_types if active_types else pl.lit(None, pl.Float64)
            ).alias("types_share")
        )
        .sort("practice_code")
    )
