"""Settings for the test suite: fast hashing, an isolated var directory."""

import os
import tempfile

os.environ.setdefault("CARETIES_VAR_DIR", tempfile.mkdtemp(prefix="careties-test-"))

from .base import *  # noqa: E402,F403

# Tasks run at once, inside the request: no worker in the test suite.
TASKS = {"default": {"BACKEND": "django_tasks.backends.immediate.ImmediateBackend"}}
CARETIES_TEST_DATA = True  # the suite's data is synthetic: development keys allowed
PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
ALLOWED_HOSTS = ["*"]
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
}

STATIC_ROOT.mkdir(parents=True, exist_ok=True)  # noqa: F405

# Tests roll back their data, so import batch ids repeat: a shared cache would
# serve one test's figures to the next. Tests of caching override this.
CACHES = {"default": {"BACKEND": "django.core.cache.backends.dummy.DummyCache"}}
