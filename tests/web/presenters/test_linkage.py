"""The relationship-admissions section fills from the synthetic council, council and region."""

from __future__ import annotations

import pytest
from tests.web import dashboard_data
from tests.web.paths import url

from careties.errors import NotEnoughData
from careties.web.accounts.models import Role
from careties.web.disclosure import Policy
from careties.web.presenters import PAGES, REGISTRY, Context, build


@pytest.fixture
def council(db):
    """The ``council`` scale (40 practices): the tiny council's 8 are too few for a model."""
    facts = dashboard_data.load("council")
    facts["users"] = dashboard_data.users(facts)
    return facts


def test_too_few_practices_says_why(db):
    facts = dashboard_data.load("tiny")
    context = Context(
        user=None, la_code=facts["la_code"], la_codes=[facts["la_code"]], policy=Policy(False, False)
    )
    with pytest.raises(NotEnoughData, match="needs at least 12"):
        REGISTRY["linkage"].presenter(context)


@pytest.mark.parametrize("key", ["linkage", "regional_linkage"])
def test_linkage_section_shows_models_with_intervals_and_the_caveat(council, key):
    regional = REGISTRY[key].page == "regional"
    context = Context(
        user=None,
        la_code=None if regional else council["la_code"],
        la_codes=[council["la_code"]],
        policy=Policy(suppress_small_numbers=True, anonymise_practices=True),
    )
    draft = REGISTRY[key].presenter(context)
    fitted = draft.frame.filter(draft.frame["rate_ratio"].is_not_null())
    assert fitted.height >= 1
    for row in fitted.iter_rows(named=True):
        assert row["lower"] <= row["rate_ratio"] <= row["upper"]
        assert row["practices"] >= 12
        assert "not proof" in row["verdict"]
    # Which measures were modelled: survey RC and contacts' tie strength both loaded.
    assert {"rc_score", "social_care_tie_strength"} <= set(draft.frame["measure"].to_list())
    built = build(key, context)
    assert built.table is not None
    assert key in PAGES["regional" if regional else "relationships"]


def test_linkage_on_the_relationships_page(client, council):
    client.force_login(council["users"][Role.COUNCIL_LEAD])
    html = client.get(
        url("section_partial", la_code=council["la_code"], key="linkage")
    ).content.decode()
    assert "Rate ratio per SD" in html
    assert "not proof" in html
