"""The programme's permissions by name; the rules themselves are declared in ``careties.web.access``.

- council lead and analyst: manage their council's pledge, plan, programme,
  directory and evaluation (``careties.manage_programme``);
- regional programme: read adoption and progress across their councils
  (``careties.view_programme``, ``careties.view_adoption``);
- social worker: log knowledge-building activities in their council
  (``careties.log_activities``);
- practice user: search the directory and sign-post, for their own practice
  (``careties.use_directory``, ``careties.record_signposts``);
- system admin: everything.

Views declare theirs with ``access.requires``; the helpers here serve pages
outside the programme (the work list, the home page's tasks) that ask the
same question.
"""

from __future__ import annotations

MANAGE = "careties.manage_programme"
VIEW = "careties.view_programme"
LOG_ACTIVITIES = "careties.log_activities"
USE_DIRECTORY = "careties.use_directory"


def can_manage(user, la_code: str) -> bool:
    """``careties.manage_programme`` for ``la_code``."""
    return bool(user.has_perm(MANAGE, la_code))


def can_view_progress(user, la_code: str) -> bool:
    """``careties.view_programme`` for ``la_code``."""
    return bool(user.has_perm(VIEW, la_code))

