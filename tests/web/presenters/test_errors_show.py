"""A broken section shows itself; too little data is said in words.

Issue 20: sections used to turn every ValueError and ImportError into "not
available yet", so a renamed or broken domain function vanished quietly. Now
only :class:`careties.errors.NotEnoughData` becomes a message; anything else is
an error page carrying an id that is also in the log.
"""

from __future__ import annotations

import logging
import re

import pytest
from django.urls import reverse
from tests.web import factories

from careties.errors import NotEnoughData
from careties.web.accounts.models import Role
from careties.web.disclosure import Policy
from careties.web.presenters import base
from careties.web.store.services import import_frame

LA = "E06000001"


@pytest.fixture
def broken_sections():
    """Two throwaway sections: one with too little data, one with a bug."""

    def thin(ctx):
        raise NotEnoughData("only one month of admissions is loaded")

    def buggy(ctx):
        return {}["renamed_column"]

    base.section("test_thin", "Thin", "overview", cacheable=False)(thin)
    base.section("test_buggy", "Buggy", "overview", cacheable=False)(buggy)
    yield
    base.REGISTRY.pop("test_thin")
    base.REGISTRY.pop("test_buggy")


def _context() -> base.Context:
    return base.Context(
        user=None,
        la_code=LA,
        la_codes=[LA],
        policy=Policy(suppress_small_numbers=False, anonymise_practices=False),
    )


def test_not_enough_data_is_a_message(broken_sections):
    built = base.build("test_thin", _context())
    assert not built.available
    assert "only one month of admissions" in built.message


def test_any_other_error_propagates(broken_sections):
    with pytest.raises(KeyError, match="renamed_column"):
        base.build("test_buggy", _context())


@pytest.mark.django_db
def test_a_failing_section_gives_an_error_page_with_an_id_in_the_log(
    client, broken_sections, caplog
):
    import_frame(kind="local_authorities", frame=factories.councils(), source="test")
    client.raise_request_exception = False
    client.force_login(factories.make_user("lead", Role.COUNCIL_LEAD, la_codes=[LA]))
    url = reverse("section_partial", kwargs={"la_code": LA, "key": "test_buggy"})
    with caplog.at_level(logging.ERROR, logger="careties.errors"):
        response = client.get(url)
    assert response.status_code == 500
    shown = re.search(r"error reference <strong>([0-9a-f]{12})</strong>", response.content.decode())
    assert shown, response.content.decode()
    logged = [r for r in caplog.records if r.name == "careties.errors"]
    assert logged and shown.group(1) in logged[0].getMessage()
    assert logged[0].exc_info and logged[0].exc_info[0] is KeyError
    thin = client.get(reverse("section_partial", kwargs={"la_code": LA, "key": "test_thin"}))
    assert thin.status_code == 200 and "only one month of admissions" in thin.content.decode()
