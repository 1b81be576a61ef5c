"""The network view people can read: names, sectors, a chosen size, filters, gaps listed."""

from __future__ import annotations

import polars as pl
import pytest
from tests.web import dashboard_data
from tests.web.paths import url

from careties.web.accounts.models import Role
from careties.web.disclosure import Policy
from careties.web.presenters import REGISTRY, Context, build


@pytest.fixture
def council(db):
    facts = dashboard_data.load("tiny")
    facts["users"] = dashboard_data.users(facts)
    return facts


def _context(facts: dict, policy: Policy | None = None, **params: str) -> Context:
    return Context(
        user=None,
        la_code=facts["la_code"],
        la_codes=[facts["la_code"]],
        policy=policy or Policy.unrestricted(),
        params=params,
    )


def _network(facts: dict, **params: str):
    return REGISTRY["network"].presenter(_context(facts, **params))


def test_practices_are_named_and_every_organisation_has_a_sector(council):
    names = dict(
        dashboard_data.synthetic().frames["practices"].select("practice_code", "name").rows()
    )
    frame = _network(council).frame
    practices = frame.filter(pl.col("sector") == "gp")
    assert practices.height == len(names)
    for code, label in practices.select("node_id", "label").rows():
        assert label == names[code]
    teams = frame.filter(pl.col("sector") == "social_care")
    assert teams.height and all(label.startswith("Adult social care, ") for label in teams["label"])
    assert frame["kind"].null_count() == 0


def test_the_kinds_of_tie_split_the_ties_between_them(council):
    total = _network(council).frame["contacts"].sum()
    parts = {
        kind: _network(council, tie=kind).frame["contacts"].sum()
        for kind in ("contact", "referral", "survey")
    }
    assert all(parts.values()), parts
    assert sum(parts.values()) == total
    assert "Showing: Named in the survey" in _network(council, tie="survey").note


def test_a_sector_filter_keeps_the_practices_and_that_sector_only(council):
    frame = _network(council, agency="community_health").frame
    assert set(frame["sector"]) == {"gp", "community_health"}
    unknown = _network(council, agency="nonsense").frame
    assert set(unknown["sector"]) >= {"gp", "social_care"}  # an unknown choice shows all


def test_node_sizes_follow_the_chosen_measure(council):
    for size, column in (
        ("ties", "ties"),
        ("contacts", "contacts"),
        ("strength", "total_strength"),
    ):
        built = build("network", _context(council, size=size))
        nodes = [t for t in built.figure["data"] if "markers" in t["mode"]]
        drawn = [
            (size_px, label)
            for trace in nodes
            for size_px, label in zip(trace["marker"]["size"], trace["texttemplate"], strict=True)
        ]
        largest = max(drawn)[1]
        frame = _network(council, size=size).frame
        assert frame.filter(pl.col("label") == largest)[column].item() == frame[column].max(), size


def test_missing_ties_are_listed_beside_the_drawing_not_drawn(council):
    built = build("network", _context(council))
    assert not any("issing" in (t.get("name") or "") for t in built.figure["data"])
    aside = built.extras["aside"]
    gaps = [gap for _, gap in aside["rows"]]
    # The synthetic council's practices that only refer to the front door are listed.
    assert any(gap.startswith("Refers in care records but no contact with") for gap in gaps)
    names = set(dashboard_data.synthetic().frames["practices"]["name"])
    assert {practice for practice, _ in aside["rows"]} <= names


def test_people_who_see_practices_anonymised_get_no_drawing_and_no_names(council):
    policy = Policy(suppress_small_numbers=True, anonymise_practices=True)
    built = build("network", _context(council, policy))
    assert not built.figure
    names = set(dashboard_data.synthetic().frames["practices"]["name"])
    shown = {row[0] for row in built.table.rows}
    assert not shown & names
    assert not {practice for practice, _ in built.extras["aside"]["rows"]} & names


def test_the_choices_are_a_plain_get_form_on_the_page(client, council):
    client.force_login(council["users"][Role.COUNCIL_LEAD])
    choices = {"size": "ties", "agency": "social_care", "tie": "contact"}
    page = url("relationships", la_code=council["la_code"], query=choices)
    html = client.get(page).content.decode()
    section = html[html.index('id="section-network"') :]
    section = section[: section.index("</section>")]
    assert '<form class="careties-filter" method="get"' in section
    for name, value in (("size", "ties"), ("agency", "social_care"), ("tie", "contact")):
        assert f'name="{name}"' in section and f'value="{value}" selected' in section
    assert "Ties that are missing or weak" in section
    assert "<details" in section  # the figures as a table, folded under the drawing


def test_the_council_filter_offers_only_the_councils_a_user_may_open(client, council):
    from tests.web import factories

    from careties.web.store.services import import_frame

    import_frame(kind="local_authorities", frame=factories.councils(), source="neighbours")
    others = set(factories.councils()["la_code"]) - {council["la_code"]}
    page = url("relationships", la_code=council["la_code"])
    client.force_login(council["users"][Role.SYSTEM_ADMIN])
    section = client.get(page).content.decode().split('id="section-network"')[1]
    section = section[: section.index("</section>")]
    assert "Other councils you can see" in section
    for code in others:
        assert f'href="/council/{code}/relationships/#section-network"' in section
    client.force_login(council["users"][Role.COUNCIL_LEAD])  # one council: nothing to offer
    section = client.get(page).content.decode().split('id="section-network"')[1]
    assert "Other councils you can see" not in section[: section.index("</section>")]
