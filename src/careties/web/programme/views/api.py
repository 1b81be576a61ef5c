"""The Open Referral UK read-only API: every endpoint of the UK profile's OpenAPI.

``/``, ``/services``, ``/services/{id}``, ``/taxonomies``, ``/taxonomies/{id}``,
``/taxonomy_terms``, ``/taxonomy_terms/{id}``, ``/service_at_locations`` and
``/service_at_locations/{id}``. Shapes follow the stored OpenAPI
(:mod:`careties.planning.oruk_schema`); lists are ``Page`` envelopes; every
filter the OpenAPI gives a path is honoured or refused with a 400 that says
why (:func:`careties.planning.oruk_api.parse_query`). A local directory is
public information meant for other systems to read, so the API needs no login
unless ``CARETIES_ORUK_PUBLIC`` is False, and every answer (errors too) carries
``Access-Control-Allow-Origin: *`` as the UK profile asks of a public API.
"""

from __future__ import annotations

import functools

import polars as pl
from django.conf import settings
from django.core.paginator import EmptyPage, Paginator
from django.http import HttpResponse, JsonResponse
from django.urls import reverse

from careties.planning import oruk_api
from careties.planning.directory import HSDS_VERSION, PROFILE_URI, search_services
from careties.planning.oruk_common import area_councils, is_uuid, service_uuid
from careties.planning.oruk_schema import openapi as published
from careties.web import access

from .. import places, selectors

CORS = {
    "Access-Control-Allow-Origin": "*",
    "Access-Control-Allow-Methods": "GET, HEAD, OPTIONS",
    "Access-Control-Allow-Headers": "Accept, Content-Type",
}


def _error(status: int, message: str) -> JsonResponse:
    return JsonResponse({"code": status, "message": message}, status=status)


class Refused(Exception):
    """``Refused(status, message)``: a request the API answers with an error that says why."""


def oruk_endpoint(view):
    """GET/HEAD only (OPTIONS answers a browser's pre-flight), login if not public, CORS always.

    Public on purpose (``access.public``): a local directory is published information.
    A view's :class:`Refused` becomes the profile's JSON error.
    """

    @functools.wraps(view)
    def wrapped(request, *args, **kwargs):
        if request.method == "OPTIONS":
            response = HttpResponse(status=204)
        elif request.method not in ("GET", "HEAD"):
            response = _error(405, "The Open Referral UK API is read-only: use GET.")
            response["Allow"] = "GET, HEAD, OPTIONS"
        elif not (getattr(settings, "CARETIES_ORUK_PUBLIC", True) or request.user.is_authenticated):
            response = _error(401, "Log in to read the directory.")
        else:
            try:
                response = view(request, *args, **kwargs)
            except Refused as refused:
                response = _error(*refused.args)
        for header, value in CORS.items():
            response[header] = value
        return response

    return access.public(wrapped)


def oruk_list(path: str):
    """Declare a list endpoint of ``path``: the view gets the parsed query, returns its items.

    Every filter the OpenAPI gives the path is honoured or refused with a 400
    naming each refused one; the items are answered in the profile's page envelope.
    """

    def decorate(view):
        @oruk_endpoint
        @functools.wraps(view)
        def listed(request):
            query = oruk_api.parse_query(path, request.GET)
            if query.errors:
                raise Refused(400, " ".join(query.errors))
            return JsonResponse(page_of(view(request, query), query.page, query.per_page))

        return listed

    return decorate


def _documents(search: str = "") -> list[dict]:
    """Every service in the store as fully nested ORUK, in name order (search applied)."""
    frame = selectors.services_frame()
    if search:
        frame = search_services(frame, search, include_closed=True)
    return places.located_documents(frame.sort("name", "service_id"))


def page_of(items: list, page: int, per_page: int) -> dict:
    """ORUK's page envelope (``Page`` in its OpenAPI) around one page of ``items``.

    Django's ``Paginator`` cuts the page; a page past the last is empty, as the
    profile has it, not an error.
    """
    paginator = Paginator(items, per_page)
    try:
        contents = list(paginator.page(page).object_list)
    except EmptyPage:
        contents = []
    return {
        "total_items": paginator.count,
        "total_pages": paginator.num_pages,
        "page_number": page,
        "size": len(contents),
        "first_page": page == 1,
        "last_page": page >= paginator.num_pages,
        "empty": not contents,
        "contents": contents,
    }


def _services(query: oruk_api.Query) -> list[dict]:
    """The services a list's query asks for, fully nested, in name order."""
    return oruk_api.filter_services(_documents(query.search), query)


@oruk_endpoint
def root(request):
    return JsonResponse(
        {
            "version": HSDS_VERSION,
            "profile": PROFILE_URI,
            "openapi_url": request.build_absolute_uri(reverse("oruk_openapi")),
        }
    )


@oruk_endpoint
def openapi(request):
    """The profile's OpenAPI as published (stored copy): what this API follows."""
    return JsonResponse(published())


@oruk_list("/services")
def service_list(request, query) -> list[dict]:
    return [oruk_api.list_item(d) for d in _services(query)]


@oruk_endpoint
def service_detail(request, service_id: str):
    """One service, fully nested, by its UUID (or the council's own reference)."""
    frame = selectors.services_frame()
    ids = frame["service_id"].to_list()
    wanted = service_id.lower() if is_uuid(service_id) else None
    match = [i for i in ids if i == service_id or (wanted and service_uuid(i) == wanted)]
    if not match:
        raise Refused(404, f"No service with id {service_id}.")
    return JsonResponse(places.located_documents(frame.filter(pl.col("service_id") == match[0]))[0])


@oruk_list("/service_at_locations")
def service_at_location_list(request, query) -> list[dict]:
    documents = _services(query)
    origin = None
    if query.postcode:
        origin = places.postcode_centroid(query.postcode, _documents())
        if origin is None:
            raise Refused(
                400,
                f"postcode {query.postcode!r} is not in the council's postcode file "
                "nor at any service location, so distances cannot be measured from it.",
            )
        council = places.postcode_council(query.postcode)
        if council:
            # The OpenAPI: only services whose service area holds the postcode (when known).
            documents = [
                d for d in documents if not area_councils(d) or council in area_councils(d)
            ]
    return oruk_api.service_at_location_items(documents, origin, query.proximity)


@oruk_endpoint
def service_at_location_detail(request, sal_id: str):
    found = oruk_api.service_at_location_detail(_documents(), sal_id)
    if found is None:
        raise Refused(404, f"No service at location with id {sal_id}.")
    return JsonResponse(found)


@oruk_list("/taxonomies")
def taxonomy_list(request, query) -> list[dict]:
    return oruk_api.taxonomies(_documents())


@oruk_endpoint
def taxonomy_detail(request, taxonomy_id: str):
    documents = _documents()
    found = [t for t in oruk_api.taxonomies(documents) if t["id"] == taxonomy_id]
    if not found:
        raise Refused(404, f"No taxonomy with id {taxonomy_id}.")
    terms = [t for t in oruk_api.taxonomy_terms(documents) if t.get("taxonomy_id") == taxonomy_id]
    return JsonResponse({**found[0], "taxonomy_terms": terms})


@oruk_list("/taxonomy_terms")
def taxonomy_term_list(request, query) -> list[dict]:
    return oruk_api.taxonomy_terms(_documents())


@oruk_endpoint
def taxonomy_term_detail(request, term_id: str):
    found = [t for t in oruk_api.taxonomy_terms(_documents()) if t["id"] == term_id]
    if not found:
        raise Refused(404, f"No taxonomy term with id {term_id}.")
    return JsonResponse(found[0])


@oruk_endpoint
def not_found(request):
    return _error(404, f"{request.path} is not a path of the Open Referral UK API.")
