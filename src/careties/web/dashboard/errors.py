"""403, 404 and 500 pages inside the layout, each with a way back.

Django calls these for every refused, missing or failed request (``handler403``
and friends in ``careties.web.urls``). The 500 page draws no header: whatever
failed may be what the header needs (the database), so it must not fail again.
"""

from __future__ import annotations

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render

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


def _page(request: HttpRequest, status: int, plain: bool = False) -> HttpResponse:
    title, body = _PAGES[status]
    context = {"status": status, "error_title": title, "error_body": body}
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
