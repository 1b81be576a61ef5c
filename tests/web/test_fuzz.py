"""Hostile values in every query parameter, form field and upload of every URL: never a 500.

Every URL the app routes (the enumeration of ``tests/web/test_every_url``) is
requested with each query parameter a view reads set to hostile values; every
form a page shows (found by parsing the page) is posted back with hostile
values in each field and hostile files in each upload. The client re-raises
any exception a view lets escape, so a server error fails the test with its
traceback; any status below 500 is an answer (400, 403, 404, 405, 410, 429).
"""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from tests.web.paths import url

from careties.web.accounts.models import Role
from careties.web.surveys import services as survey_services
from careties.web.surveys.models import Wave
from web import dashboard_data
from web.test_every_url import every_url

pytestmark = pytest.mark.django_db

SRC = Path(__file__).resolve().parents[2] / "src" / "careties"
HOSTILE = [
    "'; DROP TABLE careties_events;--",
    '<script>alert(1)</script>"><img src=x onerror=alert(1)>',
    "../../../../etc/passwd",
    "²",
    "9" * 5000,
    "-1",
    "",
    "\u202e\ufeff\u200b",
    "{{7*7}}{% debug %}",
    "x" * 20_000,
    "1e309",
    "NaN",
    "2025-13-45",
    "E06000002",
    "Z99999",
    "[" * 60,
]
FILES = [
    ("deep.json", b"[" * 100_000),
    ("number.json", b"[" + b"9" * 5000 + b"]"),
    ("nul.csv", b"a,b\n1,\x00\n"),
    ("wide.csv", b"x," * 300_000 + b"\n"),
    ("binary.xlsx", bytes(range(256)) * 20),
    ("empty.csv", b""),
]
SKIP_ACTIONS = ("/accounts/logout/",)


def query_names() -> list[str]:
    """Every query parameter name the code reads (found in the source, so new ones count)."""
    pattern = re.compile(r"""(?:GET|params|query)\.get\(\s*["']([a-z_]+)["']""")
    names = set()
    for path in SRC.rglob("*.py"):
        names.update(pattern.findall(path.read_text(encoding="utf-8")))
    return sorted(names | {"per_page", "search", "taxonomy_term_id", "la"})


FORM = re.compile(r"<form\b([^>]*)>(.*?)</form>", re.S | re.I)
FIELD = re.compile(r"<(input|select|textarea)\b([^>]*)>", re.I)
ATTR = re.compile(r'([a-zA-Z_-]+)="([^"]*)"')


def post_forms(html: str, page_url: str) -> list[tuple[str, list[str], list[str]]]:
    """(action, field names, file field names) of each POST form on a page."""
    found = []
    for attrs, body in FORM.findall(html):
        form = dict(ATTR.findall(attrs))
        if form.get("method", "get").lower() != "post":
            continue
        action = form.get("action") or page_url
        if action.startswith(SKIP_ACTIONS):
            continue
        names, files = [], []
        for _, field_attrs in FIELD.findall(body):
            field = dict(ATTR.findall(field_attrs))
            name = field.get("name")
            if not name or name == "csrfmiddlewaretoken":
                continue
            (files if field.get("type") == "file" else names).append(name)
        found.append((action.replace("&amp;", "&"), sorted(set(names)), sorted(set(files))))
    return found


def _hostile_post(client, action: str, names: list[str], files: list[str], turn: int) -> int:
    value = HOSTILE[turn % len(HOSTILE)]
    data: dict = {name: value for name in names}
    for offset, name in enumerate(files):
        filename, content = FILES[(turn + offset) % len(FILES)]
        data[name] = SimpleUploadedFile(filename, content)
    return client.post(action, data).status_code


def _fuzz(client, urls: list[str], login, posted: list[str]) -> list[str]:
    params = query_names()
    problems = []
    for turn, address in enumerate(urls):
        login()
        for k in range(2):
            value = HOSTILE[(turn * 2 + k) % len(HOSTILE)]
            status = client.get(address, {name: value for name in params}).status_code
            if status >= 500:
                problems.append(f"GET {address} with {value[:20]!r}: {status}")
        response = client.get(address)
        if response.status_code != 200 or "html" not in response.get("Content-Type", ""):
            continue
        for action, names, files in post_forms(response.content.decode(), address):
            for k in range(2):
                login()
                status = _hostile_post(client, action, names, files, turn + k)
                posted.append(action)
                if status >= 500:
                    problems.append(f"POST {action} ({', '.join(names + files)}): {status}")
    return problems


@pytest.fixture
def loaded(db):
    facts = dashboard_data.load()
    facts["service_id"] = dashboard_data.synthetic().frames["services"]["service_id"][0]
    return facts


def _survey_urls(la_code: str) -> list[str]:
    import datetime as dt

    today = dt.date.today()
    wave = Wave.objects.create(
        la_code=la_code,
        instrument="gp",
        name="2025-W9",
        opens_on=today - dt.timedelta(days=1),
        closes_on=today + dt.timedelta(days=10),
    )
    link = survey_services.create_link(wave=wave, organisation=None, single_use=False)
    return [
        url("surveys:start", token=link.token),
        url("surveys:section", token=link.token, number=1),
        url("surveys:section", token=link.token, number=2),
        url("surveys:resume-lookup", token=link.token),
        url("surveys:wave", pk=wave.pk),
        url("surveys:import", pk=wave.pk),
        url("surveys:link-create", pk=wave.pk),
    ]


@pytest.mark.parametrize("role", [Role.SYSTEM_ADMIN, Role.COUNCIL_LEAD, None])
def test_hostile_values_in_every_parameter_field_and_upload_never_give_a_500(
    client, loaded, role, settings
):
    settings.CARETIES_SURVEY_LIMITS = {"per_client": (10_000, 600), "per_link": (10_000, 3600)}
    user = dashboard_data.users(loaded)[role] if role else None

    def login():
        if user is not None:
            client.force_login(user)

    urls = [address for _, address in every_url(loaded)] + _survey_urls(loaded["la_code"])
    urls += [url("accounts:users"), url("accounts:password"), url("programme:directory_import")]
    posted: list[str] = []
    assert _fuzz(client, urls, login, posted) == []
    if role is not None:  # the test reached the forms: uploads, surveys, programme, accounts
        for expected in (url("programme:directory_import"), url("accounts:users"), "/links/new/"):
            assert any(expected in action for action in posted), expected
    else:
        assert any(action.startswith("/s/") for action in posted)
