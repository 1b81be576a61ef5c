"""Every figure links to its Methods entry (issue 16): definition, source, formula, polarity."""

from __future__ import annotations

import re

import pytest
from django.urls import reverse
from tests.web import dashboard_data

from careties.web.accounts.models import Role
from careties.web.dashboard import views  # noqa: F401 - registers every section
from careties.web.dashboard.methods import METHODS
from careties.web.presenters import REGISTRY


def test_every_section_has_a_methods_entry():
    missing = sorted(set(REGISTRY) - set(METHODS))
    assert not missing, f"sections without a Methods entry: {missing}"
    for method in METHODS.values():
        for part in (method.definition, method.source, method.formula, method.polarity):
            assert len(part) > 10


def test_the_methods_page_has_an_anchor_for_every_section(client):
    html = client.get(reverse("methods")).content.decode()
    for key in REGISTRY:
        assert f'id="method-{key}"' in html, key
    for heading in ("The targeting score", "The relationship health score", "The savings scenario"):
        assert heading in html
    assert "per year once the programme" in html  # savings: per stay against per year


@pytest.mark.django_db
def test_every_section_on_a_page_links_to_its_entry(client):
    facts = dashboard_data.load()
    client.force_login(dashboard_data.users(facts)[Role.COUNCIL_LEAD])
    methods = client.get(reverse("methods")).content.decode()
    for name in ("council", "relationships", "surveys"):
        html = client.get(reverse(name, args=[facts["la_code"]])).content.decode()
        anchors = re.findall(r'href="/methods/#(method-[a-z_]+)">About this figure', html)
        sections = re.findall(r'<section class="careties-section[^"]*" id="section-', html)
        assert anchors and len(anchors) == len(sections), name
        for anchor in anchors:
            assert f'id="{anchor}"' in methods, anchor
