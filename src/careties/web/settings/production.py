"""Production settings: refuse to start with development secrets.

A council runs careties with personal data; a default secret key or
pseudonymisation key would make session forgery or re-identification trivial,
so we stop with a message naming what to set.
"""

import os

from django.core.exceptions import ImproperlyConfigured

from careties.web.keys import production_problems

from .base import *  # noqa: F403

_problems = production_problems()
if _problems:
    raise ImproperlyConfigured(" ".join(_problems))

DEBUG = False
SECURE_HSTS_SECONDS = 31536000
SECURE_HSTS_INCLUDE_SUBDOMAINS = True
SECURE_SSL_REDIRECT = os.environ.get("CARETIES_SSL_REDIRECT", "1") == "1"
SESSION_COOKIE_SECURE = True
CSRF_COOKIE_SECURE = True
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
