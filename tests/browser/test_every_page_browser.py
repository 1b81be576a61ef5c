"""axe on every page the app serves, on a desktop and on a phone (issue 16).

The every-URL test (tests/web/test_every_url.py) enumerates every route; here
each of those URLs that answers with a page is opened once, in Chromium, as the
first demo role that may see it, on the demo's synthetic council (with the
demo's own records where a route names one). axe-core
(WCAG 2.2 AA) must find nothing and the page must be no wider than the screen,
at 1280 and at 390 pixels. Downloads, JSON and htmx fragments are not pages and
are left to their own tests.
"""

from __future__ import annotations

import json
import subprocess
import sys

import pytest
from django.urls import get_resolver, reverse
from tests.web.test_every_url import _value, _walk

from .fixtures import ROOT, axe_violations, wait_for_charts

pytestmark = pytest.mark.browser

#: The demo users, the widest view first, so each page is checked as the role most
#: likely to see all of it; a page only a narrower role may open is checked as that role.
ROLES = ("admin", "lead", "analyst", "regional", "practice", "socialworker")
DESKTOP = {"width": 1280, "height": 900}
PHONE = {"width": 390, "height": 844}
#: Routes not opened: log out would end the session the walk relies on.
NOT_OPENED = {"logout"}

#: What the URLs name, from the demo's store: the council, its first practice, a service, and
#: one record of each kind a page shows. What the demo has none of is added through the
#: services, as its users would add it, so those pages are checked too: an open survey wave,
#: its link and a draft saved at part 2 (the anonymous survey, and the part its resume code
#: reopens, with the answers kept), a logged activity,
#: a column mapping, and an upload checked and ready to load (the state the worker leaves).
FACTS = """
import datetime as dt, json
from django.contrib.auth import get_user_model
from careties.web.selectors import load_frame
from careties.web.programme import services as programme
from careties.web.programme.models import ActionItem, Activity, PledgeSignature
from careties.web.surveys import services
from careties.web.surveys.importing import create_mapping
from careties.web.surveys.models import ColumnMapping, Draft, Link, Wave
from careties.web.uploads.models import Upload
la_code = load_frame("local_authorities")["la_code"][0]
practices = load_frame("practices").sort("practice_code")["practice_code"].to_list()
lead = get_user_model().objects.get(username="lead")
today = dt.date.today()
wave, _ = Wave.objects.get_or_create(
    la_code=la_code, instrument="gp", name="Every-page check",
    defaults={"opens_on": today - dt.timedelta(days=1), "closes_on": today + dt.timedelta(days=60)},
)
link = Link.objects.filter(wave=wave).first() or services.create_link(
    wave=wave, organisation=practices[0], single_use=False
)
draft = Draft.objects.filter(link=link).first() or services.save_draft(
    link=link, answers={"relationship_asc": "3"}, section=2, resume_code=None
)
people = load_frame("professionals", la_code).sort("professional_id")
def first_role(role):
    return people.filter(people["role"] == role)["professional_id"][0]
if not Activity.objects.exists():
    programme.save_activity(activity=Activity(
        la_code=la_code, kind=Activity.Kind.CONTACT_VISIT, activity_date=today,
        gp_professional_id=first_role("gp"), practice_code=practices[0],
        staff_professional_id=first_role("social_worker"), minutes=30,
    ), user=lead)
if not ColumnMapping.objects.exists():
    create_mapping(name="Every-page check", la_code=la_code, instrument="gp", user=lead,
                   sample=b"organisation,relationship_asc\\r\\nA81001,Good\\r\\n")
if not Upload.objects.exists():
    Upload.objects.create(
        la_code=la_code, kind="practices", filename="practices.csv", path="/nonexistent",
        size=100, status=Upload.Status.READY, progress=100, rows=3, user=lead,
        stage="Checked", replaces=["practices of this council"],
    )
def first(model):
    row = model.objects.order_by("pk").first()
    return row.pk if row else None
print(json.dumps({
    "la_code": la_code,
    "practice": practices[0],
    "service_id": load_frame("services")["service_id"][0],
    "token": link.token,
    "resume_code": draft.resume_code,
    "pks": {
        "accounts:": get_user_model().objects.get(username="analyst").pk,
        "programme:pledge_": first(PledgeSignature),
        "programme:plan_": first(ActionItem),
        "programme:activity_": first(Activity),
        "surveys:mapping": first(ColumnMapping),
        "surveys:": wave.pk,
        "uploads:": first(Upload),
    },
}))
"""


def _urls(facts: dict) -> list[tuple[str, str]]:
    """The every-URL test's URLs, with the demo's own records where a route names one."""
    urls = []
    for name, params, defaults in _walk(get_resolver().url_patterns):
        kwargs = {p: _value(name, p, facts) for p in params if p not in defaults}
        if "pk" in kwargs:
            kind = next((k for k in facts["pks"] if name.startswith(k)), None)
            kwargs["pk"] = facts["pks"].get(kind) or kwargs["pk"]
        if "token" in kwargs and name.startswith("surveys:"):
            kwargs["token"] = facts["token"]
        if "code" in kwargs and name.startswith("surveys:"):
            kwargs["code"] = facts["resume_code"]
        urls.append((name, reverse(name, kwargs=kwargs or None)))
    return urls


@pytest.fixture(scope="module")
def demo_facts(demo_env) -> dict:
    """What the URLs name in the demo's store (FACTS), read through Django's shell."""
    out = subprocess.run(
        [sys.executable, "-m", "django", "shell", "-c", FACTS],
        check=True,
        env=demo_env,
        cwd=ROOT,
        capture_output=True,
        text=True,
    ).stdout
    return json.loads(out.strip().splitlines()[-1])


def _logged_in(browser, server: str, username: str):
    context = browser.new_context(base_url=server, bypass_csp=True, viewport=DESKTOP)
    context.set_default_timeout(30_000)
    page = context.new_page()
    page.goto("/accounts/login/")
    page.get_by_label("Username").fill(username)
    page.get_by_label("Password").fill(f"{username}-demo-2026")
    page.get_by_role("button", name="Log in").click()
    page.wait_for_load_state()
    return context, page


def _is_page(response) -> bool:
    """A whole HTML page (not a download, JSON or an htmx fragment) that the role may open."""
    if response.status != 200:
        return False
    if not response.headers.get("content-type", "").startswith("text/html"):
        return False
    return "<html" in response.text()[:500].lower()


def _check(page, where: str, problems: list[str]) -> None:
    page.wait_for_load_state("networkidle")
    wait_for_charts(page)
    violations = axe_violations(page)
    if violations:
        problems.append(f"axe on {where}: {violations}")
    wide = page.evaluate("() => document.documentElement.scrollWidth - window.innerWidth")
    if wide > 0:
        problems.append(f"{where} is {wide}px wider than the screen")


def test_every_page_passes_axe_and_fits_the_screen(browser, server, demo_facts):
    sessions = {name: _logged_in(browser, server, name) for name in ROLES}
    problems: list[str] = []
    checked: dict[str, str] = {}
    unopened: list[str] = []
    try:
        for name, url in _urls(demo_facts):
            if name in NOT_OPENED:
                continue
            for username in ROLES:
                context, page = sessions[username]
                if _is_page(context.request.get(url)):
                    break
            else:
                unopened.append(f"{name} {url}")
                continue
            page.set_viewport_size(DESKTOP)
            page.goto(url)
            if page.url in checked.values():
                continue  # a redirect to a page already checked
            checked[name] = page.url
            _check(page, f"{name} {url} as {username} at 1280px", problems)
            page.set_viewport_size(PHONE)
            page.reload()
            _check(page, f"{name} {url} as {username} at 390px", problems)
    finally:
        for context, _ in sessions.values():
            context.close()
    print(f"axe on {len(checked)} pages; not a page for any role: {unopened}")
    # Every area has pages: the overview, practices, programme, surveys, BCF, data, regional.
    for area in (
        "council",
        "practice",
        "programme:overview",
        "surveys:waves",
        "surveys:wave",
        "surveys:start",
        "regional",
        # Records the demo has none of, added in FACTS.
        "programme:activity_edit",
        "uploads:detail",
        "surveys:mapping-columns",
        "surveys:mapping-answers",
        "surveys:resume",
    ):
        assert area in checked, f"{area} was not checked ({sorted(checked)})"
    assert len(checked) >= 30, sorted(checked)
    assert not problems, "\n".join(problems)
