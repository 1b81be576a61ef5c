"""A practice panel with a planted relationship-admissions association (or none), for testing.

Each practice gets a list, an age mix, a deprivation score, a relationship measure and a
count of admissions of its older patients drawn from a negative binomial model whose rate
ratio per standard deviation of the measure is *known*: ``rate_ratio`` (0.8 by default:
20% fewer admissions per older patient for one SD better relationships) or 1 for the null
variant. The measure is correlated with deprivation (more deprived practices relate less
well), and deprivation raises admissions, so an unadjusted model is confounded and the
adjusted one recovers the planted value: the property the tests check.

Everything is drawn from one seeded stream, so a seed gives the same panel every time.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import polars as pl

#: Admissions a year per registered patient 65+ (ASCOF 2A permanent admissions, England
#: about 560 per 100,000) times the years the panel covers.
BASE_RATE = 0.0056
#: IMD-like deprivation: gamma(3.5, 6.5) has mean 22.75 and SD 12.16 (England's practices).
DEPRIVATION_SHAPE, DEPRIVATION_SCALE = 3.5, 6.5
#: Relative change in admissions per point of deprivation, and per SD of the 85+ share.
DEPRIVATION_GRADIENT = 0.012
AGE_MIX_EFFECT = 0.15
#: Correlation between the relationship measure and (minus) deprivation.
CONFOUNDING = 0.5
#: Negative binomial over-dispersion (variance = mu + alpha mu^2).
OVERDISPERSION = 0.04


@dataclass(frozen=True)
class PlantedPanel:
    """The panel and what was planted in it."""

    panel: pl.DataFrame
    rate_ratio: float  # per SD of the relationship measure, what the model should find
    measure_sd: float  # the measure's population SD (rc_score units)


def relationship_panel(
    seed: int,
    n_practices: int = 80,
    n_councils: int = 1,
    rate_ratio: float = 0.8,
    years: float = 3.0,
) -> PlantedPanel:
    """A panel of ``n_practices`` across ``n_councils`` councils (codes E06900001...).

    Columns: ``practice_code, la_code, list_size, list_65_plus, share_85_plus,
    log_list_size, deprivation_score, rc_score`` (1-5 scale, SD 0.45),
    ``admissions`` (over ``years`` years).
    """
    rng = np.random.default_rng([seed, 18])
    council = rng.integers(0, n_councils, n_practices)
    council_level = rng.normal(0.0, 0.15, n_councils)
    list_size = np.round(rng.lognormal(np.log(8500), 0.45, n_practices)).astype(np.int64)
    share_65 = rng.beta(18, 82, n_practices)
    list_65 = np.maximum(np.round(list_size * share_65), 50).astype(np.int64)
    share_85 = rng.beta(12, 88, n_practices)
    deprivation = rng.gamma(DEPRIVATION_SHAPE, DEPRIVATION_SCALE, n_practices)
    dep_mean = DEPRIVATION_SHAPE * DEPRIVATION_SCALE
    dep_sd = np.sqrt(DEPRIVATION_SHAPE) * DEPRIVATION_SCALE
    dep_z = (deprivation - dep_mean) / dep_sd
    # Relationship latent with unit variance, correlated -CONFOUNDING with deprivation.
    latent = -CONFOUNDING * dep_z + np.sqrt(1 - CONFOUNDING**2) * rng.normal(0, 1, n_practices)
    rc_sd = 0.45
    rc_score = np.clip(3.5 + rc_sd * latent, 1.0, 5.0)
    age_z = (share_85 - 0.12) / np.sqrt(0.12 * 0.88 / 101)
    log_rate = (
        np.log(BASE_RATE * years)
        + np.log(rate_ratio) * latent
        + DEPRIVATION_GRADIENT * (deprivation - dep_mean)
        + AGE_MIX_EFFECT * age_z
        + council_level[council]
    )
    mu = list_65 * np.exp(log_rate)
    frailty = rng.gamma(1 / OVERDISPERSION, OVERDISPERSION, n_practices)
    admissions = rng.poisson(mu * frailty)
    panel = pl.DataFrame(
        {
            "practice_code": [f"Y{90000 + i:05d}" for i in range(n_practices)],
            "la_code": [f"E06{900001 + c}" for c in council],
            "list_size": list_size,
            "list_65_plus": list_65,
            "share_85_plus": share_85,
            "log_list_size": np.log(list_size),
            "deprivation_score": deprivation.round(1),
            "rc_score": rc_score,
            "admissions": admissions.astype(np.int64),
        }
    )
    return PlantedPanel(panel=panel, rate_ratio=rate_ratio, measure_sd=rc_sd)
