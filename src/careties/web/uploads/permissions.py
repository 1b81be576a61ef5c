"""Who may load data: council leads and analysts for their councils, and administrators."""

from __future__ import annotations

from django.core.exceptions import PermissionDenied

from careties.web import access
from careties.web.accounts.models import Role

UPLOADING_ROLES = frozenset({Role.SYSTEM_ADMIN, Role.COUNCIL_LEAD, Role.COUNCIL_ANALYST})


def can_upload(user, la_code: str | None = None) -> bool:
    """Whether ``user`` may upload files (for ``la_code``, when given)."""
    if access.role_of(user) not in UPLOADING_ROLES:
        return False
    if la_code is None or access.is_admin(user):
        return True
    return la_code in (access.membership_of(user).la_codes or [])


def require_upload(user, la_code: str | None = None) -> None:
    if not can_upload(user, la_code):
        raise PermissionDenied("Only the council's leads and analysts may load its data.")


def councils_for(user) -> list[str]:
    """The councils ``user`` may load data for (an administrator: any they name)."""
    member = access.membership_of(user)
    return list(getattr(member, "la_codes", None) or [])
