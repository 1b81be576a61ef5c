"""The header's navigation and breadcrumbs, the same on every page, for each role.

One context processor (:func:`context`) gives every template the header links
the user may follow and the way back from the page in hand, so no view has to
remember them. A link is offered only when the role may open its target: the
check is the permission (``rules``) the view itself asks, through
:func:`may_open`, so the menu cannot offer a page that then answers 403.
"""

from __future__ import annotations

from collections.abc import Callable
from urllib.parse import urlencode

import rules
from django.urls import reverse

from careties.data.codes import LA_CODE_PATTERN
from careties.web import access
from careties.web.accounts.models import Role
from careties.web.store.models import Practice

#: The area each URL name belongs to, for marking the current header link.
_CURRENT = {
    "home": "home",
    "council": "overview",
    "practices": "practice",
    "practice": "practice",
    "relationships": "relationships",
    "surveys": "surveys",
    "targeting": "targeting",
    "regional": "regional",
}

_COUNCIL_PAGES = (
    ("relationships", "Relationships"),
    ("surveys", "Survey results"),
    ("targeting", "Targeting"),
)

#: The programme page each role lands on (the overview redirects the others there).
_PROGRAMME_LANDING = {
    Role.SYSTEM_ADMIN: ("programme:overview", "Programme"),
    Role.COUNCIL_LEAD: ("programme:overview", "Programme"),
    Role.COUNCIL_ANALYST: ("programme:overview", "Programme"),
    Role.REGIONAL: ("programme:adoption", "Programme"),
    Role.PRACTICE: ("programme:directory", "Local services"),
    Role.SOCIAL_WORKER: ("programme:activities", "Activities"),
}


def may_open(user, page: str, la_code: str | None = None) -> bool:
    """Whether ``user`` may open dashboard ``page`` (for ``la_code``).

    Asks the ``careties.view_<page>`` permission when one is declared with
    ``rules`` (as every view does), and the page table in ``access`` otherwise.
    """
    perm = f"careties.view_{page}"
    if rules.perm_exists(perm) and page not in {"council", "practice"}:
        return bool(user.has_perm(perm, la_code))
    return access.can_view_page(user, page, la_code)


#: The permission of each role's programme landing page (the view declares the same).
_PROGRAMME_PERMISSION = {
    Role.SYSTEM_ADMIN: "careties.view_programme",
    Role.COUNCIL_LEAD: "careties.view_programme",
    Role.COUNCIL_ANALYST: "careties.view_programme",
    Role.REGIONAL: "careties.view_programme",
    Role.PRACTICE: "careties.use_directory",
    Role.SOCIAL_WORKER: "careties.log_activities",
}


def _may_programme(user, role: str, la_code: str) -> bool:
    return bool(user.has_perm(_PROGRAMME_PERMISSION[role], la_code))


def _may_bcf(user, la_code: str) -> bool:
    return bool(user.has_perm("careties.view_bcf", la_code))


def _may_waves(user, la_code: str | None) -> bool:
    return bool(user.has_perm("careties.manage_surveys", la_code))


def _may_upload(user, la_code: str | None) -> bool:
    return bool(user.has_perm("careties.upload_data", la_code))


def council_of(request) -> str | None:
    """The council the page is about: from its URL, ``?la=``, or the user's first."""
    match = getattr(request, "resolver_match", None)
    wanted = (match.kwargs.get("la_code") if match else None) or request.GET.get("la")
    user = request.user
    # An administrator may view any council, so check the code's shape first: a
    # ?la= of 5,000 digits must not reach reverse() (a server error on every page).
    if wanted and LA_CODE_PATTERN.match(wanted) and access.can_view_council(user, wanted):
        return wanted
    member = access.membership_of(user)
    codes = list(getattr(member, "la_codes", None) or [])
    if not codes and access.own_practice(user):
        codes = list(
            Practice.objects.filter(practice_code=access.own_practice(user)).values_list(
                "la_code", flat=True
            )
        )
    return codes[0] if codes else None


def current_area(request) -> str:
    """Which header link the page falls under."""
    match = getattr(request, "resolver_match", None)
    if match is None:
        return ""
    if match.namespace == "programme":
        return "programme"
    if match.namespace == "surveys":
        return "waves"
    if match.namespace == "bcf":
        return "bcf"
    if match.namespace == "uploads":
        return "data"
    return _CURRENT.get(match.url_name or "", "")


def _with_la(name: str, la_code: str) -> str:
    return f"{reverse(name)}?{urlencode({'la': la_code})}"


def nav_items(request, la_code: str | None = None, current: str | None = None) -> list[dict]:
    """Header links for ``request.user``, scoped to ``la_code`` where a page is a council's."""
    user = request.user
    role = access.role_of(user)
    if role is None:
        return []
    if la_code is None:
        la_code = council_of(request)
    if current is None:
        current = current_area(request)
    items = [{"text": "Home", "href": reverse("home"), "key": "home"}]
    if la_code:
        if may_open(user, "overview", la_code):
            items.append(
                {"text": "Overview", "href": reverse("council", args=[la_code]), "key": "overview"}
            )
        practice = access.own_practice(user)
        if practice and access.can_view_section(user, "practice", la_code, practice):
            items.append(
                {
                    "text": "My practice",
                    "href": reverse("practice", args=[la_code, practice]),
                    "key": "practice",
                }
            )
        elif may_open(user, "practices", la_code):
            items.append(
                {
                    "text": "Practices",
                    "href": reverse("practices", args=[la_code]),
                    "key": "practice",
                }
            )
        for page, text in _COUNCIL_PAGES:
            if may_open(user, page, la_code):
                items.append({"text": text, "href": reverse(page, args=[la_code]), "key": page})
        if _may_programme(user, role, la_code):
            name, text = _PROGRAMME_LANDING[role]
            items.append({"text": text, "href": _with_la(name, la_code), "key": "programme"})
        if _may_bcf(user, la_code):
            items.append({"text": "BCF", "href": _with_la("bcf:page", la_code), "key": "bcf"})
    if _may_waves(user, la_code):
        items.append({"text": "Survey waves", "href": reverse("surveys:waves"), "key": "waves"})
    if _may_upload(user, la_code):
        href = reverse("uploads:index") + (f"?{urlencode({'la': la_code})}" if la_code else "")
        items.append({"text": "Data", "href": href, "key": "data"})
    if may_open(user, "regional"):
        items.append({"text": "Regional", "href": reverse("regional"), "key": "regional"})
    for item in items:
        item["current"] = item.pop("key") == current
    return items


def breadcrumbs(request) -> list[dict]:
    """The way back from the page in hand: Home, then the council, then the area."""
    match = getattr(request, "resolver_match", None)
    if match is None or access.role_of(request.user) is None:
        return []
    name = match.url_name or ""
    if match.namespace == "" and name == "home":
        return []
    crumbs = [{"text": "Home", "href": reverse("home")}]
    la_code = council_of(request)
    if la_code and name != "council" and may_open(request.user, "overview", la_code):
        crumbs.append({"text": "Council overview", "href": reverse("council", args=[la_code])})
    if match.namespace == "programme" and name != "overview" and la_code:
        role = access.role_of(request.user)
        landing, text = _PROGRAMME_LANDING[role]
        if _may_programme(request.user, role, la_code) and landing != f"programme:{name}":
            crumbs.append({"text": text, "href": _with_la(landing, la_code)})
    if match.namespace == "surveys" and name != "waves" and _may_waves(request.user, None):
        crumbs.append({"text": "Survey waves", "href": reverse("surveys:waves")})
    if match.namespace == "uploads" and name != "index":
        crumbs.append({"text": "Data", "href": reverse("uploads:index")})
    if name == "practice" and may_open(request.user, "practices", la_code):
        crumbs.append({"text": "Practices", "href": reverse("practices", args=[la_code])})
    return crumbs


def context(request) -> dict[str, Callable[[], object]]:
    """Context processor: the header and breadcrumbs, computed only when a page draws them.

    The header's links, and the header drawn from them, are kept a minute per user
    and place (``page_parts.header_nav``, ``page_parts.header_html``).
    """
    # Here, not at the top: page_parts imports nav_items from this module (a cycle).
    from .page_parts import header_html, header_nav

    if getattr(request, "careties_plain_page", False):
        return {"header_nav": list, "header_breadcrumbs": list, "data_status": str}
    return {
        "header_nav": lambda: header_nav(request),
        "kept_header": lambda caller: header_html(request, caller),
        "header_breadcrumbs": lambda: breadcrumbs(request),
        "data_status": lambda: _data_status(request),
    }


def _data_status(request) -> str:
    """What the data of the page's council cover and when they were loaded."""
    # Here, not at the top: tasks imports _may_upload from this module (a cycle).
    from .tasks import data_status_line

    if access.role_of(request.user) is None:
        return ""
    return data_status_line(council_of(request))
