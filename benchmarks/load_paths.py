"""What benchmarks/load.py requests: council pages to read, GP surveys to submit.

Kept apart from load.py so that the paths follow the apps: the dashboard's URL
names are looked up with Django's ``reverse`` at run time, and surveys go
through the same anonymous link and section pages a GP uses, with a wave and a
shared link created through ``careties.web.surveys.services`` in a subprocess
on the server's own database.

The client side imports no Django: it speaks HTTP through load.py's
``Session`` (cookies and CSRF), like any browser.
"""

from __future__ import annotations

import json
import os
import re
import subprocess
import sys
import tempfile
import time
from concurrent.futures import ThreadPoolExecutor
from urllib.error import URLError

LEAD = {"username": "lead", "password": "lead-demo-2026"}
PRACTICE_PAGES = 3
#: Placeholders reversed into the dashboard's routes, then replaced by real codes.
LA_PLACEHOLDER = "E99999999"
PRACTICE_PLACEHOLDER = "Z99999"

_ROUTES_SCRIPT = f"""
import json
from careties.web import setup_django
setup_django("careties.web.settings.local")
from django.urls import NoReverseMatch, reverse
routes = {{}}
for name, kwargs in [
    ("council", {{"la_code": "{LA_PLACEHOLDER}"}}),
    ("practices", {{"la_code": "{LA_PLACEHOLDER}"}}),
    ("practice", {{"la_code": "{LA_PLACEHOLDER}", "practice_code": "{PRACTICE_PLACEHOLDER}"}}),
]:
    try:
        routes[name] = reverse(name, kwargs=kwargs)
    except NoReverseMatch:
        pass
print(json.dumps(routes))
"""

_LINK_SCRIPT = """
import datetime as dt, json, time
from careties.web import setup_django
setup_django("careties.web.settings.local")
from django.utils import timezone
from careties.web.store.models import LocalAuthority, Practice
from careties.web.surveys import services
from careties.web.surveys.models import Wave
council = LocalAuthority.objects.order_by("la_code").first()
la_code = council.la_code if council else "E06000001"
practice = Practice.objects.filter(la_code=la_code).order_by("practice_code").first()
today = timezone.localdate()
wave = services.save_wave(wave=Wave(
    la_code=la_code, instrument="gp", name=f"load-{int(time.time())}",
    opens_on=today - dt.timedelta(days=1), closes_on=today + dt.timedelta(days=30)), user=None)
link = services.create_link(
    wave=wave, organisation=practice.practice_code if practice else "A81001", single_use=False,
    user=None)
print(json.dumps({"token": link.token, "wave": wave.name, "la_code": la_code}))
"""

_COUNT_SCRIPT = """
import json, sys
from careties.web import setup_django
setup_django("careties.web.settings.local")
from careties.web.store.models import SurveyResponse
wave, la_code = sys.argv[1], sys.argv[2]
rows = SurveyResponse.objects.filter(wave=wave, la_code=la_code, instrument="gp")
print(json.dumps(rows.values("response_id").distinct().count()))
"""


def _python(script: str, env: dict, *args: str) -> object:
    """Run ``script`` in a fresh interpreter against ``env``'s database; its JSON output."""
    done = subprocess.run(
        [sys.executable, "-c", script, *args], env=env, capture_output=True, text=True, check=True
    )
    return json.loads(done.stdout.strip().splitlines()[-1])


def _routes() -> dict[str, str]:
    """The dashboard's council and practice routes, by URL name, with placeholders.

    Reversing needs only the URL configuration, so this runs against a
    throw-away var directory rather than the server's.
    """
    with tempfile.TemporaryDirectory(prefix="careties-routes-") as var_dir:
        env = {
            **os.environ,
            "CARETIES_VAR_DIR": var_dir,
            "DJANGO_SETTINGS_MODULE": "careties.web.settings.local",
        }
        env.pop("DATABASE_URL", None)
        try:
            return _python(_ROUTES_SCRIPT, env)  # type: ignore[return-value]
        except (subprocess.CalledProcessError, ValueError, IndexError):
            return {}


def council_paths(Session) -> list[str]:
    """The council overview, the practice list and a few practice pages, as the lead sees them.

    The codes come from the pages themselves (the lead's home page names the
    council; its practice list links the practices), so nothing here assumes
    what the synthetic generator produced. Falls back to ``["/"]``.
    """
    routes = _routes()
    if "council" not in routes:
        return ["/"]
    session = Session()
    try:
        session.post("/accounts/login/", LEAD)
        _, home = session.get("/")
    except (URLError, OSError):
        return ["/"]
    councils = re.findall(r"\bE[0-9]{8}\b", home)
    if not councils:
        return ["/"]
    la_code = councils[0]
    paths = [routes["council"].replace(LA_PLACEHOLDER, la_code)]
    if "practices" in routes:
        listing = routes["practices"].replace(LA_PLACEHOLDER, la_code)
        paths.append(listing)
        if "practice" in routes:
            try:
                _, page = session.get(listing)
            except (URLError, OSError):
                page = ""
            prefix = (
                routes["practice"].replace(LA_PLACEHOLDER, la_code).split(PRACTICE_PLACEHOLDER)[0]
            )
            codes = dict.fromkeys(re.findall(re.escape(prefix) + r"([A-Z][0-9]{5})/", page))
            for code in list(codes)[:PRACTICE_PAGES]:
                paths.append(
                    routes["practice"]
                    .replace(LA_PLACEHOLDER, la_code)
                    .replace(PRACTICE_PLACEHOLDER, code)
                )
    return paths


def gp_section_posts() -> list[dict[str, str]]:
    """A complete GP survey as the form posts it: one dict per section page, in order.

    Every required question gets its middle option, so the stored answers are
    valid for ``validate_answers`` and the scoring.
    """
    from careties.relations.surveys import load_instrument

    instrument = load_instrument("gp")
    pages: list[dict[str, str]] = []
    for section in instrument.sections:
        questions = [q for q in instrument.questions if q.section == section.id]
        if not questions:
            continue
        data = {
            q.id: q.options[len(q.options) // 2][0] for q in questions if q.required and q.options
        }
        pages.append({**data, "action": "continue"})
    return pages


def submit_surveys(Session, env: dict, n: int, clients: int) -> tuple[int, int, list[float]]:
    """Submit ``n`` complete GP surveys from ``clients`` threads through one shared link.

    Each submission is a new respondent (a fresh ``Session``: its own cookies
    and draft) going through every section page. Returns (sent, stored,
    timings): ``sent`` counts submissions whose final page was posted,
    ``stored`` the distinct ``response_id`` rows the database holds for the
    wave afterwards, and ``timings`` the latency of each final "Submit" post
    (including its CSRF fetch, as load.py's Session does it). A submission that
    failed with an error counts as sent and not stored, so lost = sent - stored
    covers both silent loss and refusals.
    """
    created = _python(_LINK_SCRIPT, env)
    token, wave, la_code = created["token"], created["wave"], created["la_code"]  # type: ignore[index]
    pages = gp_section_posts()

    def one(_: int) -> tuple[bool, float | None]:
        session = Session()
        try:
            for number, data in enumerate(pages[:-1], start=1):
                session.post(f"/s/{token}/section/{number}/", data)
        except (URLError, OSError):
            return False, None
        started = time.perf_counter()
        try:
            status, page = session.post(f"/s/{token}/section/{len(pages)}/", pages[-1])
        except (URLError, OSError):
            return True, None
        elapsed = time.perf_counter() - started
        return True, elapsed if status == 200 and "Thank you" in page else None

    with ThreadPoolExecutor(clients) as pool:
        outcomes = list(pool.map(one, range(n)))
    sent = sum(1 for posted, _ in outcomes if posted)
    timings = [t for _, t in outcomes if t is not None]
    stored = int(_python(_COUNT_SCRIPT, env, wave, la_code))  # type: ignore[arg-type]
    return sent, stored, timings
