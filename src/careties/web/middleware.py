"""Refuse requests carrying NUL bytes, once, before any view sees them.

No browser sends a NUL in a form field, query or path, and PostgreSQL refuses
NUL in any text it is given, so a NUL that reached a query or the audit log
became a server error. Hypothesis found one in the survey forms; rather than
guard every view, the request is refused at the door with 400 Bad Request.
"""

from __future__ import annotations

from django.http import HttpRequest, HttpResponse, HttpResponseBadRequest


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
