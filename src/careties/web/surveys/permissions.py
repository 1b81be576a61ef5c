"""Who may run survey collection: ``careties.manage_surveys``, declared in ``careties.web.access``.

The council roles (lead, analyst) for their own council, and admins; practice,
team and regional users never manage waves or read raw results. Views declare
it with ``access.requires``, on the wave or mapping in their URL.
"""

from __future__ import annotations

from careties.web import access, selectors

MANAGE = "careties.manage_surveys"


def managed_councils(user) -> list[str]:
    """Councils whose surveys ``user`` manages; every council with data for an admin."""
    if access.role_of(user) not in access.SURVEY_ROLES:
        return []
    if access.is_admin(user):
        return selectors.councils()["la_code"].to_list()
    return list(access.membership_of(user).la_codes or [])
