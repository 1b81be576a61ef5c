"""Users and canonical frames for programme tests: the web tests' factories."""

from tests.web.factories import councils, frame, make_user

__all__ = ["councils", "frame", "make_user"]
