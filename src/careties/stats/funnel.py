"""Funnel plots: control limits by denominator, and where each unit sits, with overdispersion.

Limits follow Spiegelhalter DJ (2005) "Funnel plots for comparing institutional performance",
Stat Med 24:1185-1202, and are checked against the published values of PHEindicatormethods
(proportions) and NHS-R's FunnelPlotR (standardised ratios). Overdispersion follows Spiegelhalter
DJ (2005) "Handling over-dispersion of performance indicators", Qual Saf Health Care
14:347-351, as FunnelPlotR implements it (10% Winsorised z-scores, phi, tau squared).

Three kinds of indicator:

``"proportion"``
    numerator out of a denominator (e.g. admissions out of patients aged 65+).
``"rate"``
    events per unit of population or person-time (e.g. admissions per 100,000).
``"ratio"``
    an indirectly standardised ratio: observed events over expected events, so the
    denominator is the expected count and the target is 1 (times ``multiplier``, e.g. 100).
"""

from __future__ import annotations

from typing import Literal

import numpy as np
import polars as pl
from scipy.special import betaincinv, gammaincinv

from careties.errors import NotEnoughData
from careties.stats._validate import StatsInputError, as_float_array, confidence_label, z_for

__all__ = [
    "funnel_limits",
    "funnel_assess",
    "POSITIONS",
    "WINSORISE_FRACTION",
]

Kind = Literal["proportion", "rate", "ratio"]
KINDS = ("proportion", "rate", "ratio")

#: FunnelPlotR's default ``trim_by``: Winsorise z-scores at the 10th and 90th centiles.
WINSORISE_FRACTION = 0.1

#: Values of the ``position`` column of :func:`funnel_assess`, from lowest to highest.
POSITIONS = ("below_998", "below_95", "within", "above_95", "above_998")

_CONFIDENCES = (0.95, 0.998)


def _check_kind(kind: str) -> None:
    if kind not in KINDS:
        raise StatsInputError(f"kind must be one of {', '.join(KINDS)}; got {kind!r}")


def _normal_limits(n: np.ndarray, theta: float, z: float, kind: str) -> tuple[np.ndarray, ...]:
    # Spiegelhalter (2005) eq. (3): target +/- z * sqrt(V(target) / n).
    variance = theta * (1.0 - theta) if kind == "proportion" else theta
    half_width = z * np.sqrt(variance / n)
    return theta - half_width, theta + half_width


def _exact_binomial(
    n: np.ndarray, theta: float, confidence: float
) -> tuple[np.ndarray, np.ndarray]:
    """Exact binomial limits in their continuous (beta) form, on the 0-1 scale.

    With ``m = n * target`` events expected: lower = Beta(a/2; m, n - m + 1) and
    upper = Beta(1 - a/2; m + 1, n - m), the beta quantiles that give the Clopper-Pearson
    limits at whole counts. Spiegelhalter's interpolated binomial quantile (2005, appendix)
    zigzags as n grows by one; this form moves smoothly and monotonically with n, as the
    chi-squared Poisson limits do.
    """
    alpha = 1.0 - confidence
    expected = n * theta
    lower = betaincinv(expected, n - expected + 1.0, alpha / 2.0)
    upper = betaincinv(expected + 1.0, n - expected, 1.0 - alpha / 2.0)
    return lower, upper


def _poisson_limits(
    expected: np.ndarray, theta: float, confidence: float
) -> tuple[np.ndarray, np.ndarray]:
    """Exact Poisson limits for a ratio with ``expected`` events, as FunnelPlotR draws them.

    lower = theta * chi2(a/2; 2E) / (2E), upper = theta * chi2(1 - a/2; 2E + 2) / (2E).
    """
    alpha = 1.0 - confidence
    lower = theta * gammaincinv(expected, alpha / 2.0) / expected
    upper = theta * gammaincinv(expected + 1.0, 1.0 - alpha / 2.0) / expected
    return lower, upper


def _limits(
    n: np.ndarray, theta: float, kind: str, confidence: float, method: str
) -> tuple[np.ndarray, np.ndarray, str]:
    """Lower and upper limits on the 0-1 (or per-unit) scale, and the method's name."""
    if method == "normal":
        lower, upper = _normal_limits(n, theta, z_for(confidence), kind)
        upper = np.clip(upper, 0.0, 1.0) if kind == "proportion" else upper
        return np.clip(lower, 0.0, None), upper, "normal"
    if kind == "proportion":
        lower, upper = _exact_binomial(n, theta, confidence)
        return lower, upper, "exact binomial"
    # Rates and ratios: Poisson on the events expected under the target.
    expected = n * theta if kind == "rate" else n
    lower, upper = _poisson_limits(expected, 1.0, confidence)
    return lower * theta, upper * theta, "exact Poisson"


def funnel_limits(
    denominators: object,
    target: float,
    kind: Kind,
    confidence: tuple[float, ...] = _CONFIDENCES,
    multiplier: float = 1,
    method: Literal["exact", "normal"] = "exact",
) -> pl.DataFrame:
    """Funnel plot control limits at each denominator (Spiegelhalter 2005).

    ``denominators`` are sample sizes (proportions), populations or person-time (rates) or
    expected counts (ratios); ``target`` is on the 0-1 or per-unit scale (for a ratio, 1 means
    "as expected"); results are multiplied by ``multiplier`` (100 for a percentage or an SMR
    of 100, 100,000 for a rate per 100,000).

    ``method="exact"`` (the default) gives exact limits at every size, which matter most where
    the denominator is small and approach the normal limits as it grows:

    - proportions, with ``m = n * target`` events expected: the beta (continuous
      Clopper-Pearson) form of the exact binomial limits, ``lower = Beta(a/2; m, n - m + 1)``,
      ``upper = Beta(1 - a/2; m + 1, n - m)``, always inside [0, 1];
    - rates and ratios, with ``E = n * target`` (rates) or ``E = n`` (ratios) events expected:
      ``lower = target * chi2(a/2; 2E) / (2E)``, ``upper = target * chi2(1 - a/2; 2E + 2) / (2E)``,
      as FunnelPlotR draws its Poisson limits;

    with ``a = 1 - confidence``. ``method="normal"`` gives Spiegelhalter's (2005) normal
    approximation, ``target +/- z sqrt(V(target) / n)`` with ``V(t) = t (1 - t)`` for
    proportions and ``V(t) = t`` for rates and ratios, clipped at 0 (and 1); for proportions
    this is exactly PHEindicatormethods' ``calculate_funnel_limits`` (Fingertips' funnels).

    Returns one row per denominator, in the order given, with columns ``denominator``,
    ``target`` (times multiplier), ``lower_<c>`` and ``upper_<c>`` for each confidence level
    (``lower_95``, ``upper_95``, ``lower_99_8``, ``upper_99_8`` by default) and ``method``
    (``"normal"``, ``"exact binomial"`` or ``"exact Poisson"``).

    Raises :class:`StatsInputError` for denominators that are zero, negative or missing, a
    target outside (0, 1) for proportions or not above 0 for rates and ratios, or an unknown kind.
    """
    _check_kind(kind)
    if method not in ("exact", "normal"):
        raise StatsInputError(f"method must be 'exact' or 'normal'; got {method!r}")
    n = np.atleast_1d(as_float_array(denominators, "denominators")).ravel()
    if np.isnan(n).any():
        raise StatsInputError("denominators must not be missing (NaN)")
    if (n <= 0).any():
        raise StatsInputError("denominators must be greater than zero")
    theta = float(target)
    if not np.isfinite(theta):
        raise StatsInputError("target must be a finite number")
    if kind == "proportion" and not 0.0 < theta < 1.0:
        raise StatsInputError(f"a proportion's target must be between 0 and 1; got {theta}")
    if kind != "proportion" and theta <= 0.0:
        raise StatsInputError(f"a {kind}'s target must be greater than zero; got {theta}")
    levels = (confidence,) if np.ndim(confidence) == 0 else tuple(confidence)
    columns: dict[str, object] = {
        "denominator": n,
        "target": np.full(n.shape, theta * multiplier),
    }
    method_name = method
    for level in levels:
        lower, upper, method_name = _limits(n, theta, kind, float(level), method)
        label = confidence_label(level)
        columns[f"lower_{label}"] = lower * multiplier
        columns[f"upper_{label}"] = upper * multiplier
    columns["method"] = np.full(n.shape, method_name)
    return pl.DataFrame(columns)


# --- Where each unit sits -------------------------------------------------------------------


def _transform(kind: str, value: np.ndarray) -> np.ndarray:
    """Variance-stabilising scale: arcsine square root for proportions, square root otherwise."""
    if kind == "proportion":
        return np.arcsin(np.sqrt(value))
    return np.sqrt(value)


def _back_transform(kind: str, value: np.ndarray) -> np.ndarray:
    if kind == "proportion":
        return np.sin(np.clip(value, 0.0, np.pi / 2.0)) ** 2
    return np.clip(value, 0.0, None) ** 2


def _winsorise(z: np.ndarray, fraction: float) -> np.ndarray:
    # R's quantile() default (type 7) is NumPy's default "linear" method.
    low, high = np.quantile(z, [fraction, 1.0 - fraction])
    return np.clip(z, low, high)


def _tau_squared(n_units: int, phi: float, s: np.ndarray) -> float:
    """DerSimonian-Laird style between-unit variance, Spiegelhalter (2005) eq. (4)."""
    if n_units * phi < n_units - 1:
        return 0.0
    w = 1.0 / s**2
    denominator = w.sum() - (w**2).sum() / w.sum()
    if denominator <= 0:
        return 0.0
    return max(0.0, (n_units * phi - (n_units - 1)) / denominator)


def _position(value: np.ndarray, limits: dict[str, np.ndarray]) -> np.ndarray:
    # FunnelPlotR counts a unit exactly on a limit as inside it.
    return np.select(
        [
            value > limits["upper_99_8"],
            value > limits["upper_95"],
            value < limits["lower_99_8"],
            value < limits["lower_95"],
        ],
        ["above_998", "above_95", "below_998", "below_95"],
        default="within",
    )


def funnel_assess(
    units: pl.DataFrame,
    kind: Kind,
    target: float | None = None,
    overdispersion: Literal["multiplicative", "additive"] | None = None,
    *,
    unit: str = "unit",
    numerator: str = "numerator",
    denominator: str = "denominator",
    multiplier: float = 1,
    winsorise: float = WINSORISE_FRACTION,
) -> pl.DataFrame:
    """Each unit's position on a funnel plot at 95% and 99.8%, optionally for overdispersion.

    ``units`` has one row per unit (rows sharing a unit id are summed first, as FunnelPlotR
    aggregates by group) with columns named by ``unit``, ``numerator`` and ``denominator``.
    ``target`` defaults to the pooled value (sum of numerators / sum of denominators) for
    proportions and rates and to 1 for ratios.

    Without ``overdispersion`` the limits are :func:`funnel_limits` (exact).

    With overdispersion, as Spiegelhalter (2005, Qual Saf Health Care) and FunnelPlotR:

    1. each unit's z-score on a variance-stabilising scale, ``z = (y - t) / s``: for
       proportions ``y = asin(sqrt(p))``, ``t = asin(sqrt(target))``, ``s = 1 / (2 sqrt(n))``;
       for rates and ratios ``y = sqrt(O / n)``, ``t = sqrt(target)``, ``s = 1 / (2 sqrt(n))``;
    2. the z-scores Winsorised at the 10th and 90th centiles (``winsorise``);
    3. ``phi = mean(z_w^2)`` over the I units;
    4. ``"multiplicative"``: limits ``t +/- z_c sqrt(phi) s``, back-transformed;
       ``"additive"`` (random effects): ``tau^2 = max(0, (I phi - (I - 1)) / (sum w -
       sum w^2 / sum w))`` with ``w = 1 / s^2``, and limits ``t +/- z_c sqrt(s^2 + tau^2)``.

    If ``phi <= 1`` there is no overdispersion to allow for, and (as FunnelPlotR) the
    unadjusted limits are used; ``overdispersion_applied`` says which happened.

    Returns a frame with one row per unit: ``unit``, ``numerator``, ``denominator``, ``value``
    (numerator / denominator x multiplier), ``target``, ``lower_95``, ``upper_95``,
    ``lower_99_8``, ``upper_99_8`` (x multiplier), ``z_score`` (unadjusted, transformed scale),
    ``adjusted_z_score`` (divided by sqrt(phi), or by sqrt(s^2 + tau^2) x s; equal to ``z_score``
    when nothing is applied), ``phi``, ``tau2``, ``overdispersion_applied`` (bool) and
    ``position``: ``"within"``, ``"above_95"`` (above the 95% limit, within 99.8%),
    ``"above_998"``, ``"below_95"`` or ``"below_998"``. A unit exactly on a limit is within it.

    Raises :class:`StatsInputError` for an empty frame, missing columns or values, negative
    numerators, denominators of zero or less, proportions above 1, or fewer than 3 units when
    overdispersion is asked for.
    """
    _check_kind(kind)
    if overdispersion not in (None, "multiplicative", "additive"):
        raise StatsInputError(
            f"overdispersion must be None, 'multiplicative' or 'additive'; got {overdispersion!r}"
        )
    missing = [c for c in (unit, numerator, denominator) if c not in units.columns]
    if missing:
        raise StatsInputError(f"units frame lacks column(s): {', '.join(missing)}")
    if units.height == 0:
        raise NotEnoughData("units frame is empty: there is nothing to place on a funnel")
    aggregated = units.group_by(unit, maintain_order=True).agg(
        pl.col(numerator).cast(pl.Float64).sum().alias("numerator"),
        pl.col(denominator).cast(pl.Float64).sum().alias("denominator"),
        (pl.col(numerator).is_null() | pl.col(denominator).is_null()).any().alias("_missing"),
    )
    if aggregated["_missing"].any():
        raise StatsInputError("every unit needs a numerator and a denominator (found a null)")
    observed = aggregated["numerator"].to_numpy()
    n = aggregated["denominator"].to_numpy()
    if np.isnan(observed).any() or np.isnan(n).any():
        raise StatsInputError("every unit needs a numerator and a denominator (found NaN)")
    if (observed < 0).any():
        raise StatsInputError("numerators must be zero or more")
    if (n <= 0).any():
        raise StatsInputError("denominators must be greater than zero")
    if kind == "proportion" and (observed > n).any():
        raise StatsInputError("for proportions, numerators must not exceed denominators")
    if target is None:
        theta = 1.0 if kind == "ratio" else float(observed.sum() / n.sum())
    else:
        theta = float(target)
    if kind == "proportion" and not 0.0 < theta < 1.0:
        raise StatsInputError(
            f"the target proportion must be strictly between 0 and 1; got {theta} "
            "(all units at 0 or all at 100% cannot be compared on a funnel)"
        )
    if kind != "proportion" and theta <= 0.0:
        raise StatsInputError(f"the target must be greater than zero; got {theta}")

    value = observed / n
    y = _transform(kind, value)
    t = _transform(kind, np.array(theta))
    s = 1.0 / (2.0 * np.sqrt(n))
    z = (y - t) / s
    phi, tau2 = float("nan"), float("nan")
    applied = False
    if overdispersion is not None:
        if n.size < 3:
            raise NotEnoughData("estimating overdispersion needs at least 3 units")
        phi = float(np.mean(_winsorise(z, winsorise) ** 2))
        tau2 = _tau_squared(n.size, phi, s)
        applied = phi > 1.0

    if applied:
        multiplicative = overdispersion == "multiplicative"
        spread = np.sqrt(phi) * s if multiplicative else np.sqrt(s**2 + tau2)
        adjusted_z = (y - t) / spread
        limits = {}
        for level in _CONFIDENCES:
            label = confidence_label(level)
            zc = z_for(level)
            limits[f"lower_{label}"] = _back_transform(kind, t - zc * spread)
            limits[f"upper_{label}"] = _back_transform(kind, t + zc * spread)
    else:
        adjusted_z = z
        frame = funnel_limits(n, theta, kind, _CONFIDENCES)
        limits = {c: frame[c].to_numpy() for c in frame.columns if c[:5] in ("lower", "upper")}

    position = _position(value, limits)
    return pl.DataFrame(
        {
            "unit": aggregated[unit],
            "numerator": observed,
            "denominator": n,
            "value": value * multiplier,
            "target": np.full(n.shape, theta * multiplier),
            **{name: limit * multiplier for name, limit in limits.items()},
            "z_score": z,
            "adjusted_z_score": adjusted_z,
            "phi": np.full(n.shape, phi),
            "tau2": np.full(n.shape, tau2),
            "overdispersion_applied": np.full(n.shape, applied),
            "position": position,
        }
    )
