"""Relational coordination between every role, one pair over waves, and change over time."""

from __future__ import annotations

import json

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


def _context(facts: dict, **params: str) -> Context:
    return Context(
        user=None,
        la_code=facts["la_code"],
        la_codes=[facts["la_code"]],
        policy=Policy(suppress_small_numbers=True, anonymise_practices=True),
        params=params,
    )


def test_heat_map_has_every_role_and_blanks_cells_under_the_floor(council):
    built = build("rc_roles", _context(council))
    assert built.available, built.message
    heat = built.figure["data"][0]
    assert heat["type"] == "heatmap"
    assert len(heat["y"]) == 10 and len(heat["x"]) == 11
    assert "Older people and carers" in heat["x"] and "Practice manager" in heat["y"]
    draft = REGISTRY["rc_roles"].presenter(_context(council))
    floor_cells = draft.frame.filter(draft.frame["suppressed"])
    shown = {
        (r, d)
        for r, d in draft.frame.filter(~draft.frame["suppressed"])
        .select("rater", "rated")
        .iter_rows()
    }
    # Every suppressed cell is blank in the heat map; shown cells carry a value.
    for rater, rated in floor_cells.select("rater", "rated").iter_rows():
        assert heat["z"][heat["y"].index(rater)][heat["x"].index(rated)] is None
    assert len(shown) >= 0.85 * (10 * 11)
    # A chosen wave is honoured.
    waves = [o[0] for o in draft.extras["choices"][0]["options"]]
    first = REGISTRY["rc_roles"].presenter(_context(council, wave=waves[0]))
    assert waves[0] in first.note


def test_two_waves_are_two_heat_maps_on_one_scale_with_the_floor_per_cell(council):
    from careties.web.disclosure import Rule

    # A council floor of 8 respondents hides more cells than the default 5 does.
    strict = Context(
        user=None,
        la_code=council["la_code"],
        la_codes=[council["la_code"]],
        policy=Policy(True, True, rule=Rule(min_survey_respondents=8)),
    )
    for context, floor in ((_context(council), 5), (strict, 8)):
        built = build("rc_roles_change", context)
        assert built.available, built.message
        panels = built.figure["panels"]
        assert len(panels) == 2
        heats = [p["data"][0] for p in panels]
        assert all(h["type"] == "heatmap" for h in heats)
        # The same colour scale on both maps.
        assert {(h["zmin"], h["zmax"], str(h["colorscale"])) for h in heats} == {
            (1, 5, str(heats[0]["colorscale"]))
        }
        waves = [o[0] for o in built.extras["choices"][0]["options"]]
        titles = [p["layout"]["meta"]["title"] for p in panels]
        assert all(t.endswith(w) for t, w in zip(titles, waves[-2:], strict=True))
        draft = REGISTRY["rc_roles_change"].presenter(context)
        rows = draft.frame.to_dicts()
        for side, panel in zip(("before", "after"), panels, strict=True):
            heat, crosses = panel["data"]
            hidden = {(r["rater"], r["rated"]) for r in rows if r[f"suppressed_{side}"]}
            # Every cell under the floor is blank in the map and crossed as suppressed ...
            assert set(zip(crosses["y"], crosses["x"], strict=True)) == hidden
            for rater, rated in hidden:
                assert heat["z"][heat["y"].index(rater)][heat["x"].index(rated)] is None
            # ... and every value shown stands on at least `floor` respondents.
            for r in rows:
                if r[f"rc_{side}"] is not None:
                    assert r[f"n_{side}"] >= floor
                    cell = heat["z"][heat["y"].index(r["rater"])][heat["x"].index(r["rated"])]
                    assert cell == pytest.approx(r[f"rc_{side}"])
        # The table prints "*" for a suppressed cell, and its change too.
        keys = [c.key for c in built.table.columns]
        table = dict(zip(keys, zip(*built.table.display_rows(), strict=True), strict=True))
        n_hidden = sum(r["suppressed_before"] for r in rows)
        assert table["rc_before"].count("*") == n_hidden
        assert table["change"].count("*") == sum(
            r["suppressed_before"] or r["suppressed_after"] for r in rows
        )
        if floor == 8:
            assert n_hidden > 0, "the strict floor should hide some cells of the tiny council"


def test_two_waves_page_stacks_the_maps_and_folds_the_table(client, council):
    client.force_login(council["users"][Role.COUNCIL_LEAD])
    html = client.get(
        url("section_partial", la_code=council["la_code"], key="rc_roles_change")
    ).content.decode()
    assert html.count('class="nhsuk-grid-column-one-half"') == 2
    assert 'data-chart="chart-rc_roles_change-1"' in html
    assert 'data-chart="chart-rc_roles_change-2"' in html
    assert html.index("chart-rc_roles_change-2") < html.index('<details class="nhsuk-details">')
    assert html.index('<details class="nhsuk-details">') < html.index("<table")


def test_pair_drill_shows_both_directions_over_waves(council):
    draft = REGISTRY["rc_role_pair"].presenter(
        _context(council, rater="district_nurse", rated="care_home_manager")
    )
    assert set(draft.frame["direction"]) == {
        "District nurse about care home manager",
        "Care home manager about district nurse",
    }
    assert draft.frame["wave"].n_unique() == 2
    default = REGISTRY["rc_role_pair"].presenter(_context(council, rater="nonsense"))
    assert "GP about social worker" in set(default.frame["direction"])


def test_two_waves_side_by_side_and_ties_gained_and_lost(council):
    change = REGISTRY["rc_roles_change"].presenter(_context(council))
    gp = change.frame.filter(
        (change.frame["rater_role"] == "gp") & (change.frame["rated_role"] == "social_worker")
    )
    assert gp["change"].item() > 0  # the planted wave-2 lift of GPs and social workers
    network = REGISTRY["network_change"].presenter(_context(council))
    assert set(network.frame["status"]) <= {"gained", "lost", "kept"}
    assert "ties gained" in network.note
    bad = build("network_change", _context(council, before="2030-01-01", after="2020-01-01"))
    assert not bad.available


def test_the_page_offers_the_choices(client, council):
    client.force_login(council["users"][Role.COUNCIL_LEAD])
    pair = {"rater": "gp", "rated": "practice_nurse"}
    html = client.get(
        url("section_partial", la_code=council["la_code"], key="rc_role_pair", query=pair)
    ).content.decode()
    assert 'name="rater"' in html and 'value="practice_nurse" selected' in html
    assert "GP about practice nurse" in html
    data = json.loads(
        client.get(url("section_json", la_code=council["la_code"], key="rc_roles")).content
    )
    assert "Rating role" in data["columns"]


def test_named_ties_from_the_network_questions_reach_the_network_view(council):
    from careties.web.dashboard.builders.relationships import network

    built = network(_context(council))
    assert built.edges["survey_named"].sum() > 0
    draft = REGISTRY["network"].presenter(_context(council))
    assert "network questions" in draft.note
    assert {"community", "effective_size", "efficiency"} <= set(draft.frame.columns)


def test_network_at_two_dates_is_drawn_for_those_who_may_see_organisations(council):
    open_policy = Context(
        user=None,
        la_code=council["la_code"],
        la_codes=[council["la_code"]],
        policy=Policy(suppress_small_numbers=False, anonymise_practices=False),
    )
    drawn = build("network_change", open_policy).figure
    assert {"Kept", "Gained", "Lost"} <= {t.get("name") for t in drawn["data"]}
    hidden = build("network_change", _context(council)).figure
    assert hidden["data"][0]["type"] == "bar"


def test_rc_directions_show_alpha_with_its_interval(council):
    draft = REGISTRY["rc_directions"].presenter(_context(council))
    labels = [c.label for c in draft.columns]
    assert "Alpha 95% lower (Feldt)" in labels and "Alpha 95% upper (Feldt)" in labels
    for row in draft.frame.filter(draft.frame["alpha"].is_not_null()).iter_rows(named=True):
        assert row["alpha_lower"] < row["alpha"] < row["alpha_upper"]
