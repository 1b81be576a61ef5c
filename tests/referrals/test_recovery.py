"""On the default synthetic council, the top quartile finds the over-referring GPs the generator planted.

Measured as the generator's own truth measures it (``truth["recoverability"]``):
recall is the share of planted over-referrers inside the top quarter of GPs;
precision is the share of the top quarter that was planted. The generator
plants a quarter of GPs, the set a council would target, so both can reach 1.
Precision among the top ``k`` (``k`` the number planted) is reported too.
"""

from __future__ import annotations

import polars as pl
import pytest

from careties.referrals.referrers import highest_potential_referrers


@pytest.fixture(scope="module")
def synthetic_council():
    from careties.data.synth import generate

    return generate(scale="council", seed=0)


def recovery(synthetic_council, **options) -> dict[str, float]:
    frames = synthetic_council.frames
    planted = set(synthetic_council.truth["over_referring_gps"])
    result = highest_potential_referrers(
        frames["events"], frames["professionals"], frames["registered_patients"], **options
    )
    ranked = result.gps.sort("rank")["professional_id"].to_list()
    target = set(result.target_set["professional_id"])
    top_k = set(ranked[: len(planted)])
    return {
        "recall": len(target & planted) / len(planted),
        "precision": len(target & planted) / len(target),
        "precision_at_k": len(top_k & planted) / len(planted),
        "target_size": len(target),
    }


def test_top_quartile_recovers_planted_over_referrers(synthetic_council):
    figures = recovery(synthetic_council)
    print(f"recovery on the default synthetic council: {figures}")
    assert figures["target_size"] == 50
    assert figures["recall"] >= 0.8
    assert figures["precision"] >= 0.8


def test_target_set_reasons_read_plainly(synthetic_council):
    frames = synthetic_council.frames
    result = highest_potential_referrers(
        frames["events"], frames["professionals"], frames["registered_patients"]
    )
    reasons = result.target_set["reason"].to_list()
    assert all(" admission" in r and "times expected" in r for r in reasons)
    assert result.target_set.filter(pl.col("in_target_set")).height == 50
