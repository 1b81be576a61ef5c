"""Who may run survey collection: the council roles for their own council, and admins.

Built on ``careties.web.access`` so that the one place saying what a role may
see also decides here; this module only adds the survey-specific rule that
practice, team and regional users never manage waves or read raw results.
"""

from __future__ import annotations

from django.core.exceptions import PermissionDenied

from careties.web import access
from careties.web.accounts.models import Role

MANAGING_ROLES = frozenset({Role.SYSTEM_ADMIN, Role.COUNCIL_LEAD, Role.COUNCIL_ANALYST})


def can_manage(user, la_code: str | None = None) -> bool:
    """Whether ``user`` may create and see waves, links, mappings and results (for ``la_code``)."""
    if access.role_of(user) not in MANAGING_ROLES:
        return False
    return la_code is None or bool(access.can_view_council(user, la_code))


def require_manage(user, la_code: str | None = None) -> None:
    """Raise 403 unless :func:`can_manage`."""
    if not can_manage(user, la_code):
        raise PermissionDenied("Only the council's survey leads and analysts may open this page.")


def managed_councils(user) -> list[str]:
    """Councils whose surveys ``user`` manages; every council with data for an admin."""
    from careties.web import selectors

    if access.role_of(user) not in MANAGING_ROLES:
        return []
    if access.is_admin(user):
        loaded = selectors.councils()["la_code"].to_list()
        return loaded
    return list(access.membership_of(user).la_codes or [])
