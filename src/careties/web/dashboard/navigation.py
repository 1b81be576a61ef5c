"""The header's navigation for each role: only links the user may follow."""

from __future__ import annotations

from django.urls import NoReverseMatch, reverse

from careties.web import access
from careties.web.accounts.models import Role


def _programme_url(la_code: str | None) -> str | None:
    """The programme area, built by its own app; no link until it exists."""
    for args in ([la_code] if la_code else [], []):
        try:
            return reverse("programme:index", args=args)
        except NoReverseMatch:
            continue
    return None


def nav_items(request, la_code: str | None = None, current: str = "") -> list[dict]:
    """Header links for ``request.user``, scoped to ``la_code`` where a page is a council's."""
    user = request.user
    role = access.role_of(user)
    if role is None:
        return []
    items = [{"text": "Home", "href": reverse("home"), "key": "home"}]
    if la_code is None:
        la_codes = (getattr(access.membership_of(user), "la_codes", None) or [])[:1]
        la_code = la_codes[0] if la_codes else None
    if la_code:
        if access.can_view_page(user, "overview", la_code):
            items.append(
                {"text": "Overview", "href": reverse("council", args=[la_code]), "key": "overview"}
            )
        practice = access.own_practice(user)
        if practice:
            items.append(
                {
                    "text": "My practice",
                    "href": reverse("practice", args=[la_code, practice]),
                    "key": "practice",
                }
            )
        elif access.can_view_page(user, "practices", la_code):
            items.append(
                {
                    "text": "Practices",
                    "href": reverse("practices", args=[la_code]),
                    "key": "practice",
                }
            )
        for page, text in (
            ("relationships", "Relationships"),
            ("surveys", "Surveys"),
            ("targeting", "Targeting"),
        ):
            if access.can_view_page(user, page, la_code):
                items.append({"text": text, "href": reverse(page, args=[la_code]), "key": page})
        if role in access.COUNCIL_ROLES | {Role.SYSTEM_ADMIN}:
            programme = _programme_url(la_code)
            if programme:
                items.append({"text": "Programme", "href": programme, "key": "programme"})
    if access.can_view_page(user, "regional"):
        items.append({"text": "Regional", "href": reverse("regional"), "key": "regional"})
    for item in items:
        item["current"] = item.pop("key") == current
    return items
