"""Log out really ends the session, in a real browser under the CSP (issue 15)."""

from __future__ import annotations

import pytest

from .fixtures import log_in

pytestmark = pytest.mark.browser


def test_log_out_is_a_button_that_ends_the_session(strict_page):
    page = strict_page
    log_in(page, "lead")
    assert "/accounts/login/" not in page.url
    button = page.locator("form.nhsuk-header__account-form button", has_text="Log out")
    assert button.count() == 1
    assert page.locator("a", has_text="Log out").count() == 0
    button.click()
    page.wait_for_load_state()
    assert "/accounts/login/" in page.url
    page.goto("/")
    assert "/accounts/login/" in page.url  # the session is gone, not just the page
    page.go_back()
    page.reload()
    assert "/accounts/login/" in page.url


def test_a_lead_reaches_users_and_their_password_from_the_header(strict_page):
    page = strict_page
    log_in(page, "lead")
    page.get_by_role("link", name="Users").click()
    page.wait_for_load_state()
    assert page.get_by_role("heading", name="Users of").count() == 1
    page.get_by_role("link", name="lead").first.click()
    page.wait_for_load_state()
    assert page.get_by_role("heading", name="Change your password").count() == 1
