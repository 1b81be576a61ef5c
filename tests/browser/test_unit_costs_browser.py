"""A council lead changes a savings unit cost on a phone: refused when implausible, saved and
used by the savings section when not, with axe on every page and nothing wider than the screen."""

from __future__ import annotations

from .fixtures import axe_violations, log_in

PHONE = {"width": 390, "height": 844}
RESIDENTIAL = "Weekly cost of a residential care home (£ a week)"


def _fits(page) -> bool:
    return page.evaluate("() => document.documentElement.scrollWidth <= window.innerWidth")


def _save_residential(page, typed: str) -> None:
    page.get_by_role("button", name="Change the unit costs").click()
    page.wait_for_load_state()
    page.get_by_label(RESIDENTIAL).fill(typed)
    page.get_by_role("button", name="Save").click()
    page.wait_for_load_state()


def test_lead_changes_a_unit_cost_and_the_savings_section_uses_it(browser, server):
    context = browser.new_context(base_url=server, bypass_csp=True, viewport=PHONE)
    context.set_default_timeout(20_000)
    page = context.new_page()
    try:
        log_in(page, "lead")
        page.goto("/")
        page.get_by_role("link", name="Overview").first.click()
        page.wait_for_load_state()
        overview = page.url
        page.locator("#section-savings").get_by_role(
            "link", name="The unit costs and their sources"
        ).click()
        page.wait_for_load_state()
        assert page.get_by_role("heading", name="Savings unit costs").is_visible()
        assert axe_violations(page) == [] and _fits(page)

        _save_residential(page, "12")
        assert page.get_by_text("There is a problem").is_visible()
        assert page.get_by_text("must be between £200 a week and £5,000 a week").first.is_visible()
        assert axe_violations(page) == [] and _fits(page)

        page.get_by_label(RESIDENTIAL).fill("£1,100")
        page.get_by_role("button", name="Save").click()
        page.wait_for_load_state()
        row = page.locator('[data-unit-cost="residential_weekly_cost_gbp"]')
        assert "£1,100 a week" in row.inner_text()
        assert "The council's figure" in row.inner_text()

        page.goto(overview)
        assert "£1,100 a week" in page.locator("#section-savings").inner_text()
    finally:
        # Back to the default, so the other browser tests see the demo's figures.
        page.goto("/programme/savings-costs/")
        _save_residential(page, "1000")
        context.close()
