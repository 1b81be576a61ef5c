"""Evaluation of an intervention by difference in differences, with standard errors by unit.

Reference: Angrist JD, Pischke J-S (2009) Mostly Harmless Econometrics, ch. 5; Bertrand M,
Duflo E, Mullainathan S (2004) "How much should we trust differences-in-differences
estimates?", Q J Econ 119:249-275 (why standard errors are clustered by unit). The regression
is statsmodels' OLS with cluster-robust covariance.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pandas as pd
import polars as pl
import statsmodels.api as sm

from careties.errors import NotEnoughData
from careties.stats._validate import StatsInputError

__all__ = ["DiDResult", "difference_in_differences"]

SIGNIFICANCE = 0.05


@dataclass(frozen=True)
class DiDResult:
    """The estimated effect of an intervention, from :func:`difference_in_differences`.

    ``effect`` is in the outcome's own units (treated units' change minus comparison units'
    change); ``ci_low``/``ci_high`` the 95% confidence interval; ``pre_trend_p_value`` the
    p-value of the test that treated and comparison units were on parallel trends before the
    intervention (NaN when there are fewer than 2 pre-intervention time points).
    """

    effect: float
    ci_low: float
    ci_high: float
    p_value: float
    pre_trend_p_value: float
    n_units: int
    n_obs: int

    @property
    def verdict(self) -> str:
        """One or two sentences an analyst can paste into a report."""
        direction = "an increase" if self.effect > 0 else "a decrease"
        interval = f"95% CI {self.ci_low:.3g} to {self.ci_high:.3g}, p = {self.p_value:.3g}"
        if self.p_value < SIGNIFICANCE:
            finding = (
                f"The intervention is associated with {direction} of {abs(self.effect):.3g} "
                f"in the outcome ({interval})."
            )
        else:
            finding = (
                f"No clear effect: the estimate is {self.effect:.3g} ({interval}), "
                "which is compatible with no change."
            )
        if np.isnan(self.pre_trend_p_value):
            caveat = (
                " Parallel pre-intervention trends could not be checked (fewer than 2 time "
                "points before the intervention), so treat this with caution."
            )
        elif self.pre_trend_p_value < SIGNIFICANCE:
            caveat = (
                " But treated and comparison units were already diverging before the "
                f"intervention (pre-trend p = {self.pre_trend_p_value:.3g}), so the estimate "
                "is likely biased."
            )
        else:
            caveat = (
                " Trends before the intervention were compatible with parallel "
                f"(p = {self.pre_trend_p_value:.3g})."
            )
        return finding + caveat


def _as_pandas(frame: object) -> pd.DataFrame:
    if isinstance(frame, pl.DataFrame):
        return frame.to_pandas()
    if isinstance(frame, pd.DataFrame):
        return frame.copy()
    raise StatsInputError("frame must be a Polars or pandas DataFrame")


def _indicator(column: pd.Series, name: str) -> np.ndarray:
    values = pd.to_numeric(column.astype("float64") if column.dtype == bool else column)
    if values.isna().any() or not values.isin([0, 1]).all():
        raise StatsInputError(f"{name} must be 0/1 or True/False for every row")
    return values.to_numpy(dtype=float)


def _dummies(codes: np.ndarray, prefix: str) -> pd.DataFrame:
    # drop_first keeps the design full rank alongside the constant.
    return pd.get_dummies(pd.Categorical(codes), prefix=prefix, drop_first=True, dtype=float)


def _fit(y: np.ndarray, design: pd.DataFrame, groups: np.ndarray):
    model = sm.OLS(y, sm.add_constant(design, has_constant="add"))
    return model.fit(cov_type="cluster", cov_kwds={"groups": groups})


def difference_in_differences(
    frame: pl.DataFrame | pd.DataFrame,
    outcome: str,
    treated: str,
    post: str,
    unit: str,
    time: str,
) -> DiDResult:
    """Difference in differences with unit and time fixed effects, clustered by unit.

    Model (two-way fixed effects, one intervention date)::

        y_it = a_i + g_t + effect * (treated_i x post_t) + e_it

    fitted by OLS (statsmodels) with standard errors clustered by ``unit`` (Bertrand, Duflo
    and Mullainathan 2004). For a balanced panel ``effect`` equals the classic 2x2 difference
    of means: (treated after - treated before) - (comparison after - comparison before).

    Pre-trend check: on the rows before the intervention only,
    ``y_it = a_i + g_t + b * (treated_i x t) + e_it`` with ``t`` the rank of the time period;
    ``pre_trend_p_value`` is the clustered p-value of ``b`` (a small value means the groups were
    already diverging, and the parallel-trends assumption is doubtful).

    ``frame`` has one row per unit and time; ``treated`` and ``post`` are 0/1 (or bool);
    ``treated`` must not change within a unit. Rows with a missing outcome raise
    :class:`StatsInputError` rather than being dropped silently. Needs at least 2 treated and
    2 comparison units, and rows before and after. With fewer than about 20 units the clustered
    standard errors are unreliable; say so when reporting.
    """
    data = _as_pandas(frame)
    missing = [c for c in (outcome, treated, post, unit, time) if c not in data.columns]
    if missing:
        raise StatsInputError(f"frame lacks column(s): {', '.join(missing)}")
    if data.empty:
        raise NotEnoughData("frame is empty")
    y = pd.to_numeric(data[outcome], errors="coerce").to_numpy(dtype=float)
    if not np.isfinite(y).all():
        raise StatsInputError(f"{outcome} has missing or non-numeric values")
    is_treated = _indicator(data[treated], treated)
    is_post = _indicator(data[post], post)
    if data[unit].isna().any() or data[time].isna().any():
        raise StatsInputError(f"{unit} and {time} must be present on every row")
    units = pd.factorize(data[unit])[0]
    per_unit = pd.Series(is_treated).groupby(units).nunique()
    if (per_unit > 1).any():
        raise StatsInputError(f"{treated} must be the same on every row of a unit")
    treated_units = int(pd.Series(is_treated).groupby(units).first().sum())
    n_units = int(units.max()) + 1
    if treated_units < 2 or n_units - treated_units < 2:
        raise NotEnoughData("need at least 2 treated and 2 comparison units")
    if is_post.all() or not is_post.any():
        raise NotEnoughData("need rows both before and after the intervention")
    if len(data[[unit, time]].drop_duplicates()) != len(data):
        raise StatsInputError(f"each ({unit}, {time}) pair must appear once")
    time_rank = pd.Series(data[time]).rank(method="dense").to_numpy(dtype=float)

    design = pd.concat(
        [
            pd.DataFrame({"treated_x_post": is_treated * is_post}),
            _dummies(units, "unit"),
            _dummies(time_rank, "time"),
        ],
        axis=1,
    )
    fit = _fit(y, design, units)
    low, high = fit.conf_int(alpha=0.05).loc["treated_x_post"]

    pre = is_post == 0
    pre_trend_p = float("nan")
    if np.unique(time_rank[pre]).size >= 2:
        pre_units = pd.factorize(units[pre])[0]
        pre_design = pd.concat(
            [
                pd.DataFrame({"treated_x_time": is_treated[pre] * time_rank[pre]}),
                _dummies(pre_units, "unit"),
                _dummies(time_rank[pre], "time"),
            ],
            axis=1,
        )
        pre_fit = _fit(y[pre], pre_design, pre_units)
        pre_trend_p = float(pre_fit.pvalues["treated_x_time"])

    return DiDResult(
        effect=float(fit.params["treated_x_post"]),
        ci_low=float(low),
        ci_high=float(high),
        p_value=float(fit.pvalues["treated_x_post"]),
        pre_trend_p_value=pre_trend_p,
        n_units=n_units,
        n_obs=len(data),
    )
