"""The RC map at two waves on a phone: two maps drawn, one above the other, table folded."""

from __future__ import annotations

from .fixtures import axe_violations, log_in, wait_for_charts
from .test_dashboard_browser import header_link


def test_two_wave_maps_stack_on_a_phone_and_pass_axe(phone_page):
    page = phone_page
    log_in(page, "lead")
    header_link(page, "Relationships").click()
    page.wait_for_load_state()
    wait_for_charts(page)
    first = page.locator("#chart-rc_roles_change-1")
    second = page.locator("#chart-rc_roles_change-2")
    assert first.locator("svg").count() and second.locator("svg").count()
    a, b = first.bounding_box(), second.bounding_box()
    assert b["y"] >= a["y"] + a["height"] - 1, (a, b)  # stacked, not side by side
    assert a["width"] <= 375 and b["width"] <= 375
    table = page.locator("#section-rc_roles_change table")
    assert not table.is_visible()  # folded under the maps until asked for
    page.locator("#section-rc_roles_change").get_by_text("The figures as a table").click()
    assert table.is_visible()
    assert axe_violations(page) == []
