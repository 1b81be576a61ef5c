"""Who may manage which accounts, and the account changes themselves, each audited.

A system administrator manages every account. A council lead manages the
accounts of their own council (one council in the membership) in the roles a
council gives: lead, analyst, practice user, social worker; never an
administrator or a regional user, and never an account that also sees another
council. Anyone changes their own password (Django's view, with the password
policy). New accounts get no password: the person who invites them passes on
a one-time link where the new user sets their own, under the same policy.

The changes (``invite``, ``remove``) are services as the HackSoft styleguide
writes them: keyword-only, typed arguments, the acting user included, one
transaction, the audit entry written inside it.
"""

from __future__ import annotations

from dataclasses import dataclass

from django.contrib.auth import get_user_model
from django.contrib.auth.models import User
from django.contrib.auth.tokens import default_token_generator
from django.db import transaction
from django.urls import reverse
from django.utils.encoding import force_bytes
from django.utils.http import urlsafe_base64_encode

from careties.commands.demo import DEMO_PASSWORD_SUFFIX
from careties.web.store.services import record_audit

from .models import Membership, Role

COUNCIL_ROLES = (Role.COUNCIL_LEAD, Role.COUNCIL_ANALYST, Role.PRACTICE, Role.SOCIAL_WORKER)
#: Usernames ``careties demo`` creates, with passwords printed on screen and in the README.
DEMO_USERNAMES = ("admin", "lead", "analyst", "regional", "practice", "socialworker")


class AccountError(ValueError):
    """An account change the acting user may not make, with the reason."""


def _membership(user) -> Membership | None:
    return getattr(user, "membership", None) if getattr(user, "pk", None) else None


def is_admin(user) -> bool:
    membership = _membership(user)
    return bool(membership and membership.role == Role.SYSTEM_ADMIN and user.is_active)


def lead_council(user) -> str | None:
    """The council a lead manages, or ``None`` if the user is not a one-council lead."""
    membership = _membership(user)
    if membership and membership.role == Role.COUNCIL_LEAD and len(membership.la_codes or []) == 1:
        return membership.la_codes[0]
    return None


def can_manage_users(user) -> bool:
    return is_admin(user) or lead_council(user) is not None


def roles_for(actor) -> list[Role]:
    """Roles the actor may give."""
    return list(Role) if is_admin(actor) else list(COUNCIL_ROLES) if lead_council(actor) else []


def manageable(actor):
    """Accounts the actor may see in the user list and change."""
    users = get_user_model().objects.select_related("membership").order_by("username")
    if is_admin(actor):
        return users
    council = lead_council(actor)
    if council is None:
        return users.none()
    ids = [
        m.user_id
        for m in Membership.objects.filter(role__in=COUNCIL_ROLES)
        if list(m.la_codes or []) == [council]
    ]
    return users.filter(pk__in=ids, is_active=True)


@dataclass(frozen=True)
class Invitation:
    user: User
    path: str  # where the new user sets their password (valid until they do)


def set_password_path(user) -> str:
    uid = urlsafe_base64_encode(force_bytes(user.pk))
    token = default_token_generator.make_token(user)
    return reverse("accounts:set_password", kwargs={"uidb64": uid, "token": token})


def invite(
    *,
    actor: User,
    username: str,
    role: str,
    la_codes: list[str],
    practice_code: str = "",
    team_code: str = "",
    email: str = "",
) -> Invitation:
    """Create an account with a role; it has no password until its owner sets one."""
    if role not in roles_for(actor):
        raise AccountError("You cannot give that role.")
    council = lead_council(actor)
    if not is_admin(actor) and list(la_codes) != [council]:
        raise AccountError("A council lead can only add users of their own council.")
    User = get_user_model()
    if User.objects.filter(username__iexact=username).exists():
        raise AccountError(f"The username {username!r} is taken.")
    with transaction.atomic():
        user = User.objects.create_user(username=username, email=email)
        user.set_unusable_password()
        user.save()
        Membership.objects.create(
            user=user,
            role=role,
            la_codes=list(la_codes),
            practice_code=practice_code,
            team_code=team_code,
        )
        record_audit(
            action="change",
            what=f"user {username} added as {Role(role).label}",
            user=actor,
            la_code=la_codes[0] if len(la_codes) == 1 else "",
        )
    return Invitation(user=user, path=set_password_path(user))


def remove(*, actor: User, target: User) -> None:
    """Close an account: it can no longer log in, and its role is gone; its history stays."""
    if target.pk == getattr(actor, "pk", None):
        raise AccountError("You cannot remove your own account.")
    if not manageable(actor).filter(pk=target.pk).exists():
        raise AccountError("You cannot remove that account.")
    membership = _membership(target)
    council = membership.la_codes[0] if membership and len(membership.la_codes or []) == 1 else ""
    with transaction.atomic():
        target.is_active = False
        target.set_unusable_password()
        target.save()
        Membership.objects.filter(user=target).delete()
        record_audit(
            action="change", what=f"user {target.username} removed", user=actor, la_code=council
        )


def demo_accounts() -> list[str]:
    """Demo accounts still able to log in with their published passwords."""
    found = []
    for user in get_user_model().objects.filter(username__in=DEMO_USERNAMES, is_active=True):
        if user.check_password(f"{user.username}{DEMO_PASSWORD_SUFFIX}"):
            found.append(user.username)
    return sorted(found)
