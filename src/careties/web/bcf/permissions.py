"""Who may see and change the BCF area: the council roles see it, the council lead plans it.

Goals, the relationship metric plan and the return's commentary are the BCF
plan itself, agreed by the council lead with the ICB: only a council lead (or
a system administrator) changes them. Council analysts see everything and may
download the return.
"""

from __future__ import annotations

from django.core.exceptions import PermissionDenied

from careties.web import access
from careties.web.accounts.models import Role


def can_view(user, la_code: str) -> bool:
    role = access.role_of(user)
    if role == Role.SYSTEM_ADMIN:
        return True
    return role in access.COUNCIL_ROLES and bool(access.can_view_council(user, la_code))


def can_plan(user, la_code: str) -> bool:
    role = access.role_of(user)
    if role == Role.SYSTEM_ADMIN:
        return True
    return role == Role.COUNCIL_LEAD and bool(access.can_view_council(user, la_code))


def require(allowed: bool) -> None:
    if not allowed:
        raise PermissionDenied("Your role does not allow this in careties.")
