"""Internal consistency of a multi-item scale: Cronbach's alpha and Feldt's interval."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np
import polars as pl
from scipy.stats import f as f_dist


class ReliabilityError(ValueError):
    """Cronbach's alpha cannot be computed from the items given."""


def cronbach_alpha(items: pl.DataFrame | np.ndarray | Sequence[Sequence[float]]) -> float:
    """Cronbach's coefficient alpha for a scale: respondents in rows, items in columns.

    ``alpha = k / (k - 1) * (1 - sum(var(item_i)) / var(total))``, with ``k``
    items, sample variances (n - 1 denominator) and ``total`` the sum of a
    respondent's items. Respondents with any item missing (null or NaN) are
    left out (listwise deletion, as R psych's ``alpha(use = "complete.obs")``).
    Polars columns are cast to float, so "1".."5" answers can be passed as they
    are stored.

    Reference: Cronbach LJ (1951) Coefficient alpha and the internal structure
    of tests. Psychometrika 16:297-334; Bland JM, Altman DG (1997) Statistics
    notes: Cronbach's alpha. BMJ 314:572. Checked against the worked example
    in pingouin's ``cronbach_alpha`` documentation (15 respondents, 10 items,
    alpha 0.5917, itself checked against R psych).

    Raises :class:`ReliabilityError` with fewer than two items, fewer than two
    complete respondents, or when every respondent has the same total (alpha
    is then undefined).
    """
    matrix = _as_matrix(items)
    matrix = matrix[~np.isnan(matrix).any(axis=1)]
    respondents, k = matrix.shape
    if k < 2:
        raise ReliabilityError("Cronbach's alpha needs at least two items")
    if respondents < 2:
        raise ReliabilityError(
            "Cronbach's alpha needs at least two respondents who answered every item"
        )
    total_variance = matrix.sum(axis=1).var(ddof=1)
    if total_variance == 0:
        raise ReliabilityError("Every respondent has the same total score, so alpha is undefined")
    item_variance = matrix.var(axis=0, ddof=1).sum()
    return float(k / (k - 1) * (1.0 - item_variance / total_variance))


def _as_matrix(items: pl.DataFrame | np.ndarray | Sequence[Sequence[float]]) -> np.ndarray:
    if isinstance(items, pl.DataFrame):
        matrix = items.select(pl.all().cast(pl.Float64, strict=False)).to_numpy()
    else:
        matrix = np.asarray(items, dtype=float)
    if matrix.ndim != 2:
        raise ReliabilityError("Give the items as a table: respondents in rows, items in columns")
    return matrix


@dataclass(frozen=True)
class AlphaInterval:
    """Cronbach's alpha with Feldt's confidence interval."""

    alpha: float
    lower: float
    upper: float
    respondents: int
    items: int
    confidence: float


def feldt_interval(
    alpha: float, respondents: int, items: int, confidence: float = 0.95
) -> tuple[float, float]:
    """Feldt's confidence interval for a population alpha, from the sample alpha.

    ``(1 - alpha_pop) / (1 - alpha)`` follows an F distribution with ``n - 1`` and
    ``(n - 1)(k - 1)`` degrees of freedom (Feldt 1965, Psychometrika 30:357-370; Feldt,
    Woodruff & Salih 1987, Applied Psychological Measurement 11:93-103, formulas 6-7), so

        lower = 1 - (1 - alpha) * F_{1 - g/2}(n - 1, (n - 1)(k - 1))
        upper = 1 - (1 - alpha) * F_{g/2}(n - 1, (n - 1)(k - 1)),  g = 1 - confidence.

    The same as R cocron's ``cronbach.alpha.CI`` and pingouin's ``cronbach_alpha``. With
    few respondents the interval is wide: the reason to show it beside alpha.
    """
    if respondents < 2 or items < 2:
        raise ReliabilityError("Feldt's interval needs at least two respondents and two items")
    if not 0 < confidence < 1:
        raise ReliabilityError("The confidence level must be between 0 and 1")
    df1 = respondents - 1
    df2 = df1 * (items - 1)
    tail = (1.0 - confidence) / 2.0
    lower = 1.0 - (1.0 - alpha) * float(f_dist.isf(tail, df1, df2))
    upper = 1.0 - (1.0 - alpha) * float(f_dist.isf(1.0 - tail, df1, df2))
    return lower, upper


def cronbach_alpha_interval(
    items: pl.DataFrame | np.ndarray | Sequence[Sequence[float]], confidence: float = 0.95
) -> AlphaInterval:
    """Cronbach's alpha (:func:`cronbach_alpha`) with Feldt's interval (:func:`feldt_interval`),
    counting only the respondents who answered every item, as alpha does."""
    matrix = _as_matrix(items)
    complete = matrix[~np.isnan(matrix).any(axis=1)]
    alpha = cronbach_alpha(matrix)
    lower, upper = feldt_interval(alpha, complete.shape[0], complete.shape[1], confidence)
    return AlphaInterval(alpha, lower, upper, complete.shape[0], complete.shape[1], confidence)
