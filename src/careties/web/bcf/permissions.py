"""Who may see and change the BCF area, declared in ``careties.web.access``.

The council roles see it (``careties.view_bcf``); goals, the relationship
metric plan and the return's commentary are the BCF plan itself, agreed by the
council lead with the ICB: only a council lead (or a system administrator)
changes them (``careties.plan_bcf``). Council analysts see everything and may
download the return.
"""

from __future__ import annotations

VIEW = "careties.view_bcf"
PLAN = "careties.plan_bcf"


def can_plan(user, la_code: str) -> bool:
    """``careties.plan_bcf`` for ``la_code``: whether the page offers the plan's forms."""
    return bool(user.has_perm(PLAN, la_code))
