"""Who may load data: ``careties.upload_data`` (council leads and analysts, administrators).

The rule is declared in ``careties.web.access``; the upload views declare it with
``access.requires`` and the header asks it through :func:`can_upload`.
"""

from __future__ import annotations

from careties.web import access

UPLOAD = "careties.upload_data"


def can_upload(user, la_code: str | None = None) -> bool:
    """Whether ``user`` may upload files (for ``la_code``, when given)."""
    return bool(user.has_perm(UPLOAD, la_code))


def councils_for(user) -> list[str]:
    """The councils ``user`` may load data for (an administrator: any they name)."""
    member = access.membership_of(user)
    return list(getattr(member, "la_codes", None) or [])
