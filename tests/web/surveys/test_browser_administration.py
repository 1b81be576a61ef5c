"""Issue 18's "done when", in Chromium: a wave for every GP and social worker of the
synthetic council in one action, their letters printed, answers given as several roles
(including a network question), and the response rates rising.

Runs against pytest-django's ``live_server`` on the synthetic council (tiny scale)
imported through the validating importers; the lead logs in through the login page.
"""

from __future__ import annotations

import csv
import io

import pytest
from tests.browser.fixtures import axe_violations

from careties.relations.surveys import load_instrument
from careties.web.accounts.models import Role
from careties.web.store.models import SurveyResponse
from careties.web.surveys.models import Invitation, Wave
from careties.web.surveys.presenters import section_pages

from .helpers import PASSWORD, make_user

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def council():
    from tests.web import dashboard_data

    facts = dashboard_data.load("tiny")
    make_user("lead18", Role.COUNCIL_LEAD, la_codes=[facts["la_code"]])
    return facts


def _log_in(page, base: str) -> None:
    page.goto(f"{base}/accounts/login/")
    page.get_by_label("Username").fill("lead18")
    page.get_by_label("Password").fill(PASSWORD)
    with page.expect_navigation():
        page.get_by_role("button", name="Log in").click()


def _answered(page) -> int:
    text = page.locator("#rates p[role=status]").inner_text()
    return int(text.split(" of ")[0])


def _answer(page, base: str, url: str, role: str, named: str | None, question: str) -> None:
    """Answer the roles survey as ``role``: rate one role, name one person, submit."""
    pages = section_pages(load_instrument("roles"))
    token_url = url.replace("http://testserver", base)
    page.goto(token_url)
    with page.expect_navigation():
        page.get_by_role("button", name="Start now").click()
    page.get_by_label({"gp": "GP", "social_worker": "Social worker"}[role], exact=True).check()
    for number, section in enumerate(pages, start=1):
        if (
            section.section.id == "role_social_worker"
            if role == "gp"
            else section.section.id == "role_gp"
        ):
            # Rate the other profession on every dimension (fourth option: "Often" etc.).
            for group in page.locator("fieldset.nhsuk-fieldset").all():
                group.locator("input[type=radio]").nth(3).check()
        if section.section.id == "network" and named:
            assert axe_violations(page) == []
            field = page.locator(f"#q-{question}-1")
            field.click()
            field.press_sequentially(named[:3])
            assert page.locator(f"#q-{question}-roster option[value='{named}']").count() == 1
            field.fill(named)
        label = "Submit your answers" if number == len(pages) else "Continue"
        with page.expect_navigation():
            page.get_by_role("button", name=label).click()
    assert "Thank you" in page.locator("main").inner_text()


def test_wave_for_every_gp_and_social_worker_letters_answers_and_rates(
    live_server, new_page, council
):
    base = live_server.url
    page = new_page(accept_downloads=True)
    _log_in(page, base)

    # A wave of the roles survey, made through the form.
    page.goto(f"{base}/surveys/waves/new/")
    page.get_by_label("Council").select_option(council["la_code"])
    page.get_by_label("Everyone who supports older people", exact=False).check()
    page.get_by_label("Wave name").fill("2026-R1")
    page.get_by_label("Opening date").fill("2026-01-01")
    page.get_by_label("Closing date").fill("2030-12-31")
    with page.expect_navigation():
        page.get_by_role("button", name="Create wave").click()
    wave = Wave.objects.get(name="2026-R1")

    # Every GP and every social worker, in one action.
    with page.expect_navigation():
        page.get_by_role("button", name="Invite people").click()
    page.get_by_label("GPs", exact=False).check()
    page.get_by_label("Social workers", exact=False).check()
    assert axe_violations(page) == []
    with page.expect_navigation():
        page.get_by_role("button", name="Make personal links").click()
    roster = council_roster(council["la_code"])
    invited = Invitation.objects.filter(wave=wave)
    assert invited.count() == len(roster) > 10
    assert {i.respondent_ref for i in invited} == set(roster)
    assert _answered(page) == 0
    assert axe_violations(page) == []

    # Their letters, one PDF.
    with page.expect_download() as download:
        page.get_by_role("link", name="Print every letter (PDF)").click()
    with open(download.value.path(), "rb") as handle:
        pdf = handle.read()
    assert pdf.startswith(b"%PDF") and len(pdf) > 2000 * invited.count() // 10

    # Answer as a GP (naming a social worker) and as a social worker (naming a GP).
    links = personal_links(page, base, wave.pk)
    gp = next(i for i in invited if i.role == "gp")
    sw = next(i for i in invited if i.role == "social_worker")
    other_gp = next(i for i in invited if i.role == "gp" and i.pk != gp.pk)
    _answer(new_page(), base, links[gp.link.token], "gp", sw.respondent_ref, "named_social_care")
    page.goto(f"{base}/surveys/waves/{wave.pk}/rates/")
    assert _answered(page) == 1
    _answer(new_page(), base, links[sw.link.token], "social_worker", gp.respondent_ref, "named_gp")
    _answer(new_page(), base, links[other_gp.link.token], "gp", None, "named_social_care")
    # The rates refresh themselves (htmx, every 10 s): wait for the rise without reloading.
    page.wait_for_function(
        "() => document.querySelector('#rates p[role=status]').innerText.startsWith('3 of')",
        timeout=25_000,
    )
    by_role = page.locator("#rates-role").inner_text()
    assert "gp" in by_role.lower() and "social worker" in by_role.lower()

    stored = SurveyResponse.objects.filter(wave="2026-R1")
    assert stored.values("response_id").distinct().count() == 3
    assert set(stored.filter(question_id="own_role").values_list("answer", flat=True)) == {
        "gp",
        "social_worker",
    }
    named = dict(
        stored.filter(question_id__startswith="named_").values_list("question_id", "answer")
    )
    assert named == {"named_social_care": sw.respondent_ref, "named_gp": gp.respondent_ref}


def council_roster(la_code: str) -> list[str]:
    from careties.web import selectors

    people = selectors.load_frame("professionals", la_code)
    return people.filter(people["role"].is_in(["gp", "social_worker"]))["professional_id"].to_list()


def personal_links(page, base: str, wave_pk: int) -> dict[str, str]:
    """token -> URL, from the wave's links CSV as a lead downloads it."""
    with page.expect_download() as download:
        page.goto(f"{base}/surveys/waves/{wave_pk}/")
        page.get_by_role("link", name="Download all links as CSV").click()
    with open(download.value.path(), encoding="utf-8") as handle:
        text = handle.read()
    rows = list(csv.DictReader(io.StringIO(text)))
    return {row["url"].rstrip("/").rsplit("/", 1)[-1]: row["url"] for row in rows}
