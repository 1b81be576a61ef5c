"""403, 404 and 500 pages inside the layout, each with a way back.

Django calls these for every refused, missing or failed request (``handler403``
and friends in ``careties.web.urls``). The 500 page draws no header: whatever
failed may be what the header needs (the database), so it must not fail again.
"""

from __future__ import annotations

import logging
import uuid

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render

log = logging.getLogger("careties.errors")

_PAGES = {
    403: (
        "You cannot open this page",
        "Your role in careties does not allow this page, or it belongs to another council.",
    ),
    404: (
        "Page not found",
        "If you typed the web address, check it is correct. "
        "If you pasted it, check you copied the whole address.",
    ),
    500: (
        "Sorry, there is a problem with careties",
        "Try again later. Nothing you entered on this page has been saved.",
    ),
}


def record_failure(sender: object, request: HttpRequest | None = None, **kwargs: object) -> None:
    """Give an unhandled error an id, logged with its traceback and shown on the 500 page.

    Connected to Django's ``got_request_exception`` (see ``DashboardConfig.ready``):
    a section or page that fails shows itself as an error with an id a user can
    quote, and the id finds the traceback in the log.
    """
    error_id = uuid.uuid4().hex[:12]
    if request is not None:
        request.careties_error_id = error_id
    path = getattr(request, "path", "?")
    log.error("error %s on %s", error_id, path, exc_info=True)


def _page(request: HttpRequest, status: int, plain: bool = False) -> HttpResponse:
    title, body = _PAGES[status]
    context = {
        "status": status,
        "error_title": title,
        "error_body": body,
        "error_id": getattr(request, "careties_error_id", ""),
    }
    if plain:
        # No header: the navigation's context processor then asks nothing of the database.
        request.careties_plain_page = True
    return render(request, "errors/page.jinja", context, status=status)


def forbidden(request: HttpRequest, exception: Exception | None = None) -> HttpResponse:
    return _page(request, 403)


def not_found(request: HttpRequest, exception: Exception | None = None) -> HttpResponse:
    return _page(request, 404)


def server_error(request: HttpRequest) -> HttpResponse:
    try:
        return _page(request, 500, plain=True)
    except Exception:  # noqa: BLE001 - the last resort must answer
        return HttpResponse(
            "<h1>Sorry, there is a problem with careties</h1><p><a href='/'>Go to the home page</a></p>",
            status=500,
        )
