"""Logins and failed logins go to the audit log."""

from __future__ import annotations

from django.contrib.auth.signals import user_logged_in, user_login_failed
from django.dispatch import receiver

from careties.web.store.services import record_audit


@receiver(user_logged_in)
def _audit_login(sender, request, user, **kwargs) -> None:
    record_audit(action="login", what="login", user=user)


@receiver(user_login_failed)
def _audit_failed_login(sender, credentials, request=None, **kwargs) -> None:
    record_audit(
        action="login_failed",
        what="failed login",
        detail=f"username={credentials.get('username', '')[:150]}",
    )
