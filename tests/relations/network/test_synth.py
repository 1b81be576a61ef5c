"""The planted weak ties and isolated practices of the synthetic council are found."""

from __future__ import annotations

import polars as pl
import pytest

from careties.data import synth  # noqa: E402
from careties.relations.network import (  # noqa: E402
    build_network,
    isolated_practices,
    weak_ties,
)


@pytest.fixture(scope="module")
def council():
    return synth.generate(scale="council", seed=0)


def test_planted_isolated_practices_are_found(council) -> None:
    frames, truth = council.frames, council.truth
    as_of = pl.Series([truth["isolation_window"]["end"]]).str.to_date()[0]
    found = isolated_practices(frames["professionals"], frames["contacts"], as_of, window_days=365)
    found_codes = set(found["practice_code"])
    planted = set(truth["isolated_practices"])
    assert planted <= found_codes
    # Anything else flagged is a planted weak-tie practice that, by chance, had no
    # social care contact all year: a true gap, not noise.
    weak_practices = {p for p, _ in truth["weak_ties"]}
    assert found_codes - planted <= weak_practices


def test_planted_weak_ties_are_found(council) -> None:
    frames, truth = council.frames, council.truth
    as_of = frames["contacts"]["contact_date"].max()
    network = build_network(
        frames["professionals"], frames["contacts"], frames["events"], as_of=as_of, window_days=365
    )
    home = pl.DataFrame(
        list(truth["home_teams"].items()), schema=["practice_code", "team_code"], orient="row"
    )
    gaps = weak_ties(network, expected_pairs=home)
    flagged = set(gaps.select("practice_code", "team_code").iter_rows())
    planted = {tuple(pair) for pair in truth["weak_ties"]}
    assert planted <= flagged
    # The isolated practices' home ties show as missing or weak too.
    isolated = set(truth["isolated_practices"])
    assert isolated <= {p for p, _ in flagged}
    # Precision: most practices keep a healthy tie to their home team.
    assert len(flagged) <= 0.4 * home.height
    # Without the expected pairs every planted tie is still reported.
    everything = weak_ties(network)
    assert planted <= set(everything.select("practice_code", "team_code").iter_rows())
