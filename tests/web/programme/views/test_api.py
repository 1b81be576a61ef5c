"""The ORUK API's page envelope, cut by Django's Paginator (``Page`` in the profile's OpenAPI)."""

from __future__ import annotations

import json
from pathlib import Path

from careties.planning.directory import frame_to_oruk, list_item, oruk_originals, oruk_to_frame
from careties.web.programme.views.api import page_of

DOC = json.loads(
    (Path(__file__).parents[3] / "planning" / "data" / "oruk_services.json").read_text()
)
SHAPE = ("total_items", "total_pages", "page_number", "size", "first_page", "last_page", "empty")


def _items() -> list[dict]:
    services = frame_to_oruk(oruk_to_frame(DOC, default_la_code="E06000001"), oruk_originals(DOC))
    return [list_item(s) for s in services]


def test_api_page_and_list_shapes_follow_the_profile():
    items = _items()
    page = page_of(items, page=2, per_page=2)
    assert {k: page[k] for k in SHAPE} == {
        "total_items": 3,
        "total_pages": 2,
        "page_number": 2,
        "size": 1,
        "first_page": False,
        "last_page": True,
        "empty": False,
    }
    assert page["contents"] == items[2:]
    assert "attributes" not in page["contents"][0] and "organization" in items[0]


def test_a_page_past_the_last_is_empty_not_an_error():
    page = page_of(_items(), page=9, per_page=2)
    assert (page["size"], page["empty"], page["contents"], page["last_page"]) == (0, True, [], True)


def test_no_items_is_one_empty_page():
    page = page_of([], page=1, per_page=50)
    assert {k: page[k] for k in SHAPE} == {
        "total_items": 0,
        "total_pages": 1,
        "page_number": 1,
        "size": 0,
        "first_page": True,
        "last_page": True,
        "empty": True,
    }
