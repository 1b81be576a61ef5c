"""Internal consistency of a multi-item scale: Cronbach's alpha."""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np
import polars as pl


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
    if isinstance(items, pl.DataFrame):
        matrix = items.select(pl.all().cast(pl.Float64, strict=False)).to_numpy()
    else:
        matrix = np.asarray(items, dtype=float)
    if matrix.ndim != 2:
        raise ReliabilityError("Give the items as a table: respondents in rows, items in columns")
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
