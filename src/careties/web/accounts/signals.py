"""Logins and failed logins go to the audit log."""

from __future__ import annotations

from django.contrib.auth.signals import user_logged_in, user_login_failed
from django.dispatch import receiver


@receiver(user_logged_in)
def _audit_login(sender, request, user, **kwargs) -> None:
    from careties.web.store.services import record_audit

    record_audit("login", "login", user=user)


@receiver(user_login_failed)
def _audit_failed_login(sender, credentials, request=None, **kwargs) -> None:
    from careties.web.store.services import record_audit

    record_audit(
        "login_failed", "failed login", detail=f"username={credentials.get('username', '')[:150]}"
    )
