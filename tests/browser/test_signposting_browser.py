"""Intelligent sign-posting in Chromium: search by postcode and distance, and what to tell a practice.

The council lead loads, through the pages a council uses, an Open Referral UK
file with two telecare services at known places and a postcode file in the ONS
Postcode Directory layout, and targets a practice. A practice user then finds
the nearer service by postcode and distance; a social worker opens "what to
tell this practice" for the targeted practice, logs a contact that discussed
two of its items, and sees them on the practice's page.
"""

from __future__ import annotations

import datetime as dt
import json
import re

import pytest

from careties.planning.oruk_common import oruk_id

from .fixtures import axe_violations, log_in

pytestmark = pytest.mark.browser

NEAR, FAR = (54.6500, -1.2300), (54.7500, -1.2300)  # 11.1 km (6.9 miles) apart


def _service(name: str, place: tuple[float, float], postcode: str) -> dict:
    sid = oruk_id("browser-test", name)
    return {
        "id": sid,
        "name": name,
        "status": "active",
        "description": f"{name}: pendant alarms and a response service.",
        "attributes": [
            {
                "id": oruk_id(sid, "type"),
                "link_id": sid,
                "link_type": "service_type",
                "taxonomy_term_id": oruk_id("browser-test", "telecare"),
                "taxonomy_term": {
                    "id": oruk_id("browser-test", "telecare"),
                    "name": "Telecare",
                    "description": "Telecare",
                    "taxonomy": "careties:service_type",
                    "term": "telecare",
                },
            }
        ],
        "service_at_locations": [
            {
                "id": oruk_id(sid, "sal"),
                "location": {
                    "id": oruk_id(sid, "location"),
                    "location_type": "physical",
                    "name": f"{name} office",
                    "latitude": place[0],
                    "longitude": place[1],
                    "addresses": [
                        {
                            "id": oruk_id(sid, "address"),
                            "address_1": "1 High Street",
                            "city": "Hartlepool",
                            "state_province": "County Durham",
                            "postal_code": postcode,
                            "country": "GB",
                            "address_type": "physical",
                        }
                    ],
                },
            }
        ],
    }


def _upload(page, path: str, name: str, content: bytes, mime: str, button: str) -> None:
    page.goto(path)
    form = page.locator("main form").filter(has=page.locator("input[type=file]"))
    form.locator("input[type=file]").set_input_files(
        {"name": name, "mimeType": mime, "buffer": content}
    )
    with page.expect_navigation():
        form.get_by_role("button", name=button).click()
    page.wait_for_load_state()
    assert "/programme/directory/" in page.url and path not in page.url, (
        page.url,
        page.locator("main").inner_text()[:2000],
    )


def test_search_by_postcode_then_tell_a_targeted_practice_and_log_two_items(page):
    log_in(page, "lead")
    page.goto("/programme/directory/")
    doc = [
        _service("Browser Near Telecare", NEAR, "TS24 8AY"),
        _service("Browser Far Telecare", FAR, "TS27 4AA"),
    ]
    _upload(
        page,
        "/programme/directory/import/",
        "near.json",
        json.dumps(doc).encode(),
        "application/json",
        "Import",
    )
    listed = page.request.get("/api/oruk/services?search=Browser").json()
    assert listed["total_items"] == 2, listed
    onspd = "pcd,pcds,doterm,oslaua,lat,long\nTS251AA,TS25 1AA,,E06000001,54.651000,-1.230000\n"
    _upload(
        page, "/programme/directory/postcodes/", "onspd.csv", onspd.encode(), "text/csv", "Load"
    )
    assert "1 postcode(s) loaded" in page.content()
    near = page.request.get(
        "/api/oruk/service_at_locations?postcode=TS25 1AA&proximity=3218"
    ).json()
    assert [i["service"]["name"] for i in near["contents"]] == ["Browser Near Telecare"], near

    # target the first practice offered, from today
    page.goto("/programme/settings/")
    box = page.locator("input[name=targeted_practices]").first
    targeted = box.get_attribute("value")
    box.check()
    today = dt.date.today()
    whole = page.locator("input[name=start_date]")
    if whole.count():
        whole.fill(today.isoformat())
    else:  # the NHS date input: day, month and year boxes
        for part, value in (("day", today.day), ("month", today.month), ("year", today.year)):
            page.locator(f"input[name=start_date-{part}]").fill(str(value))
    page.get_by_role("button", name="Save").click()
    page.wait_for_load_state()
    assert page.locator(".nhsuk-error-summary").count() == 0, page.content()[:3000]

    # search by postcode and distance: the near one within 2 miles, not the far one
    page.context.clear_cookies()  # a new user on the same browser
    log_in(page, "practice")
    page.goto("/programme/directory/")
    page.get_by_label("Near postcode").fill("TS25 1AA")
    page.get_by_label("Within (miles)").fill("2")
    page.get_by_role("button", name="Search").click()
    page.wait_for_load_state()
    text = page.locator("main").inner_text()
    assert "nearest to TS25 1AA first, within 2 miles" in text, page.url
    assert "Browser Near Telecare" in text and "Browser Far Telecare" not in text, (page.url, text)
    assert re.search(r"0\.1 miles away", text)
    assert axe_violations(page) == []

    # the social worker: what to tell the targeted practice, and log two of its items
    page.context.clear_cookies()
    log_in(page, "socialworker")
    page.goto("/programme/practices/")
    first_row = page.locator("tbody tr").first
    assert "Targeted" in first_row.inner_text() and targeted in first_row.inner_text()
    first_row.get_by_role("link").click()
    page.wait_for_load_state()
    items = page.locator("#what-to-tell > li")
    assert items.count() >= 2, page.locator("main").inner_text()
    assert axe_violations(page) == []
    page.get_by_label("GP", exact=True).select_option(index=1)
    page.get_by_label("Length in minutes").fill("25")
    boxes = page.locator("input[name=discussed]")
    chosen = [boxes.nth(i).get_attribute("value") for i in (0, 1)]
    boxes.nth(0).check()
    boxes.nth(1).check()
    page.get_by_role("button", name="Log contact").click()
    page.wait_for_load_state()
    main = page.locator("main").inner_text()
    assert "Contact logged with the items discussed." in main
    discussed_table = page.locator("#discussed").inner_text()
    for service_type in chosen:
        label = service_type.replace("_", " ")
        assert label.capitalize() in discussed_table
        assert label in main.split("Recent contacts", 1)[1]
