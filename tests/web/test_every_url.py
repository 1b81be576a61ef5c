"""Every URL the app serves, against every role: enumerated, so none is missed.

The dashboard, programme and survey tests check what each role may do on each
page; this test checks the floor under all of them for routes added later:
no URL answers an anonymous visitor with data unless it is meant to be public,
no URL under another council's code answers a council user of a different
council, and no URL fails with a server error for any role.
"""

from __future__ import annotations

import pytest
from django.urls import URLPattern, URLResolver, get_resolver, reverse

from careties.web.accounts.models import Role

from . import dashboard_data
from .factories import make_user

pytestmark = pytest.mark.django_db

#: Routes meant for people without an account: log in, the statements, the
#: anonymous survey links (guarded by their unguessable token) and the
#: read-only Open Referral UK directory API (published information).
PUBLIC = {
    "login",
    "logout",
    "accessibility",
    "methods",
    "surveys:start",
    "surveys:section",
    "surveys:saved",
    "surveys:resume",
    "surveys:resume-lookup",
    "surveys:thanks",
    "accounts:set_password",  # an invited user's one-time link (its token is the key)
    "oruk_root",
    "oruk_services",
    "oruk_service",
    "oruk_openapi",
    "oruk_taxonomies",
    "oruk_taxonomy",
    "oruk_taxonomy_terms",
    "oruk_taxonomy_term",
    "oruk_service_at_locations",
    "oruk_service_at_location",
}


def _walk(patterns, namespace: str = ""):
    for pattern in patterns:
        if isinstance(pattern, URLResolver):
            inner = f"{namespace}{pattern.namespace}:" if pattern.namespace else namespace
            yield from _walk(pattern.url_patterns, inner)
        elif isinstance(pattern, URLPattern) and pattern.name:
            converters = getattr(pattern.pattern, "converters", {})
            yield f"{namespace}{pattern.name}", sorted(converters), pattern.default_args


def _value(name: str, param: str, facts: dict) -> str | int:
    if param == "key":
        return "regional_ascof" if name.startswith("regional") else "ascof"
    if param == "fmt":
        return "pdf" if name in {"bcf_report", "bcf:return"} else "csv"
    return {
        "la_code": facts["la_code"],
        "practice_code": facts["practice"],
        "pk": 999_999,
        "number": 1,
        "token": "no-such-token",
        "uidb64": "MQ",
        "code": "no-such-code",
        "service_id": facts["service_id"],
        "quarter": "2025-26 Q1",
        "taxonomy_id": "no-such-id",
        "term_id": "no-such-id",
        "sal_id": "no-such-id",
    }[param]


def every_url(facts: dict) -> list[tuple[str, str]]:
    urls = []
    for name, params, defaults in _walk(get_resolver().url_patterns):
        kwargs = {p: _value(name, p, facts) for p in params if p not in defaults}
        urls.append((name, reverse(name, kwargs=kwargs or None)))
    return urls


@pytest.fixture
def loaded(db):
    facts = dashboard_data.load()
    data = dashboard_data.synthetic()
    facts["service_id"] = data.frames["services"]["service_id"][0]
    return facts


def test_the_enumeration_covers_every_area(loaded):
    names = {name for name, _ in every_url(loaded)}
    assert len(names) > 40
    for expected in (
        "council",
        "practice",
        "programme:overview",
        "surveys:waves",
        "oruk_services",
        "regional",
    ):
        assert expected in names


def test_anonymous_visitors_get_no_data_from_any_private_url(client, loaded):
    for name, url in every_url(loaded):
        response = client.get(url)
        assert response.status_code != 500, url
        if name in PUBLIC:
            continue
        assert response.status_code in (302, 401, 403, 404, 405), (
            f"{name} {url} answered {response.status_code}"
        )
        if response.status_code == 302:
            assert response["Location"].startswith("/accounts/login/"), url


def test_council_users_of_another_council_are_refused_every_url_of_this_one(client, loaded):
    for role in (
        Role.COUNCIL_LEAD,
        Role.COUNCIL_ANALYST,
        Role.SOCIAL_WORKER,
        Role.PRACTICE,
        Role.REGIONAL,
    ):
        outsider = make_user(
            f"outsider-{role}", role, la_codes=["E06000888"], practice_code="Z99999"
        )
        client.force_login(outsider)
        for name, url in every_url(loaded):
            if loaded["la_code"] not in url or name in PUBLIC:
                continue
            response = client.get(url)
            assert response.status_code in (403, 404), (
                f"{role} opened {name} {url}: {response.status_code}"
            )


@pytest.mark.parametrize("role", dashboard_data.ROLES)
def test_no_url_fails_for_any_role(client, loaded, role):
    user = dashboard_data.users(loaded)[role]
    client.force_login(user)
    for name, url in every_url(loaded):
        response = client.get(url)
        assert response.status_code < 500, f"{role} on {name} {url}: {response.status_code}"


#: Query parameters the views read, each given a NUL byte: PostgreSQL refuses NUL
#: in any query, so a view that passes one through fails with a server error.
HOSTILE_QUERY = "?q=%00&search=%00&period=%00&code=%00&page=%00&per_page=%00&practice=%00&area=%00&need=%00&type=%00&taxonomy_term_id=%00"


def test_no_url_fails_on_a_nul_byte_in_its_query(client, loaded):
    client.force_login(dashboard_data.users(loaded)[Role.SYSTEM_ADMIN])
    for name, url in every_url(loaded):
        response = client.get(url + HOSTILE_QUERY)
        assert response.status_code < 500, f"{name} {url}: {response.status_code}"


def _header_links(html: str) -> list[str]:
    """The header's navigation links of a page, in order."""
    import re

    return re.findall(r'class="nhsuk-header__navigation-link" href="([^"]+)"', html)


#: The header each role must be offered (issue 16): programme and survey waves included.
EXPECTED_HEADER = {
    Role.SYSTEM_ADMIN: {
        "Overview",
        "Practices",
        "Targeting",
        "Programme",
        "Survey waves",
        "Data",
        "Regional",
    },
    Role.COUNCIL_LEAD: {"Overview", "Practices", "Targeting", "Programme", "Survey waves", "Data"},
    Role.COUNCIL_ANALYST: {
        "Overview",
        "Practices",
        "Targeting",
        "Programme",
        "Survey waves",
        "Data",
    },
    Role.REGIONAL: {"Overview", "Programme", "Regional"},
    Role.PRACTICE: {"Overview", "My practice", "Local services"},
    Role.SOCIAL_WORKER: {"Overview", "Practices", "Relationships", "Activities"},
}


@pytest.mark.parametrize("role", dashboard_data.ROLES)
def test_every_header_link_opens_for_its_role(client, loaded, role):
    """Follow the header from the home page, page by page: every link opens (200) for the role.

    The header is built from the same permissions the views check, so a link the
    role would be refused must not be offered; reaching every page from the
    header means a 403 or 404 anywhere in it fails here.
    """
    import re

    client.force_login(dashboard_data.users(loaded)[role])
    home = client.get(reverse("home"), follow=True)
    assert home.status_code == 200
    links = re.findall(
        r'class="nhsuk-header__navigation-link" href="[^"]+"[^>]*>(.*?)</a>',
        home.content.decode(),
        re.S,
    )
    texts = {re.sub(r"<[^>]+>", "", link).strip() for link in links}
    assert EXPECTED_HEADER[role] <= texts, f"{role} header offers {sorted(texts)}"
    to_visit, seen = _header_links(home.content.decode()), set()
    while to_visit:
        href = to_visit.pop()
        if href in seen:
            continue
        seen.add(href)
        response = client.get(href, follow=True)
        assert response.status_code == 200, f"{role}: header link {href} -> {response.status_code}"
        to_visit.extend(_header_links(response.content.decode()))
    assert len(seen) >= len(EXPECTED_HEADER[role])


def test_refused_and_missing_pages_are_styled_with_a_way_back(client, loaded):
    client.force_login(dashboard_data.users(loaded)[Role.PRACTICE])
    refused = client.get(reverse("targeting", args=[loaded["la_code"]]))
    assert refused.status_code == 403
    missing = client.get("/no-such-page/")  # a path no URL name has: spelled out
    assert missing.status_code == 404
    for response, title in ((refused, "You cannot open this page"), (missing, "Page not found")):
        html = response.content.decode()
        assert title in html
        assert "nhsuk-header" in html and 'href="/"' in html
        assert "Go to your home page" in html
