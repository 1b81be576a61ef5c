"""Log out really logs out; private pages are not cached; a 403 is one log line."""

from __future__ import annotations

import io
import logging
import re

import pytest
from django.test import Client
from tests.web.factories import make_user
from tests.web.paths import url

from careties.web.accounts.models import Role

pytestmark = pytest.mark.django_db
HOME = "E06000001"


def test_the_headers_log_out_is_a_post_form_with_csrf_that_ends_the_session():
    user = make_user("lead", Role.COUNCIL_LEAD, la_codes=[HOME])
    client = Client(enforce_csrf_checks=True)
    client.force_login(user)
    page = client.get(url("accounts:password")).content.decode()
    form = re.search(
        r'<form[^>]*class="nhsuk-header__account-form"[^>]*action="([^"]+)"[^>]*method="post"'
        r"[^>]*>(.*?)</form>",
        page,
        re.S,
    )
    assert form, "Log out must be a form in the header, not a link"
    assert "Log out" in form.group(2)
    assert not re.search(r'<a [^>]*href="/accounts/logout/"', page)
    token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', form.group(2)).group(1)
    response = client.post(form.group(1), {"csrfmiddlewaretoken": token})
    assert response.status_code == 302
    assert client.get(url("accounts:password")).status_code == 302  # back to the log-in page
    assert "_auth_user_id" not in client.session


def test_private_pages_are_not_kept_by_browsers_or_proxies(client):
    user = make_user("lead", Role.COUNCIL_LEAD, la_codes=[HOME])
    client.force_login(user)
    for page in ("home", "accounts:password", "login"):
        assert client.get(url(page))["Cache-Control"] == "no-store", page


def test_a_refused_request_is_logged_as_one_line(client):
    from django.core.exceptions import PermissionDenied
    from django.utils.log import log_response

    from careties.web.middleware import OneLineForbidden

    stream = io.StringIO()
    handler = logging.StreamHandler(stream)
    handler.addFilter(OneLineForbidden())
    logger = logging.getLogger("django.request")
    logger.addHandler(handler)
    try:
        try:
            raise PermissionDenied
        except PermissionDenied as error:
            request = client.get(url("home")).wsgi_request
            response = type("R", (), {"status_code": 403, "_has_been_logged": False})()
            log_response(
                "Forbidden (Permission denied): %s",
                request.path,
                response=response,
                request=request,
                exception=error,
            )
    finally:
        logger.removeHandler(handler)
    logged = stream.getvalue()
    assert logged.strip() == "Forbidden (Permission denied): /"
    assert "Traceback" not in logged


def test_the_configured_console_handler_drops_403_tracebacks():
    root = logging.getLogger()
    assert any(
        any(type(f).__name__ == "OneLineForbidden" for f in h.filters) for h in root.handlers
    )


def test_section_json_and_htmx_partials_are_audited_like_the_exports(client):
    from careties.web.store.models import AuditEntry
    from web import dashboard_data

    facts = dashboard_data.load()
    user = dashboard_data.users(facts)[Role.COUNCIL_ANALYST]
    client.force_login(user)
    funnel = {"la_code": facts["la_code"], "key": "funnel"}
    assert client.get(url("section_json", **funnel)).status_code == 200
    assert client.get(url("section_partial", **funnel), HTTP_HX_REQUEST="true").status_code == 200
    entries = AuditEntry.objects.filter(username=user.username, action="view")
    assert set(entries.values_list("what", flat=True)) >= {
        "funnel as JSON",
        "funnel as page section",
    }
    assert all(e.la_code == facts["la_code"] for e in entries)


def test_an_audit_entry_for_a_hostile_council_code_is_still_written():
    from careties.web.store.models import AuditEntry
    from careties.web.store.services import record_audit

    record_audit(action="export", what="directory", la_code="9" * 5000, detail="x")
    entry = AuditEntry.objects.get()
    assert entry.la_code == "" and entry.detail.startswith("requested council '9999")
