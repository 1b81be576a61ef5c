"""Input checks shared by the statistical kernels.

Every kernel refuses input it cannot give a right answer for, with a message a council
analyst can act on, rather than returning a number that looks plausible and is wrong.
"""

from __future__ import annotations

import numpy as np
from scipy.stats import norm

__all__ = ["StatsInputError", "as_float_array", "z_for", "confidence_label"]


class StatsInputError(ValueError):
    """Input a statistical method cannot use: negative counts, zero denominators, and so on."""


def as_float_array(values: object, name: str) -> np.ndarray:
    """Return ``values`` as a float array, refusing text and other non-numbers."""
    try:
        array = np.asarray(values, dtype=float)
    except (TypeError, ValueError) as error:
        raise StatsInputError(f"{name} must be numbers; got {values!r}") from error
    if np.isinf(array).any():
        raise StatsInputError(f"{name} must be finite; found an infinite value")
    return array


def z_for(confidence: float) -> float:
    """Two-sided standard normal quantile for a confidence level such as 0.95 or 0.998."""
    confidence = float(confidence)
    if not 0.0 < confidence < 1.0:
        raise StatsInputError(
            f"confidence must be a proportion strictly between 0 and 1, such as 0.95 or 0.998; "
            f"got {confidence}"
        )
    return float(norm.ppf(confidence + (1.0 - confidence) / 2.0))


def confidence_label(confidence: float) -> str:
    """Column suffix for a confidence level: 0.95 -> '95', 0.998 -> '99_8'."""
    percent = f"{float(confidence) * 100:.4f}".rstrip("0").rstrip(".")
    return percent.replace(".", "_")
