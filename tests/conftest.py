"""Fixtures every folder shares, registered once for the whole session.

The browser fixtures (tests/browser/fixtures.py) are a plugin rather than a folder's
conftest so that the survey tests in tests/web/surveys use the same session's Chromium:
imported into a second conftest, the session fixture would start Playwright twice, and
Playwright's sync API refuses to start inside the first one's event loop.
"""

pytest_plugins = ["tests.browser.fixtures"]
