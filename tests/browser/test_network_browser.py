"""The network view in a browser: named, filtered with a plain form, gaps listed, axe clean."""

from __future__ import annotations

from .fixtures import axe_violations, log_in, wait_for_charts
from .test_dashboard_browser import header_link


def test_network_view_names_filters_and_lists_gaps(page):
    log_in(page, "lead")
    header_link(page, "Relationships").click()
    page.wait_for_load_state()
    wait_for_charts(page)
    section = page.locator("#section-network")
    drawing = section.locator("#chart-network")
    assert drawing.locator("svg").count()
    legend = drawing.locator("g.legend").first.text_content()
    assert "GP practices" in legend and "Adult social care teams" in legend
    assert "Missing" not in legend  # listed beside the drawing, not drawn
    gaps = section.locator("table", has=page.locator("caption", has_text="missing or weak"))
    assert gaps.is_visible()
    # The figures as a table are folded under the drawing until asked for.
    figures = section.locator("#caption-network")
    assert not figures.is_visible()
    section.get_by_text("The figures as a table").click()
    assert figures.is_visible()
    assert axe_violations(page) == []

    # The choices are a plain GET form: no script needed to apply them.
    section.get_by_label("Kind of tie").select_option("contact")
    section.get_by_label("Size organisations by").select_option("ties")
    section.get_by_role("button", name="Show").click()
    page.wait_for_load_state()
    assert "tie=contact" in page.url and "size=ties" in page.url
    section = page.locator("#section-network")
    assert "Showing: Logged contacts" in section.inner_text()
    assert section.get_by_label("Kind of tie").input_value() == "contact"
    wait_for_charts(page)
    assert axe_violations(page) == []


def test_network_view_fits_a_phone(phone_page):
    page = phone_page
    log_in(page, "lead")
    header_link(page, "Relationships").click()
    page.wait_for_load_state()
    wait_for_charts(page)
    drawing = page.locator("#chart-network").bounding_box()
    gaps = page.locator("#section-network .careties-aside").bounding_box()
    assert drawing["width"] <= 375 and gaps["width"] <= 375
    assert gaps["y"] >= drawing["y"] + drawing["height"] - 1  # stacked under the drawing
    assert page.evaluate("() => document.documentElement.scrollWidth") <= 375
    assert axe_violations(page) == []
