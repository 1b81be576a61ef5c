"""A practice's health score and its ties agree: same year, same sources, explained on the page.

The bug this guards (issue 16): a practice page showed "health score 0, ties 0" beside 86
contacts, because the ties table counted every tie of all time, referrals from the care
records included, while the score counted a year of contacts only.
"""

from __future__ import annotations

from datetime import timedelta

import polars as pl
import pytest
from tests.web import dashboard_data
from tests.web.paths import url

from careties.data.codes import ROLE_AGENCY
from careties.web.accounts.models import Role
from careties.web.disclosure import Policy
from careties.web.presenters import REGISTRY, Context


@pytest.fixture
def council(db):
    facts = dashboard_data.load("tiny")
    facts["users"] = dashboard_data.users(facts)
    return facts


def _context(facts: dict, practice: str | None = None) -> Context:
    return Context(
        user=None,
        la_code=facts["la_code"],
        la_codes=[facts["la_code"]],
        policy=Policy.unrestricted(),
        practice_code=practice,
    )


def _contacts_with_social_care(practice: str, since, until) -> int:
    """Logged contacts between the practice's staff and social care staff, counted from the
    raw frames, independently of the network code."""
    frames = dashboard_data.synthetic().frames
    people = frames["professionals"].with_columns(
        agency=pl.col("role").replace_strict(ROLE_AGENCY, default="other")
    )
    ours = people.filter(pl.col("organisation") == practice)["professional_id"].implode()
    care = people.filter(pl.col("agency") == "social_care")["professional_id"].implode()
    a, b = pl.col("from_professional"), pl.col("to_professional")
    return (
        frames["contacts"]
        .filter(pl.col("contact_date") > since, pl.col("contact_date") <= until)
        .filter((a.is_in(ours) & b.is_in(care)) | (a.is_in(care) & b.is_in(ours)))
        .height
    )


def test_a_practice_with_contacts_never_shows_no_ties_for_the_same_year(council):
    from careties.web.dashboard.builders.relationships import WINDOW_DAYS, period_end

    practices = dashboard_data.synthetic().frames["practices"]["practice_code"].to_list()
    end = period_end(_context(council))
    checked_with_contacts = 0
    for practice in practices:
        ctx = _context(council, practice)
        health = REGISTRY["practice_health"].presenter(ctx)
        latest = health.frame.row(-1, named=True)
        ties = REGISTRY["practice_ties"].presenter(ctx).frame
        relating = ties.filter((pl.col("contacts") + pl.col("named")) > 0)
        # The score's teams are exactly the table's teams with contacts or named ties.
        assert latest["teams_reached"] == relating.height, practice
        assert (latest["network_ties"] > 0) == (relating.height > 0), practice
        contacts = _contacts_with_social_care(practice, end - timedelta(days=WINDOW_DAYS), end)
        assert ties["contacts"].sum() == contacts, practice
        if contacts:
            checked_with_contacts += 1
            assert latest["teams_reached"] > 0 and latest["network_ties"] > 0, practice
    assert checked_with_contacts >= 3  # the check ran on practices that have contacts


def test_referrals_in_care_records_are_shown_apart_and_left_out_of_the_score(council):
    practices = dashboard_data.synthetic().frames["practices"]["practice_code"].to_list()
    rows = pl.concat(
        REGISTRY["practice_ties"]
        .presenter(_context(council, p))
        .frame.with_columns(practice=pl.lit(p))
        .select("practice", "team", "strength", "contacts", "named", "care_records", "status")
        for p in practices
    )
    referral_only = rows.filter((pl.col("care_records") > 0) & (pl.col("strength") == 0))
    assert referral_only.height, "the synthetic council has practices that only refer"
    assert set(referral_only["status"]) == {"referrals_only"}
    # A tie from contacts or named ties has strength; one from care records alone has none.
    assert rows.filter((pl.col("contacts") + pl.col("named")) > 0)["strength"].min() > 0


def test_the_practice_page_explains_the_score_and_links_its_method(client, council):
    client.force_login(council["users"][Role.COUNCIL_LEAD])
    page = url("practice", la_code=council["la_code"], practice_code=council["practice"])
    html = client.get(page).content.decode()
    section = html[html.index('id="section-practice_health"') :]
    section = section[: section.index("</section>")]
    assert "How the score is made" in section
    assert "0.4 x relational coordination" in section
    assert "not in the score" in section
    assert 'href="/methods/#method-practice_health"' in section
    methods = client.get(url("methods")).content.decode()
    assert 'id="method-practice_health"' in methods
    assert "logged contacts and survey-named ties" in methods
