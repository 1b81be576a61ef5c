"""One section or a page's sections, checked and built: what every dashboard view shares.

The views (``careties.web.dashboard.views``), the work list and the JSON and
export endpoints all reach sections through :func:`one_section` (one section,
its council and practice looked up, the user's access checked) or
:func:`page_sections` (the sections of a page the user may see); both call
:func:`careties.web.presenters.build`, where disclosure happens.
"""

from __future__ import annotations

import functools
from urllib.parse import urlencode

import polars as pl
from django.core.exceptions import PermissionDenied
from django.http import Http404
from django.urls import get_script_prefix, reverse

from careties.web import access, selectors
from careties.web.disclosure import Policy
from careties.web.presenters import PAGES, REGISTRY, Context, Section, build
from careties.web.presenters.network import other_councils

#: Extras that depend on who is looking, added after the shared (cached) section is built.
PER_USER_EXTRAS = {"network": other_councils}

__all__ = [
    "context_for",
    "council_or_404",
    "may_see_section",
    "one_section",
    "page_sections",
    "practice_or_404",
    "section_links",
]


def council_or_404(la_code: str) -> dict:
    found = selectors.councils().filter(pl.col("la_code") == la_code)
    if found.is_empty():
        raise Http404("No council with that code is loaded.")
    return found.row(0, named=True)


def practice_or_404(la_code: str, practice_code: str) -> dict:
    found = selectors.load_frame("practices", la_code).filter(
        pl.col("practice_code") == practice_code
    )
    if found.is_empty():
        raise Http404("No practice with that code is loaded for this council.")
    return found.row(0, named=True)


#: GET parameters a section may read (anything else is ignored).
SECTION_PARAMS = frozenset(
    {"period", "wave", "rater", "rated", "before", "after", "size", "agency", "tie"}
)


def context_for(request, la_code: str | None, practice_code: str | None = None) -> Context:
    if la_code is None:
        all_codes = selectors.councils()["la_code"].to_list()
        la_codes = access.councils_in_scope(request.user, all_codes)
    else:
        la_codes = [la_code]
    return Context(
        user=request.user,
        la_code=la_code,
        la_codes=la_codes,
        policy=Policy.for_user(request.user, la_code),
        practice_code=practice_code,
        period=request.GET.get("period") or None,
        params={
            # ``wave``: a survey wave the user chose instead of the latest qualifying one.
            # ``rater``/``rated``/``before``/``after``: a pair of roles or two waves or dates.
            # ``size``/``agency``/``tie``: the network drawing's measure and filters.
            **{k: v for k, v in request.GET.items() if k in SECTION_PARAMS},
            **({"team": team} if (team := access.team_of(request.user)) else {}),
        },
    )


def section_links(
    la_code: str | None,
    key: str,
    practice_code: str | None,
    period: str | None,
    wave: str | None = None,
) -> dict:
    """The section's partial, JSON and export addresses (the same for every request alike).

    Kept per process: four URL reversals for each section of every page view
    were about a tenth of a cached page's time. The script prefix is part of the key.
    """
    return dict(_links(la_code, key, practice_code, period, wave, get_script_prefix()))


@functools.lru_cache(maxsize=4096)
def _links(
    la_code: str | None,
    key: str,
    practice_code: str | None,
    period: str | None,
    wave: str | None,
    prefix: str,
) -> dict:
    query = {
        k: v for k, v in (("practice", practice_code), ("period", period), ("wave", wave)) if v
    }
    suffix = f"?{urlencode(query)}" if query else ""
    if la_code is None:

        def name(kind: str, **extra):
            return reverse(f"regional_section_{kind}", kwargs={"key": key, **extra})
    else:

        def name(kind: str, **extra):
            return reverse(f"section_{kind}", kwargs={"la_code": la_code, "key": key, **extra})

    return {
        "partial": name("partial") + suffix,
        "json": name("json") + suffix,
        "csv": name("export", fmt="csv") + suffix,
        "xlsx": name("export", fmt="xlsx") + suffix,
    }


def may_see_section(user, key: str, la_code: str | None, practice_code: str | None) -> bool:
    spec = REGISTRY[key]
    if key == "team_ties" and access.team_of(user) is None:
        return False
    if spec.page == "regional":
        return la_code is None and access.can_view_page(user, "regional")
    if la_code is None:
        return False
    return access.can_view_section(user, spec.page, la_code, practice_code)


def one_section(request, la_code: str | None, key: str) -> tuple[Section, Context]:
    """One section, after the access check; 404 for unknown keys, 403 when not allowed."""
    if key not in REGISTRY:
        raise Http404("No such section.")
    practice_code = request.GET.get("practice") or None
    if la_code is not None:
        council_or_404(la_code)
        if REGISTRY[key].page == "practice":
            if not practice_code:
                raise Http404("Which practice?")
            practice_or_404(la_code, practice_code)
    if not may_see_section(request.user, key, la_code, practice_code):
        raise PermissionDenied
    context = context_for(request, la_code, practice_code)
    return _built(request, key, context, la_code, practice_code), context


def page_sections(request, page: str, la_code: str | None, practice_code: str | None = None):
    context = context_for(request, la_code, practice_code)
    sections = []
    for key in PAGES[page]:
        if not may_see_section(request.user, key, la_code, practice_code):
            continue
        sections.append(_built(request, key, context, la_code, practice_code))
    return sections, context


def _built(
    request, key: str, context: Context, la_code: str | None, practice_code: str | None
) -> Section:
    """The section built (or taken from the cache), with what is per request added after.

    Links and per-user extras go on after :func:`build`, so the cached section
    stays the same for everyone who may see it.
    """
    built = build(key, context)
    built.extras["links"] = section_links(
        la_code, key, practice_code, context.period, context.params.get("wave")
    )
    built.extras["practice_code"] = practice_code
    if key in PER_USER_EXTRAS:
        built.extras.update(PER_USER_EXTRAS[key](request.user, la_code))
    return built
