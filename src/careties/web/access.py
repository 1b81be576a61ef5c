"""Who may see what: every view, JSON endpoint and export asks this module.

Roles (DESIGN.md, issue 7):
- system admin: everything;
- council lead and council analyst: their own council, in full;
- regional programme: several councils, aggregates only (small numbers suppressed);
- practice user: their own practice in full, other practices of their council only
  as anonymised benchmarks;
- social worker: their team, and may log contacts.

Kept as plain predicates (registered with ``rules``) so a test can enumerate
each role against each view.
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
    """``practice`` is (practice_code, la_code): a practice user sees only their own."""
    practice_code, la_code = practice
    role = role_of(user)
    if role is None:
        return False
    if role == Role.SYSTEM_ADMIN:
        return True
    member = membership_of(user)
    if role == Role.PRACTICE:
        return member.practice_code == practice_code
    if role in COUNCIL_ROLES or role == Role.SOCIAL_WORKER:
        return la_code in (member.la_codes or [])
    return False


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


rules.add_perm("careties.view_council", can_view_council)
rules.add_perm("careties.view_practice", can_view_practice)


def own_practice(user) -> str | None:
    """The practice a practice user belongs to (None for every other role)."""
    if role_of(user) != Role.PRACTICE:
        return None
    return membership_of(user).practice_code or None


def sees_practices_anonymised(user) -> bool:
    """Practice users see other practices only as benchmarks; regional users see aggregates."""
    return role_of(user) in {Role.PRACTICE, Role.REGIONAL}


#: Which roles may open each area of the dashboard (the council check comes on top).
PAGE_ROLES: dict[str, frozenset[str]] = {
    "overview": frozenset(
        {
            Role.SYSTEM_ADMIN,
            Role.COUNCIL_LEAD,
            Role.COUNCIL_ANALYST,
            Role.REGIONAL,
            Role.PRACTICE,
            Role.SOCIAL_WORKER,
        }
    ),
    "practices": frozenset(
        {Role.SYSTEM_ADMIN, Role.COUNCIL_LEAD, Role.COUNCIL_ANALYST, Role.SOCIAL_WORKER}
    ),
    "relationships": frozenset(
        {Role.SYSTEM_ADMIN, Role.COUNCIL_LEAD, Role.COUNCIL_ANALYST, Role.SOCIAL_WORKER}
    ),
    "surveys": frozenset(
        {
            Role.SYSTEM_ADMIN,
            Role.COUNCIL_LEAD,
            Role.COUNCIL_ANALYST,
            Role.REGIONAL,
            Role.PRACTICE,
            Role.SOCIAL_WORKER,
        }
    ),
    "targeting": frozenset({Role.SYSTEM_ADMIN, Role.COUNCIL_LEAD, Role.COUNCIL_ANALYST}),
    "report": frozenset({Role.SYSTEM_ADMIN, Role.COUNCIL_LEAD, Role.COUNCIL_ANALYST}),
    "regional": frozenset({Role.SYSTEM_ADMIN, Role.REGIONAL}),
}


def can_view_page(user, page: str, la_code: str | None = None) -> bool:
    """Whether ``user`` may open ``page`` (for ``la_code``, when the page is a council's).

    The practice page is not here: it is :func:`can_view_practice`, per practice.
    """
    role = role_of(user)
    if role is None or role not in PAGE_ROLES.get(page, frozenset()):
        return False
    if la_code is None:
        return True
    return bool(can_view_council(user, la_code))


def team_of(user) -> str | None:
    """A social worker's team code: what the "your team" view is filtered to."""
    if role_of(user) != Role.SOCIAL_WORKER:
        return None
    return membership_of(user).team_code or None


def can_view_section(user, page: str, la_code: str | None, practice_code: str | None) -> bool:
    """The check behind every section, its JSON endpoint and its exports."""
    if page == "practice":
        return (
            la_code is not None
            and bool(can_view_council(user, la_code))
            and bool(can_view_practice(user, (practice_code or "", la_code)))
        )
    return can_view_page(user, page, la_code)
