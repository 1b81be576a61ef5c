"""Guards on the anonymous survey: whose codes a wave may use, how fast and how often.

Survey links need no account, so they are where abuse would come from:

* A wave belongs to one council; a link or an imported CSV may only name that
  council's practices and teams (codes the store knows under another council
  are refused), or answers would be counted in another council's figures.
* ``SurveyThrottleMiddleware`` limits POSTs (saves and submissions) per link
  and client address, and per link overall, in a sliding fixed window held in
  the shared cache; a client over the limit gets 429 with a plain message.
* A shared (multi-use) link takes at most as many responses as the people it
  is for: the professionals the store lists for its organisation, or
  ``CARETIES_SURVEY_SHARED_LINK_CAP`` (30) when none are loaded. A stuffed
  link cannot invent the respondents that would lift a group over the floor.
* Abandoned drafts are deleted on a schedule the server runs itself: the
  middleware runs ``purge_drafts`` at most once an hour (a cache key marks the
  last run), so no cron job is needed.
"""

from __future__ import annotations

import re

from django.conf import settings
from django.core.cache import caches
from django.core.cache.backends.locmem import LocMemCache
from django.http import HttpRequest, HttpResponse

from careties.web.store.models import Practice, Professional
from careties.web.surveys.services import purge_drafts

SURVEY_POST = re.compile(r"^/s/(?P<token>[^/]{1,64})/")
PURGE_KEY = "careties:surveys:drafts-purged"
PURGE_EVERY_SECONDS = 3600
DEFAULT_LIMITS = {
    # (requests, seconds)
    "per_client": (60, 600),  # a respondent saves each section: 60 posts in 10 minutes is ample
    "per_link": (1_000, 3_600),
}
_fallback = LocMemCache("careties-throttle", {})


def _cache():
    """The shared cache, unless it keeps nothing (tests' dummy cache): then this process's."""
    cache = caches["default"]
    return _fallback if type(cache).__name__ == "DummyCache" else cache


def _limits() -> dict[str, tuple[int, int]]:
    return {**DEFAULT_LIMITS, **getattr(settings, "CARETIES_SURVEY_LIMITS", {})}


def over_limit(bucket: str, limit: int, seconds: int) -> bool:
    """Count one request in ``bucket``; True once the window holds more than ``limit``."""
    cache = _cache()
    key = f"careties:throttle:{bucket}"
    cache.add(key, 0, seconds)
    try:
        count = cache.incr(key)
    except ValueError:  # expired between add and incr
        cache.add(key, 1, seconds)
        count = 1
    return count > limit


def client_address(request: HttpRequest) -> str:
    return request.META.get("REMOTE_ADDR", "") or "unknown"


def purge_if_due() -> int:
    """Delete abandoned drafts if the last purge was over an hour ago; returns how many."""
    if not _cache().add(PURGE_KEY, 1, PURGE_EVERY_SECONDS):
        return 0

    return purge_drafts()


class SurveyThrottleMiddleware:
    def __init__(self, get_response) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        match = SURVEY_POST.match(request.path)
        if match:
            purge_if_due()
            if request.method == "POST":
                token = match["token"]
                limits = _limits()
                client = client_address(request)
                if over_limit(f"{token}:{client}", *limits["per_client"]) or over_limit(
                    token, *limits["per_link"]
                ):
                    response = HttpResponse(
                        "Too many answers were sent from here in a short time. "
                        "Wait a few minutes and try again; what you saved is kept.",
                        status=429,
                        content_type="text/plain; charset=utf-8",
                    )
                    response["Retry-After"] = str(limits["per_client"][1])
                    return response
        return self.get_response(request)


def shared_link_cap(link) -> int:
    """How many responses a shared link may take: the people it is for."""
    default = int(getattr(settings, "CARETIES_SURVEY_SHARED_LINK_CAP", 30))
    if not link.organisation:
        return default

    people = Professional.objects.filter(
        la_code=link.wave.la_code, organisation=link.organisation
    ).count()
    return people or default


def foreign_organisations(la_code: str, codes) -> list[str]:
    """Codes the store knows as another council's practices or teams (not ``la_code``'s)."""
    codes = sorted({c for c in codes if c})
    if not codes:
        return []
    practices = dict(
        Practice.objects.filter(practice_code__in=codes).values_list("practice_code", "la_code")
    )
    teams: dict[str, set[str]] = {}
    for organisation, council in Professional.objects.filter(organisation__in=codes).values_list(
        "organisation", "la_code"
    ):
        teams.setdefault(organisation, set()).add(council)
    foreign = []
    for code in codes:
        owners = {practices[code]} if code in practices else teams.get(code, set())
        if owners and la_code not in owners:
            foreign.append(code)
    return foreign
