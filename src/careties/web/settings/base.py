"""Settings shared by every environment.

Everything a council may want to change comes from the environment, so one
installed package serves a demo, a test run and production alike.
"""

from __future__ import annotations

import os
from pathlib import Path

import dj_database_url
import nhsuk_frontend_jinja

PACKAGE_DIR = Path(__file__).resolve().parent.parent
VAR_DIR = Path(os.environ.get("CARETIES_VAR_DIR", Path.cwd() / "var")).resolve()

SECRET_KEY = os.environ.get("SECRET_KEY", "careties-development-only-secret-key-change-me")
DEFAULT_SECRET_KEY = "careties-development-only-secret-key-change-me"
DEBUG = False
ALLOWED_HOSTS = [h for h in os.environ.get("ALLOWED_HOSTS", "localhost,127.0.0.1").split(",") if h]

INSTALLED_APPS = [
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django_htmx",
    "rules.apps.AutodiscoverRulesConfig",
    "axes",
    "csp",
    "careties.web.store",
    "careties.web.scale",
    "careties.web.accounts",
    "careties.web.dashboard",
    "careties.web.surveys",
    "careties.web.programme",
    "django_tasks",
    "django_tasks_db",
    "careties.web.uploads",
    "careties.web.bcf",
    "careties.web.benchmarks",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "careties.web.middleware.NoStoreMiddleware",
    "csp.middleware.CSPMiddleware",
    "careties.web.middleware.RefuseNulBytesMiddleware",
    "careties.web.survey_guard.SurveyThrottleMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "django_htmx.middleware.HtmxMiddleware",
    "axes.middleware.AxesMiddleware",
]

AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",
    "rules.permissions.ObjectPermissionBackend",
    "django.contrib.auth.backends.ModelBackend",
]

ROOT_URLCONF = "careties.web.urls"
WSGI_APPLICATION = "careties.web.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.jinja2.Jinja2",
        # The NHS's own Jinja port of its components, beside each app's jinja2/.
        "DIRS": [Path(nhsuk_frontend_jinja.__file__).parent / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "environment": "careties.web.jinja.environment",
            # The header, breadcrumbs and data status on every page (computed only when drawn).
            "context_processors": ["careties.web.dashboard.navigation.context"],
        },
    },
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
            ]
        },
    },
]


def _database() -> dict:
    url = os.environ.get("DATABASE_URL")
    if url:
        return dj_database_url.parse(url, conn_max_age=60)
    VAR_DIR.mkdir(parents=True, exist_ok=True)
    return {
        "ENGINE": "django.db.backends.sqlite3",
        "NAME": str(VAR_DIR / "careties.sqlite3"),
        "OPTIONS": {
            # WAL lets readers carry on while an import writes; IMMEDIATE avoids
            # "database is locked" upgrades when two writers meet.
            "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL; PRAGMA busy_timeout=10000;",
            "transaction_mode": "IMMEDIATE",
        },
    }


DATABASES = {"default": _database()}
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {
        "NAME": "django.contrib.auth.password_validation.MinimumLengthValidator",
        "OPTIONS": {"min_length": 12},
    },
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]

LANGUAGE_CODE = "en-gb"
TIME_ZONE = "Europe/London"
USE_I18N = False
USE_TZ = True

STATIC_URL = "/static/"
STATIC_ROOT = VAR_DIR / "static"
STATICFILES_DIRS = [PACKAGE_DIR / "static"]
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "whitenoise.storage.CompressedStaticFilesStorage"},
}

LOGIN_URL = "/accounts/login/"
LOGIN_REDIRECT_URL = "/"
LOGOUT_REDIRECT_URL = "/accounts/login/"
SESSION_COOKIE_AGE = int(os.environ.get("CARETIES_SESSION_SECONDS", 8 * 3600))
SESSION_EXPIRE_AT_BROWSER_CLOSE = True
SESSION_COOKIE_HTTPONLY = True
CSRF_COOKIE_HTTPONLY = False

# Lock-out after repeated failed logins (django-axes).
AXES_FAILURE_LIMIT = int(os.environ.get("CARETIES_LOGIN_FAILURE_LIMIT", 5))
AXES_COOLOFF_TIME = 0.5  # hours
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
AXES_RESET_ON_SUCCESS = True

# Small-number suppression (NHS England's rule by default; REFERENCE.md).
CARETIES_SUPPRESSION = {
    "threshold": int(os.environ.get("CARETIES_SUPPRESSION_THRESHOLD", 7)),
    "rounding": int(os.environ.get("CARETIES_SUPPRESSION_ROUNDING", 5)),
    "min_survey_respondents": int(os.environ.get("CARETIES_MIN_SURVEY_RESPONDENTS", 5)),
}

CARETIES_PSEUDONYMISATION_KEY = os.environ.get("CARETIES_PSEUDONYMISATION_KEY", "")
# Uploaded files stream to a temporary file, never into memory, up to this size (docs/data.md).
FILE_UPLOAD_HANDLERS = ["careties.web.uploads.handlers.BoundedTemporaryFileUploadHandler"]
CARETIES_MAX_UPLOAD_BYTES = int(os.environ.get("CARETIES_MAX_UPLOAD_MB", 1024)) * 2**20
# Development keys (pseudonymisation, backups) only for a store marked as test data.
CARETIES_TEST_DATA = os.environ.get("CARETIES_TEST_DATA", "") == "1"

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "filters": {"one_line_403": {"()": "careties.web.middleware.OneLineForbidden"}},
    "handlers": {
        "console": {"class": "logging.StreamHandler", "filters": ["one_line_403"]},
    },
    "root": {"handlers": ["console"], "level": "WARNING"},
}

# Content Security Policy (django-csp): scripts only from our own origin or with
# the per-request nonce; Plotly sets inline styles on its SVG, so styles allow them.
from csp.constants import NONCE, NONE, SELF  # noqa: E402

CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": [SELF],
        "script-src": [SELF, NONCE],
        "style-src": [SELF, "'unsafe-inline'"],
        "img-src": [SELF, "data:", "blob:"],
        "font-src": [SELF, "data:"],
        "connect-src": [SELF],
        "object-src": [NONE],
        "base-uri": [SELF],
        "frame-ancestors": [NONE],
        "form-action": [SELF],
    }
}

# Background work (uploads: checking and loading files) goes through django-tasks,
# the backport of Django 6's tasks framework, queued in the database; a worker
# (django-tasks' db_worker, started by `careties serve` and `careties demo`) runs it.
TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend", "QUEUES": ["default"]}}

# Built dashboard sections are shared by every gunicorn worker through files
# under var/; keys carry the data version, so an import is seen at once.
CACHES = {
    "default": {
        "BACKEND": "django.core.cache.backends.filebased.FileBasedCache",
        "LOCATION": str(VAR_DIR / "cache"),
        "TIMEOUT": 3600,
        "OPTIONS": {"MAX_ENTRIES": 5000},
    }
}

# Sessions read from the shared cache, written through to the database: one
# query less on every page, and a lost cache loses no session.
SESSION_ENGINE = "django.contrib.sessions.backends.cached_db"
