"""Reading Open Referral UK services into careties' canonical ``services`` frame.

Every service is checked against the profile's published compiled schema
(``compiled/service.json``, stored in :mod:`careties.planning.oruk_schema`) with
jsonschema, formats included: a file that breaks the standard is refused, each
problem named by its JSON path. careties then checks what only it needs (a
council code, quality ratings of 1 to 5). Import is all-or-nothing: every
problem in the document is collected and raised together in one
:class:`DirectoryFormatError`. How each column is read is tabled in
:mod:`careties.planning.directory`.
"""

from __future__ import annotations

import copy
from collections.abc import Mapping
from typing import Any

import polars as pl

from careties.data.codes import LA_CODE_PATTERN
from careties.data.frames import CANONICAL
from careties.planning import oruk_schema
from careties.planning.oruk_common import (
    ELIGIBILITY_LINK,
    QUALITY_TAXONOMY,
    REFERENCE_TAXONOMY,
    SERVICE_TYPE_TAXONOMY,
    slug,
    text,
)

__all__ = ["DirectoryFormatError", "oruk_originals", "oruk_to_frame", "row_of"]


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


def services_in(document: Any) -> list[tuple[str, Any]]:
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


def attributes(service: Mapping) -> list[dict]:
    value = service.get("attributes")
    return [a for a in value if isinstance(a, dict)] if isinstance(value, list) else []


def term_of(attribute: Mapping) -> dict:
    term = attribute.get("taxonomy_term")
    return term if isinstance(term, dict) else {}


def _careties_checks(service: Mapping, path: str, problems: list[str]) -> None:
    """What careties needs beyond the schema: quality ratings it can read."""
    for i, attribute in enumerate(attributes(service)):
        term = term_of(attribute)
        if term.get("taxonomy") == QUALITY_TAXONOMY:
            value = text(term.get("term") or term.get("name"))
            if value not in {"1", "2", "3", "4", "5"}:
                problems.append(
                    f"{path}.attributes[{i}].taxonomy_term.term: quality rating must be 1 to 5, "
                    f"got {value!r}"
                )


def _reference(service: Mapping) -> str | None:
    for attribute in attributes(service):
        term = term_of(attribute)
        if term.get("taxonomy") == REFERENCE_TAXONOMY:
            return text(term.get("term") or term.get("name"))
    return None


def _service_type(service: Mapping) -> str:
    found = attributes(service)
    for attribute in found:
        term = term_of(attribute)
        if term.get("taxonomy") == SERVICE_TYPE_TAXONOMY:
            return slug(str(term.get("term") or term.get("name")))
    for attribute in found:
        term = term_of(attribute)
        if (
            term
            and term.get("taxonomy") not in (QUALITY_TAXONOMY, REFERENCE_TAXONOMY)
            and attribute.get("link_type") != ELIGIBILITY_LINK
        ):
            return slug(str(term.get("name")))
    return "other"


def _eligibility(service: Mapping) -> str | None:
    parts = [
        text(term_of(a).get("description")) or text(term_of(a).get("name"))
        for a in attributes(service)
        if a.get("link_type") == ELIGIBILITY_LINK
    ]
    parts = [p for p in parts if p]
    if parts:
        return "; ".join(parts)
    low, high = service.get("minimum_age"), service.get("maximum_age")
    if low is not None and high is not None:
        return f"Aged {text(low)} to {text(high)}"
    if low is not None:
        return f"Aged {text(low)} and over"
    if high is not None:
        return f"Aged up to {text(high)}"
    return None


def _cost(service: Mapping) -> str | None:
    parts = []
    for option in service.get("cost_options") or []:
        if not isinstance(option, dict):
            continue
        amount = option.get("amount")
        words = [
            text(option.get("option")),
            f"£{amount:,.2f}".replace(".00", "") if isinstance(amount, (int, float)) else None,
            text(option.get("amount_description")),
        ]
        joined = " ".join(w for w in words if w)
        if joined:
            parts.append(joined)
    if parts:
        return "; ".join(parts)
    return text(service.get("fees"))


def _contact(service: Mapping) -> str | None:
    parts = []
    for contact in service.get("contacts") or []:
        if not isinstance(contact, dict):
            continue
        name, title = text(contact.get("name")), text(contact.get("title"))
        joined = ", ".join(p for p in (name, title) if p)
        if joined:
            parts.append(joined)
    if parts:
        return "; ".join(parts)
    return text(service.get("email")) or text(service.get("url"))


def _area_and_council(service: Mapping) -> tuple[str | None, str | None]:
    area, la_code = None, None
    for service_area in service.get("service_areas") or []:
        if not isinstance(service_area, dict):
            continue
        area = area or text(service_area.get("service_area")) or text(service_area.get("name"))
        for candidate in (service_area.get("uri"), service_area.get("extent")):
            code = (text(candidate) or "").rsplit("/", 1)[-1]
            if la_code is None and LA_CODE_PATTERN.match(code):
                la_code = code
    if area is None:
        for sal in service.get("service_at_locations") or []:
            location = sal.get("location") if isinstance(sal, dict) else None
            if not isinstance(location, dict):
                continue
            addresses = location.get("addresses") or []
            city = (
                text(addresses[0].get("city"))
                if addresses and isinstance(addresses[0], dict)
                else None
            )
            area = city or text(location.get("name"))
            if area:
                break
    return area, la_code


def _quality(service: Mapping) -> int | None:
    for attribute in attributes(service):
        term = term_of(attribute)
        if term.get("taxonomy") == QUALITY_TAXONOMY:
            return int(text(term.get("term") or term.get("name")))
    return None


def row_of(service: Mapping, default_la_code: str | None) -> dict[str, Any]:
    """The canonical row for one (valid) ORUK service."""
    area, la_code = _area_and_council(service)
    return {
        "service_id": _reference(service) or text(service["id"]),
        "name": text(service["name"]),
        "service_type": _service_type(service),
        "description": text(service.get("description")) or "",
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
    for path, service in services_in(document):
        raw_id = text(service.get("id")) if isinstance(service, dict) else None
        if raw_id is not None and raw_id in seen:
            problems.append(f"{path}.id: {raw_id!r} already used at {seen[raw_id]}")
            continue
        if raw_id is not None:
            seen[raw_id] = path
        found = oruk_schema.problems(service, "service", path)
        if not found:
            _careties_checks(service, path, found)
        if found:
            problems.extend(found)
            continue
        row = row_of(service, default_la_code)
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
    """Each service's original JSON by careties service id, to keep what careties does not model."""
    out = {}
    for _, service in services_in(document):
        if isinstance(service, dict) and service.get("id") is not None:
            key = _reference(service) or str(service["id"]).strip()
            out[key] = copy.deepcopy(service)
    return out
