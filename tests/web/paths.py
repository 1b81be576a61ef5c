"""Page addresses for the web tests, by the URL names the views are known by (issue 20).

A test names the page it means (``url("bcf:goals", la=HOME)``) rather than spelling
its path, so it reads like the service and follows a path that moves. A literal path
stays only where the path itself is what a test checks (the ORUK API's paths fixed
by the standard, the survey link printed on letters, the log-in address public links
use), with a comment saying so.
"""

from __future__ import annotations

from collections.abc import Mapping
from urllib.parse import urlencode

from django.urls import reverse


def url(
    name: str,
    *,
    la: str | None = None,
    query: Mapping[str, object] | None = None,
    **kwargs: object,
) -> str:
    """``reverse(name, kwargs=kwargs)``, then ``?la=`` (the council a page is for) and ``query``.

    ``la`` comes first in the query string, as the pages' own links write it.
    """
    path = reverse(name, kwargs=kwargs or None)
    params = ({"la": la} if la is not None else {}) | dict(query or {})
    return f"{path}?{urlencode(params)}" if params else path
