"""Request and response rules every URL shares.

``NoStoreMiddleware``: pages hold council and practice figures, so no browser
or proxy may keep a copy (``Cache-Control: no-store``) once the user has
logged out; static files keep their own long-lived headers.
``OneLineForbidden``: a refused request (403) is an expected event, logged as
one line, not with a traceback that buries real errors.

``RefuseNulBytesMiddleware``: refuse requests carrying NUL bytes, once, before
any view sees them.

No browser sends a NUL in a form field, query or path, and PostgreSQL refuses
NUL in any text it is given, so a NUL that reached a query or the audit log
became a server error. Hypothesis found one in the survey forms; rather than
guard every view, the request is refused at the door with 400 Bad Request.
"""

from __future__ import annotations

import logging

from django.conf import settings
from django.http import HttpRequest, HttpResponse, HttpResponseBadRequest


class NoStoreMiddleware:
    def __init__(self, get_response) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        response = self.get_response(request)
        static = settings.STATIC_URL or "/static/"
        if not request.path.startswith(static if static.startswith("/") else f"/{static}"):
            response["Cache-Control"] = "no-store"
            response.headers.pop("Expires", None)
        return response


class OneLineForbidden(logging.Filter):
    """Drop the traceback from Django's "Forbidden" log records; keep the line."""

    def filter(self, record: logging.LogRecord) -> bool:
        if getattr(record, "status_code", None) == 403:
            record.exc_info = None
            record.exc_text = None
        return True


class RefuseNulBytesMiddleware:
    def __init__(self, get_response) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        if _has_nul(request):
            return HttpResponseBadRequest("Requests may not contain NUL characters.")
        return self.get_response(request)


def _has_nul(request: HttpRequest) -> bool:
    if "\x00" in request.path:
        return True
    for values in (request.GET, request.POST if request.method == "POST" else {}):
        for key in values:
            if "\x00" in key or any("\x00" in value for value in values.getlist(key)):
                return True
    return False
