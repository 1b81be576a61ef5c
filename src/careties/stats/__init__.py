"""careties.stats: the public-health statistics careties uses, checked against published values.

Pure NumPy/SciPy kernels on aggregated arrays; frames in and out are Polars. Nothing here
touches Django, the database or files. Each method, its formula and its reference are in
``docs/methods.md``.
"""

from careties.errors import NotEnoughData
from careties.stats._validate import StatsInputError
from careties.stats.differences import (
    newcombe_difference,
    percentage_point_difference,
    two_proportion_p_value,
    welch_difference,
)
from careties.stats.evaluation import DiDResult, difference_in_differences
from careties.stats.funnel import POSITIONS, funnel_assess, funnel_limits
from careties.stats.intervals import EXACT_POISSON_BELOW, byar_ci, rate_ci, wilson_ci
from careties.stats.spc import (
    ASSURANCE_ICONS,
    POINT_TYPES,
    VARIATION_ICONS,
    SPCWarning,
    spc,
)
from careties.stats.standardisation import (
    expected_counts,
    indirectly_standardised_ratio,
    ratio_ci,
    stratum_rates,
)

__all__ = [
    "ASSURANCE_ICONS",
    "DiDResult",
    "EXACT_POISSON_BELOW",
    "POINT_TYPES",
    "NotEnoughData",
    "POSITIONS",
    "SPCWarning",
    "StatsInputError",
    "VARIATION_ICONS",
    "byar_ci",
    "difference_in_differences",
    "expected_counts",
    "funnel_assess",
    "funnel_limits",
    "indirectly_standardised_ratio",
    "newcombe_difference",
    "percentage_point_difference",
    "rate_ci",
    "ratio_ci",
    "spc",
    "stratum_rates",
    "two_proportion_p_value",
    "welch_difference",
    "wilson_ci",
]
