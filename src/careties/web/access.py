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
``careties.view_section``      ``(key, la_code,    whoever may open the section's page (or
                               practice_code)``    practice), for that council
``careties.manage_programme``  ``la_code``         council roles of that council, admins
``careties.view_programme``    ``la_code``         the above, and regional users of it
``careties.view_adoption``     None                council roles, regional users, admins
``careties.log_activities``    ``la_code``         whoever may log contacts, in that council
``careties.use_directory``     ``la_code``         any role of that council
``careties.record_signposts``  ``la_code``         a practice user of that council
``careties.view_signposts``    ``la_code``         a practice user (their own) or the
                                                   council roles (all practices)
``careties.manage_surveys``    ``la_code``/None    council roles (of that council), admins
``careties.view_bcf``          ``la_code``         council roles of that council, admins
``careties.plan_bcf``          ``la_code``         the council lead of that council, admins
``careties.view_unit_costs``   ``la_code``         any role of that council (savings costs)
``careties.edit_unit_costs``   ``la_code``         the council lead of that council, admins
``careties.manage_users``      None                admins, and the lead of one council
                                                   (``accounts.services`` says whom)
``careties.change_password``   None                any logged-in user: their own password
``careties.upload_data``       ``la_code``/None    council roles (of that council), admins
=============================  ==================  =====================================

Views declare theirs once with :func:`requires` (rules' ``permission_required``,
marked so a test can check that every URL declares one or is :func:`public`).

The header (``careties.web.dashboard.navigation``) offers a link only when the
same permission its view checks is granted, so the menu never offers a 403.
The predicates stay importable as functions so a test can enumerate each role
against each permission.
"""

from __future__ import annotations

from collections.abc import Callable
from functools import wraps
from typing import Any

import rules
from django.http import Http404
from rules.contrib.views import permission_required

from careties.web.accounts import services as accounts
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


# Programme, survey collection and the BCF area: the object is the council (``la_code``).


@rules.predicate
def council_role_of(user, la_code: str | None) -> bool:
    """A system admin, or a council lead or analyst of ``la_code``."""
    role = role_of(user)
    if role == Role.SYSTEM_ADMIN:
        return True
    return role in COUNCIL_ROLES and bool(can_view_council(user, la_code))


@rules.predicate
def regional_of(user, la_code: str | None) -> bool:
    return role_of(user) == Role.REGIONAL and bool(can_view_council(user, la_code))


@rules.predicate
def lead_of(user, la_code: str | None) -> bool:
    """The council lead of ``la_code`` (the BCF plan is theirs to agree), or a system admin."""
    role = role_of(user)
    if role == Role.SYSTEM_ADMIN:
        return True
    return role == Role.COUNCIL_LEAD and bool(can_view_council(user, la_code))


@rules.predicate
def practice_user(user) -> bool:
    """A practice user with a practice: who sign-posts patients to local services."""
    member = membership_of(user)
    return role_of(user) == Role.PRACTICE and bool(member and member.practice_code)


#: The council roles: who runs survey waves, reads raw results and keeps column mappings.
SURVEY_ROLES = frozenset({Role.SYSTEM_ADMIN, Role.COUNCIL_LEAD, Role.COUNCIL_ANALYST})

_has_role = rules.predicate(lambda user: role_of(user) is not None, name="has_role")
_in_council = rules.predicate(
    lambda user, la_code: bool(can_view_council(user, la_code)), name="in_council"
)

rules.add_perm("careties.manage_programme", council_role_of)
rules.add_perm("careties.view_programme", council_role_of | regional_of)
#: Pledge adoption across councils: the view lists only the councils in the user's scope.
rules.add_perm(
    "careties.view_adoption",
    rules.predicate(
        lambda user: role_of(user) in {Role.SYSTEM_ADMIN, *COUNCIL_ROLES, Role.REGIONAL},
        name="sees_adoption",
    ),
)
rules.add_perm("careties.log_activities", rules.predicate(can_log_contacts) & _in_council)
rules.add_perm("careties.use_directory", _has_role & _in_council)
rules.add_perm("careties.record_signposts", practice_user & _in_council)
rules.add_perm("careties.view_signposts", (practice_user & _in_council) | council_role_of)
_runs_surveys = rules.predicate(lambda user: role_of(user) in SURVEY_ROLES, name="runs_surveys")
rules.add_perm("careties.manage_surveys", _runs_surveys & council_in_scope)
rules.add_perm("careties.view_bcf", council_role_of)
rules.add_perm("careties.plan_bcf", lead_of)
#: The savings scenario's unit costs: read by anyone in the council, changed by its lead.
rules.add_perm("careties.view_unit_costs", _in_council)
rules.add_perm("careties.edit_unit_costs", lead_of)

# Accounts and data loading.

#: Managing accounts: the account services decide who manages whom (a lead, their council's).
rules.add_perm("careties.manage_users", rules.predicate(accounts.can_manage_users))
rules.add_perm("careties.change_password", rules.is_authenticated)
#: Loading files: the council roles who run surveys load their council's data too.
rules.add_perm("careties.upload_data", _runs_surveys & council_in_scope)


@rules.predicate
def may_see_section(user, section: tuple[str, str | None, str | None]) -> bool:
    """``section`` is (key, la_code, practice_code): the check behind a section's endpoints."""
    # Imported here: the dashboard's sections import this module (their registry needs it).
    from careties.web.dashboard.sections import may_see_section as check

    key, la_code, practice_code = section
    return check(user, key, la_code, practice_code)


rules.add_perm("careties.view_section", may_see_section)


# Declaring a view's permission ---------------------------------------------------------

Of = Callable[..., Any]


def requires(perm: str, of: Of | None = None, *, on_post: str | None = None):
    """Declare the permission a view needs, once, above the view.

    rules' ``permission_required`` with ``fn=of`` (the object: usually the
    council, from the URL, ``?la=`` or the object the URL names), answering 403
    to a logged-in user who lacks it; ``login_required`` above it sends
    everyone else to log in. ``on_post``: a second permission a POST needs as
    well (a page everyone in the area reads but only some change). The view is
    marked (``careties_permissions``) so a test can check that every URL
    declares one.
    """
    guarded_by = permission_required(perm, fn=of, raise_exception=True)
    posted_by = permission_required(on_post, fn=of, raise_exception=True) if on_post else None

    def decorator(view):
        loose = guarded_by(view)
        if posted_by is None:
            guarded = loose
        else:
            strict = posted_by(loose)

            @wraps(view)
            def guarded(request, *args, **kwargs):
                return (strict if request.method == "POST" else loose)(request, *args, **kwargs)

        guarded.careties_permissions = tuple(p for p in (perm, on_post) if p)
        return guarded

    return decorator


def council_of_row(model) -> Of:
    """The ``of`` for a view whose URL names a row of ``model`` by ``pk``: that row's council.

    404 when there is no such row, before any permission is asked, so a
    number in the URL says nothing about other councils' rows but "not found".
    """

    def of(request, pk: int, **kwargs) -> str:
        la_code = model.objects.filter(pk=pk).values_list("la_code", flat=True).first()
        if la_code is None:
            raise Http404("Nothing with that number is recorded.")
        return la_code

    return of


def public(view):
    """Mark a view as open to anyone, on purpose (log in, statements, survey links, ORUK API)."""
    view.careties_public = True
    return view
