"""Each role logs in and walks its main path; axe finds nothing; keyboard does everything."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from .fixtures import SCREENSHOTS, axe_violations, log_in, wait_for_charts

pytestmark = pytest.mark.browser

#: Each demo user's header links (what the role may open; issue 16 adds the programme,
#: survey waves and data loading for the roles that may open them).
NAVIGATION = {
    "admin": [
        "Overview",
        "Practices",
        "Relationships",
        "Survey results",
        "Targeting",
        "Programme",
        "BCF",
        "Survey waves",
        "Data",
        "Regional",
    ],
    "lead": [
        "Overview",
        "Practices",
        "Relationships",
        "Survey results",
        "Targeting",
        "Programme",
        "BCF",
        "Survey waves",
        "Data",
    ],
    "analyst": [
        "Overview",
        "Practices",
        "Relationships",
        "Survey results",
        "Targeting",
        "Programme",
        "BCF",
        "Survey waves",
        "Data",
    ],
    "regional": ["Overview", "Survey results", "Programme", "Regional"],
    "practice": ["Overview", "My practice", "Survey results", "Local services"],
    "socialworker": ["Overview", "Practices", "Relationships", "Survey results", "Activities"],
}

#: The main path each role walks; between them every page is opened and checked with axe.
MAIN_PATHS = {
    "admin": ["Regional", "Overview"],
    "lead": ["Overview", "Practices", "Relationships", "Survey results", "Targeting", "Programme"],
    "analyst": ["Targeting", "Data"],
    "regional": ["Regional", "Survey results"],
    "practice": ["My practice", "Overview"],
    "socialworker": ["Relationships", "Practices"],
}


def header_link(page, name: str):
    """A header link, opening the header's "More" menu first when it sits there."""
    header = page.locator("header.nhsuk-header")
    link = header.get_by_role("link", name=name, exact=True)
    if not link.first.is_visible():
        header.locator(".nhsuk-header__menu-toggle").click()
    return link.first


def assert_accessible(page, where: str) -> None:
    violations = axe_violations(page)
    assert violations == [], f"axe on {where}: {violations}"


def test_login_page_is_accessible(page):
    page.goto("/accounts/login/")
    assert_accessible(page, "login")


@pytest.mark.parametrize("username", list(MAIN_PATHS))
def test_each_role_walks_its_main_path(page, username):
    log_in(page, username)
    assert "/accounts/login/" not in page.url
    assert_accessible(page, f"{username} landing page")
    header = page.locator("nav.nhsuk-header__navigation")
    offered = [
        t.strip() for t in header.locator("a").evaluate_all("(as) => as.map(a => a.textContent)")
    ]
    expected = ["Home", *NAVIGATION[username]]
    assert offered == expected, offered
    for link in MAIN_PATHS[username]:
        header_link(page, link).click()
        page.wait_for_load_state()
        assert page.locator("h1").count() == 1
        wait_for_charts(page)
        if link == "Practices":
            page.locator("main a").first.click()
            page.wait_for_load_state()
            wait_for_charts(page)
        assert_accessible(page, f"{username}: {link} ({page.url})")


def test_practice_user_cannot_open_another_practice(page, server):
    log_in(page, "practice")
    own = re.search(r"/council/(E\d{8})/practices/([A-Z]\d{5})/", page.url)
    assert own, page.url
    la_code, practice = own.groups()
    html = page.content()
    others = set(re.findall(r"\b[A-Z]\d{5}\b", html)) - {practice}
    assert not others, f"other practice codes shown to a practice user: {others}"
    for other in _other_practices(practice)[:3]:
        response = page.goto(f"/council/{la_code}/practices/{other}/")
        assert response.status == 403, other
        response = page.request.get(
            f"/council/{la_code}/sections/practice_rates.json?practice={other}"
        )
        assert response.status == 403, other
    assert page.request.get(f"/council/{la_code}/practices/").status == 403


def _other_practices(practice: str) -> list[str]:
    """Practices of the synthetic council the server was loaded with, other than ``practice``."""
    from careties.data import synth

    codes = synth.generate("council", seed=0).frames["practices"]["practice_code"].to_list()
    return sorted(c for c in codes if c != practice)


def test_lead_downloads_an_export_by_keyboard(page):
    log_in(page, "lead")
    page.get_by_role("link", name="Overview", exact=True).click()
    link = page.locator("#section-funnel a", has_text="Download CSV")
    link.focus()
    with page.expect_download() as info:
        page.keyboard.press("Enter")
    download = info.value
    assert download.suggested_filename.endswith(".csv")
    text = Path(download.path()).read_text(encoding="utf-8-sig")
    assert text.startswith("Practice code,Practice,Admissions 65+")


def test_period_filter_works_by_keyboard_with_htmx(page):
    log_in(page, "analyst")
    page.get_by_role("link", name="Overview", exact=True).click()
    page.wait_for_load_state()
    wait_for_charts(page)
    select = page.locator("#period-funnel")
    options = select.locator("option").all_inner_texts()
    assert len(options) >= 2
    select.focus()
    select.select_option(options[1])
    page.keyboard.press("Tab")
    with page.expect_response(re.compile(r"/sections/funnel/")) as info:
        page.keyboard.press("Enter")
    assert info.value.ok
    page.wait_for_function(
        "(p) => document.querySelector('#section-funnel .careties-note')?.textContent.startsWith(p)",
        arg=options[1],
    )
    wait_for_charts(page)
    assert "/sections/" not in page.url
    assert_accessible(page, "overview after the htmx swap")


def test_charts_draw_under_the_content_security_policy(strict_page):
    errors: list[str] = []
    strict_page.on("console", lambda m: errors.append(m.text) if m.type == "error" else None)
    log_in(strict_page, "lead")
    strict_page.get_by_role("link", name="Overview", exact=True).click()
    wait_for_charts(strict_page)
    assert strict_page.locator('[data-rendered="1"] svg').count() >= 3
    # nhsuk-frontend's CSS asks for its font from assets.nhs.uk, which the policy (rightly)
    # refuses; what must never be refused is a script.
    assert not [e for e in errors if "script-src" in e], errors


#: The top of each page: enough for the README without a 14,000-pixel image.
TOP = {"x": 0, "y": 0, "width": 1280, "height": 2600}


def test_screenshots_for_the_readme(page):
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    log_in(page, "lead")
    page.get_by_role("link", name="Overview", exact=True).click()
    wait_for_charts(page)
    page.screenshot(path=str(SCREENSHOTS / "council-overview.png"), full_page=True, clip=TOP)
    page.get_by_role("link", name="Practices", exact=True).click()
    page.locator("main a").first.click()
    page.wait_for_load_state("networkidle")
    wait_for_charts(page)
    page.screenshot(path=str(SCREENSHOTS / "practice-page.png"), full_page=True, clip=TOP)
