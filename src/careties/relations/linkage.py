"""Relationships and admissions, linked: do practices that work well with social care admit fewer?

Across a council's practices (or a region's, with each council's own level allowed for),
the association between one relationship measure (relational coordination, tie strength
with social care, GPs' knowledge of services) and admissions of older people, as a count
model with the practice's 65+ list as exposure::

    log E[admissions_i] = log(list_65_plus_i) + b0 + b * z_i + c' x_i (+ council_i)

``z_i`` the measure standardised across the practices analysed (so ``exp(b)`` is the rate
ratio for one standard deviation better relationships), ``x_i`` the adjustments that are
loaded: age mix (share of the 65+ list aged 85+), list size (log) and deprivation (IMD
score). Fitted as a negative binomial model (NB2, dispersion by maximum likelihood:
Cameron & Trivedi 2013, *Regression Analysis of Count Data*, ch. 3) with statsmodels;
when that fails to converge or finds no over-dispersion, as a quasi-Poisson GLM whose
standard errors are scaled by the Pearson dispersion (McCullagh & Nelder 1989, §6.2).

It is an association across practices at one time, not an effect: practices that relate
well may differ in ways not measured. The verdict says so in plain words.
"""

from __future__ import annotations

import math
import warnings
from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np
import polars as pl
import statsmodels.api as sm
from scipy.stats import norm

#: Relationship measures the model can use, with the words the verdict uses for them.
MEASURES: dict[str, str] = {
    "rc_score": "relational coordination with social care",
    "social_care_tie_strength": "tie strength with social care",
    "knowledge_share": "GPs' knowledge of local services",
    "health_score": "relationship health score",
}

#: Adjustments used when their column is present and varies.
ADJUSTMENTS: dict[str, str] = {
    "share_85_plus": "age mix (share of the 65+ list aged 85+)",
    "log_list_size": "list size",
    "deprivation_score": "deprivation (IMD score)",
}

#: Fewer practices than this (with the measure and the outcome) and no model is fitted.
MIN_PRACTICES = 12


class LinkageError(ValueError):
    """The model cannot be fitted to the practices given; the message says why."""


@dataclass(frozen=True)
class LinkageResult:
    """One fitted relationship-admissions model."""

    measure: str
    rate_ratio: float  # per standard deviation of the measure
    lower: float
    upper: float
    p_value: float
    method: str  # "negative binomial" or "quasi-Poisson"
    practices: int
    councils: int
    admissions: int
    measure_sd: float
    adjusted_for: tuple[str, ...]
    dispersion: float
    verdict: str

    def as_row(self) -> dict:
        return {
            "measure": self.measure,
            "measure_label": MEASURES.get(self.measure, self.measure),
            "rate_ratio": self.rate_ratio,
            "lower": self.lower,
            "upper": self.upper,
            "p_value": self.p_value,
            "method": self.method,
            "practices": self.practices,
            "councils": self.councils,
            "admissions": self.admissions,
            "adjusted_for": ", ".join(ADJUSTMENTS[a] for a in self.adjusted_for) or "nothing",
            "verdict": self.verdict,
        }


def relationship_admissions(
    panel: pl.DataFrame,
    measure: str = "rc_score",
    outcome: str = "admissions",
    exposure: str = "list_65_plus",
    adjustments: Sequence[str] = tuple(ADJUSTMENTS),
    confidence: float = 0.95,
) -> LinkageResult:
    """Fit the model to ``panel``: one row per practice.

    ``panel`` columns: ``practice_code``, ``outcome`` (count), ``exposure`` (65+ list),
    ``measure``, optional ``la_code`` (with more than one council, each council gets its
    own intercept, so the association is read within councils) and any of
    :data:`ADJUSTMENTS`. Practices missing the measure, the outcome or the exposure are
    left out; an adjustment column that is absent or has no variation is not used.
    """
    needed = [measure, outcome, exposure]
    missing = [c for c in needed if c not in panel.columns]
    if missing:
        raise LinkageError(f"The practice table lacks column(s) {missing}.")
    data = panel.drop_nulls(needed).filter(pl.col(exposure) > 0)
    data = data.filter(pl.col(measure).is_finite())
    if data.height < MIN_PRACTICES:
        raise LinkageError(
            f"Only {data.height} practices have {MEASURES.get(measure, measure)}, admissions and "
            f"a 65+ list; the model needs at least {MIN_PRACTICES}."
        )
    z_raw = data[measure].to_numpy().astype(float)
    sd = float(z_raw.std(ddof=1))
    if not sd > 0:
        raise LinkageError(f"Every practice has the same {MEASURES.get(measure, measure)}.")
    columns = [(z_raw - z_raw.mean()) / sd]
    used: list[str] = []
    for name in adjustments:
        if name in data.columns and data[name].null_count() == 0:
            values = data[name].to_numpy().astype(float)
            if np.nanstd(values) > 0 and np.isfinite(values).all():
                columns.append((values - values.mean()) / values.std())
                used.append(name)
    councils = data["la_code"].n_unique() if "la_code" in data.columns else 1
    design = np.column_stack([np.ones(data.height), *columns])
    if councils > 1:
        dummies = data.select(pl.col("la_code").cast(pl.String)).to_dummies(drop_first=True)
        design = np.column_stack([design, dummies.to_numpy().astype(float)])
    y = data[outcome].to_numpy().astype(float)
    offset = np.log(data[exposure].to_numpy().astype(float))
    z = norm.ppf(0.5 + confidence / 2)

    fit = _negative_binomial(sm, y, design, offset)
    if fit is not None:
        coef, se, dispersion = fit
        method = "negative binomial"
    else:
        glm = sm.GLM(y, design, family=sm.families.Poisson(), offset=offset).fit(scale="X2")
        coef, se, dispersion = float(glm.params[1]), float(glm.bse[1]), float(glm.scale)
        method = "quasi-Poisson"
    p_value = float(2 * norm.sf(abs(coef / se)))
    result = dict(
        measure=measure,
        rate_ratio=math.exp(coef),
        lower=math.exp(coef - z * se),
        upper=math.exp(coef + z * se),
        p_value=p_value,
        method=method,
        practices=data.height,
        councils=councils,
        admissions=int(y.sum()),
        measure_sd=sd,
        adjusted_for=tuple(used),
        dispersion=dispersion,
    )
    return LinkageResult(**result, verdict=verdict(**result))


def _negative_binomial(
    sm, y: np.ndarray, design: np.ndarray, offset: np.ndarray
) -> tuple[float, float, float] | None:
    """NB2 by maximum likelihood; None when it does not converge or alpha is ~0."""
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        try:
            model = sm.NegativeBinomial(y, design, offset=offset, loglike_method="nb2")
            fit = model.fit(disp=0, maxiter=200, method="bfgs")
        except (np.linalg.LinAlgError, ValueError):
            return None
    converged = bool(fit.mle_retvals.get("converged", False))
    alpha = float(fit.params[-1])
    se = float(fit.bse[1])
    if not converged or not np.isfinite(se) or se <= 0 or alpha < 1e-6:
        return None
    return float(fit.params[1]), se, alpha


def verdict(
    measure: str,
    rate_ratio: float,
    lower: float,
    upper: float,
    practices: int,
    councils: int,
    adjusted_for: tuple[str, ...],
    **_: object,
) -> str:
    """The result in plain words, saying that an association is not a cause."""
    label = MEASURES.get(measure, measure)
    where = f"{practices} practices" + (f" in {councils} councils" if councils > 1 else "")
    adjusted = (
        "after allowing for " + ", ".join(ADJUSTMENTS[a].split(" (")[0] for a in adjusted_for)
        if adjusted_for
        else "without adjustment"
    )
    change = abs(1 - rate_ratio) * 100
    interval = f"(95% interval {lower:.2f} to {upper:.2f})"
    if upper < 1:
        finding = (
            f"Across {where}, practices with one standard deviation better {label} had "
            f"{change:.0f}% fewer admissions per older patient {interval}, {adjusted}."
        )
    elif lower > 1:
        finding = (
            f"Across {where}, practices with one standard deviation better {label} had "
            f"{change:.0f}% more admissions per older patient {interval}, {adjusted}."
        )
    else:
        finding = (
            f"Across {where}, no clear association was found between {label} and admissions "
            f"per older patient: rate ratio {rate_ratio:.2f} per standard deviation {interval}, "
            f"{adjusted}."
        )
    return (
        f"{finding} This is an association between practices, not proof that better "
        "relationships cause fewer admissions: practices differ in ways this does not measure."
    )


def linkage_table(
    panel: pl.DataFrame, measures: Sequence[str] = tuple(MEASURES), **kw
) -> pl.DataFrame:
    """:func:`relationship_admissions` for each measure present; one row each (with a
    ``reason`` instead of figures when a model cannot be fitted)."""
    rows = []
    for measure in measures:
        if measure not in panel.columns:
            continue
        try:
            rows.append({**relationship_admissions(panel, measure, **kw).as_row(), "reason": None})
        except LinkageError as error:
            rows.append(
                {
                    "measure": measure,
                    "measure_label": MEASURES.get(measure, measure),
                    "reason": str(error),
                }
            )
    schema = {
        "measure": pl.String,
        "measure_label": pl.String,
        "rate_ratio": pl.Float64,
        "lower": pl.Float64,
        "upper": pl.Float64,
        "p_value": pl.Float64,
        "method": pl.String,
        "practices": pl.Int64,
        "councils": pl.Int64,
        "admissions": pl.Int64,
        "adjusted_for": pl.String,
        "verdict": pl.String,
        "reason": pl.String,
    }
    return pl.DataFrame([{k: r.get(k) for k in schema} for r in rows], schema=schema)
