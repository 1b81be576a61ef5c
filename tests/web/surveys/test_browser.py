"""The three surveys filled in by keyboard in Chromium, through their anonymous links.

Runs tests/browser's Chromium and pages against pytest-django's ``live_server``
(a real HTTP server on the test database; ``server`` in this folder's conftest),
so the rows checked are the rows the server stored. Radios are
chosen as a keyboard user chooses them: Space to pick the focused option,
arrow keys to move between options, Tab to the next question, Enter on the
button. axe-core (tests/browser's, the vendored copy) checks each kind of page
for WCAG 2.2 AA, on a phone's screen.
"""

from __future__ import annotations

import pytest
from tests.browser.fixtures import axe_violations

from careties.relations.surveys import load_instrument
from careties.web.store.models import SurveyResponse
from careties.web.surveys.models import FreeTextComment
from careties.web.surveys.presenters import section_pages

from .helpers import make_link, make_wave

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

ORGANISATION = {"gp": "A81001", "social_worker": "TEAM-N", "older_person": None}
#: Which option (0-based) the keyboard picks for a few questions; the rest get the first.
CHOSEN = {"relationship_asc": 3, "relationship_gp": 1, "turn_to_first": 1, "rc_timely": 4}


def answer_page_by_keyboard(page, questions, comment: str) -> None:
    """Answer one section with the keyboard only, then press Enter on Continue/Submit."""
    page.locator("form input[type=radio], form textarea").first.focus()
    for question in questions:
        if question.kind == "text":
            page.keyboard.type(comment)
        elif question.required:
            page.keyboard.press("Space")
            for _ in range(CHOSEN.get(question.id, 0)):
                page.keyboard.press("ArrowDown")
        # Optional questions are left blank: Tab passes over an unanswered group.
        page.keyboard.press("Tab")
    focused = page.evaluate("() => document.activeElement.value")
    assert focused == "continue", "Tab order should reach the Continue button next"
    with page.expect_navigation():
        page.keyboard.press("Enter")


def expected_answers(instrument_id: str) -> dict[str, str]:
    instrument = load_instrument(instrument_id)
    return {
        q.id: q.options[CHOSEN.get(q.id, 0)][0]
        for q in instrument.questions
        if q.required and not q.free_text
    }


@pytest.mark.parametrize("instrument_id", ["gp", "social_worker", "older_person"])
def test_survey_filled_in_by_keyboard_is_stored(phone_page, instrument_id):
    wave = make_wave(instrument_id)
    link = make_link(wave, organisation=ORGANISATION[instrument_id], single_use=True)
    instrument = load_instrument(instrument_id)
    pages = section_pages(instrument)
    page = phone_page

    page.goto(f"/s/{link.token}/")
    assert page.locator("h1").inner_text() == instrument.title
    assert axe_violations(page) == []
    page.get_by_role("button", name="Start now").focus()
    with page.expect_navigation():
        page.keyboard.press("Enter")

    comment = f"Comment from the {instrument_id} survey"
    for number, section in enumerate(pages, start=1):
        assert f"Part {number} of {len(pages)}" in page.locator("main").inner_text()
        if number == 1:
            assert axe_violations(page) == []
        answer_page_by_keyboard(page, section.questions, comment)

    assert "Thank you" in page.locator("main").inner_text()
    rows = SurveyResponse.objects.filter(wave=wave.name, instrument=instrument_id)
    assert {r.question_id: r.answer for r in rows} == expected_answers(instrument_id)
    assert set(rows.values_list("organisation", flat=True)) == {ORGANISATION[instrument_id]}
    assert rows.values("response_id").distinct().count() == 1
    assert list(FreeTextComment.objects.values_list("text", flat=True)) == [comment]

    page.goto(f"/s/{link.token}/")
    assert "This link has already been used" in page.locator("main").inner_text()


def test_second_submission_through_a_single_use_link_is_refused(new_page):
    link = make_link(make_wave("older_person"), organisation=None, single_use=True)
    instrument = load_instrument("older_person")
    first, second = new_page(), new_page()
    # Both people open the link before either has finished.
    second.goto(f"/s/{link.token}/section/1/")
    first.goto(f"/s/{link.token}/section/1/")
    for section in section_pages(instrument):
        answer_page_by_keyboard(first, section.questions, "")
    assert "Thank you" in first.locator("main").inner_text()

    answer_page_by_keyboard(second, section_pages(instrument)[0].questions, "")
    text = second.locator("main").inner_text()
    assert "This link has already been used" in text
    assert "ask the person who sent you the link for a new one" in text
    assert axe_violations(second) == []
    assert SurveyResponse.objects.values("response_id").distinct().count() == 1


def test_save_and_resume_code_on_a_phone(phone_page, new_page):
    link = make_link(make_wave("gp"))
    page = phone_page
    page.goto(f"/s/{link.token}/section/1/")
    page.locator("#q-relationship_asc").focus()
    page.keyboard.press("Space")
    with page.expect_navigation():
        page.get_by_role("button", name="Save and finish later").click()
    code = page.locator("#resume-code").input_value()
    assert len(code) == 14
    assert axe_violations(page) == []
    # No horizontal scrolling on a phone's screen.
    assert page.evaluate("() => document.documentElement.scrollWidth - window.innerWidth") <= 0

    elsewhere = new_page()
    elsewhere.goto(f"/s/{link.token}/")
    elsewhere.get_by_text("I have saved answers").click()
    elsewhere.get_by_label("Resume code").fill(code.lower())
    with elsewhere.expect_navigation():
        elsewhere.keyboard.press("Enter")
    assert elsewhere.locator("#q-relationship_asc").is_checked()
