"""The BCF page on the demo council, in Chromium: every metric against its goal, every quarter.

The server is loaded by ``careties demo --no-serve`` (tests/browser/fixtures.py),
so this checks what the demo shows: the three headline metrics and the demo
plan's three relationship metrics, each with an SPC chart and a goal in every
quarter, the quarterly return downloaded as a workbook, and no axe violations.
"""

from __future__ import annotations

import openpyxl
import pytest

from .fixtures import SCREENSHOTS, axe_violations, log_in, wait_for_charts

pytestmark = pytest.mark.browser


def test_lead_sees_every_metric_against_its_goal_and_downloads_the_return(page, tmp_path):
    log_in(page, "lead")
    page.get_by_role("link", name="BCF", exact=True).first.click()
    page.wait_for_load_state()
    wait_for_charts(page)
    tables = page.locator("table[data-metric]")
    assert tables.count() == 6
    for i in range(6):
        rows = tables.nth(i).locator("tbody tr")
        assert rows.count() >= 4
        for j in range(rows.count()):
            assert rows.nth(j).locator("[data-on-track]").get_attribute("data-on-track") in {
                "yes",
                "no",
            }
    assert page.locator("[data-mdc-variation]").count() == 6
    assert axe_violations(page) == []
    page.screenshot(path=str(SCREENSHOTS / "bcf-page.png"), full_page=False)

    # The metric's table is folded under its chart (a <details>): follow its last quarter's link.
    page.goto(page.locator("table[data-metric] tbody tr th a").last.get_attribute("href"))
    page.wait_for_load_state()
    with page.expect_download() as download:
        page.get_by_role("link", name="XLSX").click()
    path = tmp_path / "return.xlsx"
    download.value.save_as(path)
    rows = list(openpyxl.load_workbook(path)["Metrics"].iter_rows(values_only=True))
    assert rows[0][:6] == ("Type", "Metric", "Unit", "Goal", "Actual", "On track")
    assert len(rows) == 7 and all(r[3] is not None and r[4] is not None for r in rows[1:])
