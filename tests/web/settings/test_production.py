"""Security settings: CSP on every response, production refuses development secrets."""

from __future__ import annotations

import os
import subprocess
import sys

import pytest
from tests.web.paths import url

pytestmark = pytest.mark.django_db


def test_every_page_sends_a_content_security_policy(client):
    response = client.get(url("login"))
    policy = response["Content-Security-Policy"]
    assert "default-src 'self'" in policy
    assert "'nonce-" in policy
    assert "object-src 'none'" in policy


def test_inline_script_carries_the_nonce(client):
    response = client.get(url("login"))
    html = response.content.decode()
    nonce = response["Content-Security-Policy"].split("'nonce-")[1].split("'")[0]
    assert f'nonce="{nonce}"' in html


def _import_production_settings(env: dict) -> subprocess.CompletedProcess:
    code = "import careties.web.settings.production"
    clean = {
        k: v
        for k, v in os.environ.items()
        if k
        not in {"SECRET_KEY", "CARETIES_PSEUDONYMISATION_KEY", "CARETIES_BACKUP_KEY", "CARETIES_TEST_DATA"}
    }
    return subprocess.run(
        [sys.executable, "-c", code], env={**clean, **env}, capture_output=True, text=True
    )


def test_production_refuses_the_default_secret_key():
    result = _import_production_settings({"CARETIES_PSEUDONYMISATION_KEY": "k" * 40})
    assert result.returncode != 0
    assert "SECRET_KEY" in result.stderr


def test_production_refuses_a_missing_pseudonymisation_key():
    result = _import_production_settings({"SECRET_KEY": "s" * 60})
    assert result.returncode != 0
    assert "CARETIES_PSEUDONYMISATION_KEY" in result.stderr


def test_production_starts_with_real_secrets():
    result = _import_production_settings(
        {
            "SECRET_KEY": "s" * 60,
            "CARETIES_PSEUDONYMISATION_KEY": "k" * 40,
            "CARETIES_BACKUP_KEY": "b" * 40,
        }
    )
    assert result.returncode == 0, result.stderr


def test_password_policy_rejects_short_and_common_passwords():
    from django.contrib.auth.password_validation import validate_password
    from django.core.exceptions import ValidationError

    for weak in ("short1", "password123456", "123456789012"):
        with pytest.raises(ValidationError):
            validate_password(weak)
    validate_password("correct-horse-battery-staple-7")


def test_repeated_failed_logins_lock_the_account(client):
    from django.contrib.auth.models import User

    User.objects.create_user("target", password="the-right-password-42")
    for _ in range(5):
        client.post(url("login"), {"username": "target", "password": "wrong"})
    response = client.post(
        url("login"), {"username": "target", "password": "the-right-password-42"}
    )
    assert response.status_code == 429 or "_auth_user_id" not in client.session


def test_failed_and_successful_logins_are_audited(client):
    from django.contrib.auth.models import User

    from careties.web.store.models import AuditEntry

    User.objects.create_user("audited", password="the-right-password-42")
    client.post(url("login"), {"username": "audited", "password": "wrong"})
    client.post(url("login"), {"username": "audited", "password": "the-right-password-42"})
    actions = list(AuditEntry.objects.values_list("action", flat=True))
    assert "login_failed" in actions and "login" in actions


def test_forms_require_csrf():
    from django.test import Client

    strict = Client(enforce_csrf_checks=True)
    response = strict.post(url("login"), {"username": "x", "password": "y"})
    assert response.status_code == 403


def test_practice_page_views_are_audited(client):
    from tests.web import dashboard_data
    from tests.web.factories import make_user

    from careties.web.accounts.models import Role
    from careties.web.store.models import AuditEntry

    facts = dashboard_data.load()
    client.force_login(make_user("viewer", Role.COUNCIL_LEAD, la_codes=[facts["la_code"]]))
    response = client.get(
        url("practice", la_code=facts["la_code"], practice_code=facts["practice"])
    )
    assert response.status_code == 200
    entry = AuditEntry.objects.get(action="view")
    assert (
        entry.username == "viewer"
        and facts["practice"] in entry.what
        and entry.la_code == facts["la_code"]
    )
