"""The relationship-admissions model recovers a planted association and finds none when none is planted."""

from __future__ import annotations

import numpy as np
import polars as pl
import pytest

from careties.data.synth.linkage import relationship_panel
from careties.relations.linkage import (
    LinkageError,
    linkage_table,
    relationship_admissions,
)

SEEDS = range(10)


def test_planted_association_recovered_within_its_interval_in_8_of_10_seeds() -> None:
    recovered = found = 0
    for seed in SEEDS:
        planted = relationship_panel(seed, rate_ratio=0.8)
        result = relationship_admissions(planted.panel)
        recovered += result.lower <= planted.rate_ratio <= result.upper
        found += result.upper < 1
    assert recovered >= 8
    assert found >= 8


def test_no_association_found_in_8_of_10_null_seeds() -> None:
    none_found = 0
    for seed in SEEDS:
        planted = relationship_panel(100 + seed, rate_ratio=1.0)
        result = relationship_admissions(planted.panel)
        none_found += result.lower <= 1 <= result.upper
        assert "no clear association" in result.verdict or result.upper < 1 or result.lower > 1
    assert none_found >= 8


def test_adjusting_for_deprivation_removes_the_confounding() -> None:
    """The measure is correlated with deprivation, which raises admissions: without
    adjustment the rate ratio is exaggerated (further from 1) in most seeds."""
    exaggerated = 0
    for seed in SEEDS:
        panel = relationship_panel(seed, rate_ratio=0.8).panel
        crude = relationship_admissions(panel, adjustments=())
        adjusted = relationship_admissions(panel)
        exaggerated += crude.rate_ratio < adjusted.rate_ratio
        assert crude.adjusted_for == ()
        assert adjusted.adjusted_for == ("share_85_plus", "log_list_size", "deprivation_score")
    assert exaggerated >= 8


def test_regional_model_reads_the_association_within_councils() -> None:
    recovered = 0
    for seed in range(5):
        planted = relationship_panel(seed, n_practices=160, n_councils=4, rate_ratio=0.8)
        result = relationship_admissions(planted.panel)
        assert result.councils == 4
        recovered += result.lower <= 0.8 <= result.upper
    assert recovered >= 4
    assert "in 4 councils" in result.verdict


def test_verdict_says_association_is_not_cause() -> None:
    result = relationship_admissions(relationship_panel(0, rate_ratio=0.8).panel)
    assert result.method == "negative binomial"
    assert "fewer admissions per older patient" in result.verdict
    assert "not proof that better relationships cause fewer admissions" in result.verdict


def test_without_over_dispersion_the_quasi_poisson_fallback_is_used() -> None:
    rng = np.random.default_rng(5)
    n = 60
    list_65 = rng.integers(800, 3000, n)
    score = rng.normal(3.5, 0.5, n)
    counts = rng.poisson(list_65 * 0.2 * np.exp(-0.2 * (score - 3.5) / 0.5))
    panel = pl.DataFrame(
        {
            "practice_code": [f"P{i}" for i in range(n)],
            "list_65_plus": list_65,
            "rc_score": score,
            "admissions": counts,
        }
    )
    result = relationship_admissions(panel, adjustments=())
    assert result.method == "quasi-Poisson"
    assert result.lower <= np.exp(-0.2 * score.std(ddof=1) / 0.5) <= result.upper


def test_too_few_practices_or_no_variation_is_refused_with_a_reason() -> None:
    panel = relationship_panel(0).panel
    with pytest.raises(LinkageError, match="at least 12"):
        relationship_admissions(panel.head(8))
    with pytest.raises(LinkageError, match="same"):
        relationship_admissions(panel.with_columns(rc_score=pl.lit(3.0)))
    with pytest.raises(LinkageError, match="lacks"):
        relationship_admissions(panel.drop("list_65_plus"))
    table = linkage_table(panel.with_columns(knowledge_share=pl.lit(None, dtype=pl.Float64)))
    assert table["measure"].to_list() == ["rc_score", "knowledge_share"]
    assert (
        table.filter(pl.col("measure") == "knowledge_share")["reason"].item().startswith("Only 0")
    )
    assert table.filter(pl.col("measure") == "rc_score")["rate_ratio"].item() < 1


def test_the_synthetic_council_shows_fewer_admissions_where_ties_are_stronger() -> None:
    """The council-scale synthetic world links weak ties to over-referring GPs (workforce.py);
    the model, adjusted, finds fewer new permanent admissions per older patient where a
    practice's ties with social care are stronger (seed 0: rate ratio 0.77, 0.66 to 0.91)."""
    from careties.data import synth
    from careties.referrals.admissions import new_admissions
    from careties.relations.linkage_panel import practice_panel
    from careties.relations.network import build_network, relationship_health

    frames = synth.generate("council", seed=0).frames
    network = build_network(frames["professionals"], frames["contacts"], frames["events"])
    ties = relationship_health(network.restricted()).select(
        "practice_code", "social_care_tie_strength"
    )
    panel = practice_panel(
        frames["practices"],
        frames["registered_patients"],
        new_admissions(frames["events"]),
        ties,
        frames["practice_deprivation"],
    )
    result = relationship_admissions(panel, "social_care_tie_strength")
    assert result.practices == 40
    assert "deprivation_score" in result.adjusted_for
    assert result.upper < 1
