"""The whole job in the browser (issue 16), as a council lead with an empty council.

Load the council's files through the browser (the Client Level Data file shows
the progress bar while the background worker checks it), see the targeting
list, target the top quartile, plan for those GPs, log an activity, open a
survey wave and fill it in from a phone, close it, and see the evaluation.
axe runs on every page and no page may be wider than the screen, on a desktop
and on a phone. Its own server: an empty database with one council lead, so
nothing here depends on ``careties demo``.
"""

from __future__ import annotations

import datetime as dt
import re
import subprocess
import sys

import pytest

from .fixtures import (
    ROOT,
    SCREENSHOTS,
    axe_violations,
    require_chromium,
    serve,
    server_env,
    wait_for_charts,
)

pytestmark = pytest.mark.browser

#: The files a council loads, in the order their references need.
ORDER = (
    "local_authorities",
    "population",
    "practices",
    "registered_patients",
    "professionals",
    "services",
    "events",
    "contacts",
    "survey_responses",
)
PASSWORD = "emptylead-browser-2026"
PHONE = {"width": 390, "height": 844}
DESKTOP = {"width": 1280, "height": 900}

CREATE_LEAD = """
from django.contrib.auth import get_user_model
from careties.web.accounts.models import Membership, Role
user = get_user_model().objects.create_user(username="emptylead", password={password!r})
Membership.objects.create(user=user, role=Role.COUNCIL_LEAD, la_codes=[{la_code!r}])
"""


@pytest.fixture(scope="module")
def council_files(tmp_path_factory):
    from careties.data import synth

    out = tmp_path_factory.mktemp("empty-council-files")
    data = synth.generate("tiny", seed=0)
    synth.write(data, out)
    la_code = data.frames["local_authorities"]["la_code"][0]
    return out, la_code, synth.FILE_FOR_KIND


@pytest.fixture(scope="module")
def empty_server(council_files):
    """``careties serve`` (gunicorn and the task worker) on an empty database."""
    require_chromium()
    _, la_code, _ = council_files
    env = server_env("careties-empty-")
    subprocess.run([sys.executable, "-m", "careties.cli", "migrate"], check=True, env=env, cwd=ROOT)
    subprocess.run(
        [
            sys.executable,
            "-m",
            "django",
            "shell",
            "-c",
            CREATE_LEAD.format(password=PASSWORD, la_code=la_code),
        ],
        check=True,
        env=env,
        cwd=ROOT,
    )
    with serve(env) as url:
        yield url


def check_page(page, where: str) -> None:
    """axe finds nothing, and the page is no wider than the screen."""
    page.wait_for_load_state()
    wait_for_charts(page)
    violations = axe_violations(page)
    assert violations == [], f"axe on {where}: {violations}"
    wide = page.evaluate("() => document.documentElement.scrollWidth - window.innerWidth")
    assert wide <= 0, f"{where} is {wide}px wider than the screen"


def header_link(page, name: str):
    header = page.locator("header.nhsuk-header")
    link = header.get_by_role("link", name=name, exact=True).first
    if not link.is_visible():
        header.locator(".nhsuk-header__menu-toggle").click()
    return link


def fill_date(page, field: str, day: dt.date) -> None:
    page.locator(f"#id_{field}-day").fill(str(day.day))
    page.locator(f"#id_{field}-month").fill(str(day.month))
    page.locator(f"#id_{field}-year").fill(str(day.year))


def test_the_whole_job_in_the_browser(browser, empty_server, council_files):
    out, la_code, file_for_kind = council_files
    today = dt.date.today()
    context = browser.new_context(base_url=empty_server, bypass_csp=True, viewport=DESKTOP)
    context.set_default_timeout(30_000)
    page = context.new_page()
    page.goto("/accounts/login/")
    page.get_by_label("Username").fill("emptylead")
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Log in").click()
    page.wait_for_load_state()
    assert "Load your council's GP practices" in page.locator("main").inner_text()
    check_page(page, "home of an empty council")

    # Load every file through the browser.
    for kind in ORDER:
        header_link(page, "Data").click()
        page.wait_for_load_state()
        if kind == "local_authorities":
            check_page(page, "load data")
        page.locator(f"input[name=kind][value={kind}]").check()
        page.set_input_files("input[type=file][name=file]", str(out / file_for_kind[kind]))
        page.get_by_role("button", name="Upload and check").click()
        page.wait_for_url(re.compile(r"/data/\d+/$"))
        if kind == "events":
            # The worker has not picked it up yet (it polls each second): the bar shows.
            assert page.locator("progress#upload-bar").count() == 1
            page.screenshot(path=str(SCREENSHOTS / "upload-progress.png"))
            check_page(page, "upload progress")
        page.get_by_role("heading", name="Checked: ready to load").wait_for(timeout=180_000)
        if kind == "local_authorities":
            check_page(page, "upload preview")
        page.get_by_role("button", name=re.compile("^Load these")).click()
        page.get_by_role("heading", name="Loaded", exact=True).wait_for(timeout=180_000)
    header_link(page, "Home").click()
    assert "Load your council's GP practices" not in page.locator("main").inner_text()
    assert "Care events from" in page.locator(".careties-data-status").inner_text()

    # The targeting list, and the top quartile targeted in one action.
    header_link(page, "Targeting").click()
    page.wait_for_load_state()
    assert page.locator(".careties-worklist__item").count() > 0
    check_page(page, "targeting work list")
    page.screenshot(path=str(SCREENSHOTS / "targeting-work-list.png"), full_page=False)
    page.get_by_role("button", name=re.compile("Target the top quartile")).click()
    page.wait_for_load_state()
    assert "The programme now targets" in page.locator("body").inner_text()
    check_page(page, "programme overview")

    # A plan item for the first GP of the list.
    header_link(page, "Targeting").click()
    page.locator(".careties-worklist__item a", has_text="Add to plan").first.click()
    page.wait_for_load_state()
    check_page(page, "new plan item")
    page.locator("input[name=approach]").first.check()
    page.get_by_label("What will be done").fill("Monthly visit by the locality social worker")
    page.get_by_label("Owner (role or team)").fill("Locality team north")
    fill_date(page, "due_date", today + dt.timedelta(days=30))
    page.locator("input[name=status][value=in_progress]").check()
    page.get_by_role("button", name="Save").click()
    page.wait_for_load_state()
    assert "Monthly visit by the locality social worker" in page.locator("main").inner_text()
    check_page(page, "action plan")

    # An activity with a GP.
    page.goto(f"/programme/activities/new/?la={la_code}")
    page.locator("input[name=kind]").first.check()
    fill_date(page, "activity_date", today)
    page.locator("select[name=gp_professional_id]").select_option(index=1)
    page.locator("select[name=staff_professional_id]").select_option(index=1)
    page.get_by_label("Length in minutes").fill("45")
    page.get_by_role("button", name="Save").click()
    page.wait_for_load_state()
    check_page(page, "activities")

    # A survey wave, a link, and answers from a phone.
    header_link(page, "Survey waves").click()
    check_page(page, "survey waves")
    page.goto("/surveys/waves/new/")
    page.locator("input[name=instrument][value=gp]").check()
    page.get_by_label("Wave name").fill("2026-W9")
    page.locator("input[name=opens_on]").fill(today.isoformat())
    page.locator("input[name=closes_on]").fill((today + dt.timedelta(days=14)).isoformat())
    page.locator("main form button, main form input[type=submit]").last.click()
    page.wait_for_load_state()
    wave_url = page.url
    wave_pk = re.search(r"/surveys/waves/(\d+)/", wave_url).group(1)
    practice = re.search(
        r"^([A-Z]\d{5})", (out / file_for_kind["practices"]).read_text().splitlines()[1]
    )
    page.goto(f"/surveys/waves/{wave_pk}/links/new/")
    if practice:
        page.locator("textarea[name=organisations]").fill(practice.group(1))
    page.locator("input[name=single_use][value=false]").check()
    page.locator("main form button, main form input[type=submit]").last.click()
    page.wait_for_load_state()
    page.goto(f"/surveys/waves/{wave_pk}/")
    token = re.search(r"/s/([A-Za-z0-9_-]{16,})/", page.content()).group(1)
    check_page(page, "wave")

    phone = browser.new_context(
        base_url=empty_server, bypass_csp=True, viewport=PHONE, is_mobile=True, has_touch=True
    )
    answer = phone.new_page()
    answer.goto(f"/s/{token}/")
    check_page(answer, "survey start on a phone")
    answer.get_by_role("button", name="Start now").click()
    for _ in range(30):
        answer.wait_for_load_state()
        if "Thank you" in answer.locator("main").inner_text():
            break
        answer.evaluate(
            """() => { const seen = new Set();
                 document.querySelectorAll('form input[type=radio]').forEach(r => {
                   if (!seen.has(r.name)) { seen.add(r.name); r.checked = true; } }); }"""
        )
        wide = answer.evaluate("() => document.documentElement.scrollWidth - window.innerWidth")
        assert wide <= 0, f"survey page on a phone is {wide}px too wide"
        answer.locator("button[value=continue]").click()
    assert "Thank you" in answer.locator("main").inner_text()
    check_page(answer, "thanks on a phone")
    answer.screenshot(path=str(SCREENSHOTS / "survey-on-a-phone.png"))
    phone.close()

    # The header menu works on a phone: the lead's pages fit and the menu opens.
    mobile = browser.new_context(
        base_url=empty_server, bypass_csp=True, viewport=PHONE, is_mobile=True
    )
    small = mobile.new_page()
    small.context.add_cookies(context.cookies())
    small.goto("/")
    check_page(small, "home on a phone")
    toggle = small.locator(".nhsuk-header__menu-toggle")
    if toggle.is_visible():
        toggle.click()
        assert small.locator(".nhsuk-header__menu-list").first.is_visible()
        small.screenshot(path=str(SCREENSHOTS / "header-menu-on-a-phone.png"))
    for where in ("/programme/?la=" + la_code, f"/council/{la_code}/targeting/"):
        small.goto(where)
        check_page(small, f"{where} on a phone")
    mobile.close()

    # Close the wave, then the evaluation.
    page.goto(f"/surveys/waves/{wave_pk}/")
    close = page.get_by_role("button", name=re.compile("^Close"))
    if close.count():
        close.first.click()
        page.wait_for_load_state()
        assert "is closed" in page.locator("body").inner_text()
    page.goto(f"/programme/evaluation/?la={la_code}")
    check_page(page, "evaluation")
    assert page.locator("h1").count() == 1
    page.screenshot(path=str(SCREENSHOTS / "evaluation.png"))
    context.close()
