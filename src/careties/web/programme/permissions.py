"""Who may do what in the programme, built on the roles in ``careties.web.access``.

- council lead and analyst: manage their council's pledge, plan, programme,
  directory and evaluation;
- regional programme: read adoption and progress across their councils;
- social worker: log knowledge-building activities in their council;
- practice user: search the directory and sign-post, for their own practice;
- system admin: everything.
"""

from __future__ import annotations

from django.core.exceptions import PermissionDenied

from careties.web import access
from careties.web.accounts.models import Role


def _in_scope(user, la_code: str) -> bool:
    return bool(access.can_view_council(user, la_code))


def can_manage(user, la_code: str) -> bool:
    role = access.role_of(user)
    return role == Role.SYSTEM_ADMIN or (role in access.COUNCIL_ROLES and _in_scope(user, la_code))


def can_view_progress(user, la_code: str) -> bool:
    return can_manage(user, la_code) or (
        access.role_of(user) == Role.REGIONAL and _in_scope(user, la_code)
    )


def can_log_activity(user, la_code: str) -> bool:
    return bool(access.can_log_contacts(user)) and _in_scope(user, la_code)


def can_use_directory(user, la_code: str) -> bool:
    return access.role_of(user) is not None and _in_scope(user, la_code)


def can_signpost(user) -> bool:
    member = access.membership_of(user)
    return access.role_of(user) == Role.PRACTICE and bool(member and member.practice_code)


def require(allowed: bool) -> None:
    """Raise 403 unless ``allowed``: every programme view calls this before doing anything."""
    if not allowed:
        raise PermissionDenied("Your role does not allow this in careties.")
