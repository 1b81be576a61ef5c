"""Pages render in the NHS style and require login."""

from __future__ import annotations

import pytest
from tests.web.paths import url

from careties.web.accounts.models import Role

from .factories import make_user

pytestmark = pytest.mark.django_db


def test_home_requires_login(client):
    response = client.get(url("home"))
    assert response.status_code == 302
    assert response["Location"].startswith(url("login"))


def test_login_page_uses_nhs_frontend(client):
    response = client.get(url("login"))
    html = response.content.decode()
    assert response.status_code == 200
    assert "nhsuk-header" in html
    assert 'name="csrfmiddlewaretoken"' in html


def test_logged_in_user_sees_home(client):
    client.force_login(make_user("lead", Role.COUNCIL_LEAD, la_codes=["E06000001"]))
    response = client.get(url("home"))
    assert response.status_code == 200
    assert "Your councils" in response.content.decode()


def test_accessibility_statement_is_public(client):
    response = client.get(url("accessibility"))
    assert response.status_code == 200
    assert "WCAG" in response.content.decode()
