"""Display names of professionals, for the council's own pages and exports.

Professionals are stored by a pseudonymous id; a council may add the name it
knows each GP by (the professionals file's optional ``display_name``). Only
pages and exports the council's own roles open ask for names: the targeting
list, the plan and activity forms, the programme's records. Practice,
regional and social-worker views never name GPs.
"""

from __future__ import annotations

from careties.web.access import COUNCIL_ROLES, Role, membership_of, role_of

from .models import Professional, display_label

__all__ = ["display_label", "display_names", "labelled"]


def display_names(la_code: str) -> dict[str, str]:
    """Professional id -> display name, for the council's professionals that have one."""
    return dict(
        Professional.objects.filter(la_code=la_code, display_name__isnull=False)
        .exclude(display_name="")
        .values_list("professional_id", "display_name")
    )


def labelled(professional_id: str | None, names: dict[str, str]) -> str:
    """``display_label`` from a ``display_names`` map: "Dr A Shah (GP00012)", else the id."""
    if not professional_id:
        return ""
    return display_label(professional_id, names.get(professional_id))


def may_see_names(user, la_code: str) -> bool:
    """Administrators and the council's own staff roles (lead, analyst, social worker).

    The roles that already see GPs row by row in the programme; practice users
    and regional users see GP-level figures only as anonymised benchmarks.
    """
    role = role_of(user)
    if role == Role.SYSTEM_ADMIN:
        return True
    staff = role in COUNCIL_ROLES or role == Role.SOCIAL_WORKER
    return staff and la_code in (membership_of(user).la_codes or [])


def professional_label(request, la_code: str, professional_id: str | None) -> str:
    """A professional as this request's user may see them: named, or by id (templates).

    The council's names are read once per request and council.
    """
    if not professional_id:
        return ""
    cache = request.__dict__.setdefault("_careties_display_names", {})
    if la_code not in cache:
        allowed = request.user.is_authenticated and may_see_names(request.user, la_code)
        cache[la_code] = display_names(la_code) if allowed else {}
    return labelled(professional_id, cache[la_code])
