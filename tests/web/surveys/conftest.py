"""The survey tests' browser: tests/browser's Chromium and pages, on pytest-django's live server.

The browser tests here check the rows the server stored through the ORM, so their
``server`` is ``live_server`` on the test database, where tests/browser's is the
demo's server in its own process. Everything else (Chromium, the ``page`` and
``phone_page`` contexts, axe) is tests/browser/fixtures.py's, shared by the session.
"""

from __future__ import annotations

import os
from collections.abc import Iterator

import pytest


@pytest.fixture(scope="session")
def orm_beside_playwright() -> Iterator[None]:
    """Let the test's ORM calls run while Playwright's sync API keeps its event loop open.

    Django refuses database calls in a thread with an event loop unless told they are
    safe, which they are: the calls are synchronous, between browser steps.
    """
    previous = os.environ.get("DJANGO_ALLOW_ASYNC_UNSAFE")
    os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = "true"
    yield
    if previous is None:
        os.environ.pop("DJANGO_ALLOW_ASYNC_UNSAFE", None)
    else:
        os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = previous


@pytest.fixture
def server(browser, live_server, orm_beside_playwright) -> str:
    """The live server's address: what the page fixtures open, on the test database."""
    return live_server.url


@pytest.fixture
def new_page(browser, server):
    """Another person's phone (375 px, CSP bypassed for axe), for tests of several people."""
    contexts = []

    def make(**options):
        context = browser.new_context(
            base_url=server, bypass_csp=True, viewport={"width": 375, "height": 812}, **options
        )
        context.set_default_timeout(20_000)
        contexts.append(context)
        return context.new_page()

    yield make
    for context in contexts:
        context.close()
