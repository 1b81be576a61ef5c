"""The Open Referral UK read-only API: ``GET /services`` and ``GET /services/{id}``.

Shapes follow the UK profile's OpenAPI (OpenReferralUK/uk-profile,
``schema/openapi.json``): the list is a ``Page`` (total_items, total_pages,
page_number, size, first_page, last_page, empty, contents) of services with
their one-to-one fields; one service comes fully nested. A local directory is
public information meant for other systems to read, so the API needs no login
unless ``CARETIES_ORUK_PUBLIC`` is set to False.
"""

from __future__ import annotations

import polars as pl
from django.conf import settings
from django.http import JsonResponse
from django.views.decorators.http import require_GET

from careties.planning.directory import (
    HSDS_VERSION,
    PROFILE_URI,
    list_item,
    page_of,
    search_services,
)
from careties.web import selectors as store_selectors

from .. import services

MAX_PER_PAGE = 200


def _error(status: int, message: str) -> JsonResponse:
    return JsonResponse({"code": status, "message": message}, status=status)


def _allowed(request) -> bool:
    return getattr(settings, "CARETIES_ORUK_PUBLIC", True) or request.user.is_authenticated


def _positive(request, name: str, default: int) -> int | None:
    raw = request.GET.get(name, str(default))
    return int(raw) if raw.isdigit() and int(raw) > 0 else None


def _term_ids(document: dict) -> set[str]:
    ids = set()
    for attribute in document.get("attributes") or []:
        ids.add(str(attribute.get("taxonomy_term_id")))
        ids.add(str((attribute.get("taxonomy_term") or {}).get("id")))
    return ids


@require_GET
def root(request):
    return JsonResponse(
        {
            "version": HSDS_VERSION,
            "profile": PROFILE_URI,
            "openapi_url": PROFILE_URI + "/blob/main/schema/openapi.json",
        }
    )


@require_GET
def service_list(request):
    if not _allowed(request):
        return _error(401, "Log in to read the directory.")
    page, per_page = _positive(request, "page", 1), _positive(request, "per_page", 50)
    if page is None or per_page is None:
        return _error(400, "page and per_page must be whole numbers of 1 or more.")
    per_page = min(per_page, MAX_PER_PAGE)
    frame = store_selectors.load_frame("services")
    frame = search_services(frame, request.GET.get("search", ""), include_closed=True)
    documents = services.export_directory(frame.sort("name"))
    term = request.GET.get("taxonomy_term_id", "").strip()
    if term:
        documents = [d for d in documents if term in _term_ids(d)]
    return JsonResponse(page_of([list_item(d) for d in documents], page, per_page))


@require_GET
def service_detail(request, service_id: str):
    if not _allowed(request):
        return _error(401, "Log in to read the directory.")
    frame = store_selectors.load_frame("services").filter(pl.col("service_id") == service_id)
    if frame.height == 0:
        return _error(404, f"No service with id {service_id}.")
    return JsonResponse(services.export_directory(frame)[0])
