"""Production settings: refuse to start with development secrets.

A council runs careties with personal data; a default secret key or
pseudonymisation key would make session forgery or re-identification trivial,
so we stop with a message naming what to set.
"""

import os

from django.core.exceptions import ImproperlyConfigured

from .base import *  # noqa: F403
from .base import DEFAULT_SECRET_KEY, SECRET_KEY

if SECRET_KEY == DEFAULT_SECRET_KEY or len(SECRET_KEY) < 32:
    raise ImproperlyConfigured(
        "SECRET_KEY is the development default or too short: set a random value of 50+ characters."
    )
if not os.environ.get("CARETIES_PSEUDONYMISATION_KEY"):
    raise ImproperlyConfigured(
        "CARETIES_PSEUDONYMISATION_KEY is not set: set a secret key of 32+ characters."
    )

DEBUG = False
SECURE_HSTS_SECONDS = 31536000
SECURE_HSTS_INCLUDE_SUBDOMAINS = True
SECURE_SSL_REDIRECT = os.environ.get("CARETIES_SSL_REDIRECT", "1") == "1"
SESSION_COOKIE_SECURE = True
CSRF_COOKIE_SECURE = True
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
