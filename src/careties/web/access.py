"""Who may see what, declared once as ``rules`` permissions; views and the header ask them.

Roles (DESIGN.md, issue 7):
- system admin: everything;
- council lead and council analyst: their own council, in full;
- regional programme: several councils, aggregates only (small numbers suppressed);
- practice user: their own practice in full, other practices of their council only
  as anonymised benchmarks;
- social worker: their team, and may log contacts.

The permissions (``user.has_perm(name, obj)``, ``rules.has_perm(name, user, obj)``,
``rules.contrib.views.permission_required`` on views, ``{{ perms }}`` nowhere else):

=============================  ==================  =====================================
permission                     object              who
=============================  ==================  =====================================
``careties.view_council``      ``la_code``         anyone whose scope holds the council
``careties.view_practice``     ``(code, la_code)`` council roles and social workers of its
                                                   council; a practice user, their own
``careties.view_<page>``       ``la_code``/None    the roles in :data:`PAGE_ROLES` for
                                                   ``<page>`` (overview, practices,
                                                   relationships, surveys, targeting,
                                                   report, regional), within their scope
``careties.export_council``    ``la_code``         anyone who may view the council
``careties.log_contacts``      None                social workers, council roles, admins
``careties.see_free_text``     ``la_code``         council roles of that council, admins
=============================  ==================  =====================================

The header (``careties.web.dashboard.navigation``) offers a link only when the
same permission its view checks is granted, so the menu never offers a 403.
The predicates stay importable as functions so a test can enumerate each role
against each permission.
"""

from __future__ import annotations

import rules

from careties.web.accounts.models import Role

COUNCIL_ROLES = {Role.COUNCIL_LEAD, Role.COUNCIL_ANALYST}


def membership_of(user):
    """The user's membership, or None for anonymous users and users without one."""
    if user is None or not getattr(user, "is_authenticated", False):
        return None
    return getattr(user, "membership", None)


def role_of(user) -> str | None:
    member = membership_of(user)
    if member is None:
        return Role.SYSTEM_ADMIN if getattr(user, "is_superuser", False) else None
    return member.role


def is_admin(user) -> bool:
    return role_of(user) == Role.SYSTEM_ADMIN


def councils_in_scope(user, all_councils: list[str]) -> list[str]:
    """The councils this user may open, in the order given."""
    role = role_of(user)
    if role is None:
        return []
    if role == Role.SYSTEM_ADMIN:
        return list(all_councils)
    allowed = set(membership_of(user).la_codes or [])
    return [c for c in all_councils if c in allowed]


@rules.predicate
def can_view_council(user, la_code: str) -> bool:
    role = role_of(user)
    if role is None:
        return False
    if role == Role.SYSTEM_ADMIN:
        return True
    return la_code in (membership_of(user).la_codes or [])


@rules.predicate
def can_view_practice(user, practice: tuple[str, str]) -> bool:
    """``practice`` is (practice_code, la_code): a practice user sees only their own.

    The council must be in the user's scope too, so this one permission guards the
    practice page, its sections and exports.
    """
    practice_code, la_code = practice
    role = role_of(user)
    if role is None:
        return False
    if role == Role.SYSTEM_ADMIN:
        return True
    member = membership_of(user)
    if la_code not in (member.la_codes or []):
        return False
    if role == Role.PRACTICE:
        return member.practice_code == practice_code
    return role in COUNCIL_ROLES or role == Role.SOCIAL_WORKER


def sees_small_numbers(user, la_code: str | None) -> bool:
    """Whether unsuppressed counts below council level may be shown to this user.

    REFERENCE.md: the suppression rule applies to anything below council level
    shown to anyone outside the council role.
    """
    role = role_of(user)
    if role == Role.SYSTEM_ADMIN:
        return True
    return role in COUNCIL_ROLES and la_code in (membership_of(user).la_codes or [])


def can_export(user, la_code: str) -> bool:
    """``careties.export_council``: whoever may view the council may download its tables."""
    return bool(can_view_council(user, la_code))


def can_log_contacts(user) -> bool:
    return role_of(user) in {
        Role.SOCIAL_WORKER,
        Role.COUNCIL_LEAD,
        Role.SYSTEM_ADMIN,
        Role.COUNCIL_ANALYST,
    }


def can_see_free_text(user, la_code: str) -> bool:
    """Survey free text is shown only to the council role (issue 5)."""
    role = role_of(user)
    return role == Role.SYSTEM_ADMIN or (
        role in COUNCIL_ROLES and la_code in (membership_of(user).la_codes or [])
    )


def own_practice(user) -> str | None:
    """The practice a practice user belongs to (None for every other role)."""
    if role_of(user) != Role.PRACTICE:
        return None
    return membership_of(user).practice_code or None


def sees_practices_anonymised(user) -> bool:
    """Practice users see other practices only as benchmarks; regional users see aggregates."""
    return role_of(user) in {Role.PRACTICE, Role.REGIONAL}


_EVERYONE = frozenset(
    {
        Role.SYSTEM_ADMIN,
        Role.COUNCIL_LEAD,
        Role.COUNCIL_ANALYST,
        Role.REGIONAL,
        Role.PRACTICE,
        Role.SOCIAL_WORKER,
    }
)
_COUNCIL_STAFF = frozenset(
    {Role.SYSTEM_ADMIN, Role.COUNCIL_LEAD, Role.COUNCIL_ANALYST, Role.SOCIAL_WORKER}
)

#: Which roles may open each area of the dashboard (the council check comes on top).
#: Each page is the permission ``careties.view_<page>``.
PAGE_ROLES: dict[str, frozenset[str]] = {
    "overview": _EVERYONE,
    "practices": _COUNCIL_STAFF,
    "relationships": _COUNCIL_STAFF,
    "surveys": _EVERYONE,
    "targeting": frozenset({Role.SYSTEM_ADMIN, Role.COUNCIL_LEAD, Role.COUNCIL_ANALYST}),
    "report": frozenset({Role.SYSTEM_ADMIN, Role.COUNCIL_LEAD, Role.COUNCIL_ANALYST}),
    "regional": frozenset({Role.SYSTEM_ADMIN, Role.REGIONAL}),
}


def _role_in(page: str, roles: frozenset[str]) -> rules.Predicate:
    return rules.predicate(lambda user: role_of(user) in roles, name=f"may_open_{page}")


@rules.predicate
def council_in_scope(user, la_code: str | None) -> bool:
    """No council (a cross-council page such as regional), or one the user may view."""
    return la_code is None or bool(can_view_council(user, la_code))


def page_permission(page: str) -> str:
    """The permission that opens dashboard ``page``: ``careties.view_<page>``."""
    return f"careties.view_{page}"


rules.add_perm("careties.view_council", can_view_council)
rules.add_perm("careties.view_practice", can_view_practice)
rules.add_perm("careties.export_council", can_view_council)
rules.add_perm("careties.log_contacts", rules.predicate(can_log_contacts))
rules.add_perm("careties.see_free_text", rules.predicate(can_see_free_text))
for _page, _roles in PAGE_ROLES.items():
    rules.add_perm(page_permission(_page), _role_in(_page, _roles) & council_in_scope)


def can_view_page(user, page: str, la_code: str | None = None) -> bool:
    """Whether ``user`` may open ``page`` (for ``la_code``, when the page is a council's).

    The permission ``careties.view_<page>``; the practice page is not here: it is
    ``careties.view_practice``, per practice.
    """
    name = page_permission(page)
    return rules.perm_exists(name) and rules.has_perm(name, user, la_code)


def team_of(user) -> str | None:
    """A social worker's team code: what the "your team" view is filtered to."""
    if role_of(user) != Role.SOCIAL_WORKER:
        return None
    return membership_of(user).team_code or None


def can_view_section(user, page: str, la_code: str | None, practice_code: str | None) -> bool:
    """The check behind every section, its JSON endpoint and its exports."""
    if page == "practice":
        return la_code is not None and rules.has_perm(
            "careties.view_practice", user, (practice_code or "", la_code)
        )
    return can_view_page(user, page, la_code)
