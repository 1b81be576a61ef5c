"""Identifiers and small numeric helpers shared by the generator's modules.

Raw person ids in the synthetic set are fake, but the canonical frames still
carry only the keyed hash, exactly as the importer would store a real file
pseudonymised with the synthetic key, so that loading ``events.csv`` with
``SYNTHETIC_KEY`` reproduces ``frames["events"]``.
"""

from __future__ import annotations

import datetime as dt
import hmac

import numpy as np
import polars as pl

from careties.data.pseudonymise import pseudonymise

#: The HMAC key the synthetic set is pseudonymised with (not a secret).
SYNTHETIC_KEY = b"careties-synthetic"
EPOCH = dt.date(1970, 1, 1)
#: Day number standing for "no date" (dates of birth before 1970 are negative).
NO_DATE = -(10**7)


def person_key(person_id: str, key: bytes = SYNTHETIC_KEY) -> str:
    """HMAC-SHA256 of the raw id, first 32 hex characters (128 bits)."""
    return hmac.digest(key, person_id.encode(), "sha256").hex()[:32]


def person_ids(numbers: np.ndarray) -> pl.Series:
    """Fake raw ids ``P0001234`` for synthetic person numbers."""
    return prefixed("P", numbers, 7).alias("person_id")


def person_keys(ids: pl.Series) -> pl.Series:
    """Pseudonymise with the importer's own function and the synthetic key.

    Using ``careties.data.pseudonymise`` (not a copy of it) keeps the promise
    that importing ``events.csv`` under ``SYNTHETIC_KEY`` gives these keys.
    """
    return pseudonymise(ids, SYNTHETIC_KEY).alias("person_key")


def prefixed(prefix: str, numbers: np.ndarray, width: int) -> pl.Series:
    """``prefix`` + zero-padded number, vectorised: ``("GP", [7], 5) -> "GP00007"``."""
    return prefix + pl.Series(numbers, dtype=pl.Int64).cast(pl.String).str.zfill(width)


def day_number(date: dt.date) -> int:
    """Days since 1970-01-01, the integer form dates take inside the generator."""
    return (date - EPOCH).days


def as_dates(days: np.ndarray, name: str) -> pl.Series:
    """Integer day numbers to a Polars ``Date`` series; ``NO_DATE`` becomes null."""
    series = pl.Series(name, days.astype(np.int32))
    return pl.select(
        pl.when(series != NO_DATE).then(series).otherwise(None).cast(pl.Date).alias(name)
    ).to_series()


def lookup(table: list[str | None], index: np.ndarray, name: str) -> pl.Series:
    """``table[index]`` as a String series, fast for millions of rows (a gather, not objects)."""
    return pl.Series(name, table, dtype=pl.String).gather(pl.Series(index.astype(np.int64)))


def pick(
    rng: np.random.Generator, options: tuple[str, ...], probs: list[float], size: int
) -> np.ndarray:
    """Indices into ``options`` drawn with ``probs`` (normalised), as an int array."""
    p = np.asarray(probs, dtype=float)
    return rng.choice(len(options), size=size, p=p / p.sum())


def labels(options: tuple[str, ...], index: np.ndarray) -> pl.Series:
    """Codes for an index array, as a String series (via a categorical lookup)."""
    return pl.Series(np.asarray(options, dtype=object)[index], dtype=pl.String)


def ordinal_cuts(latent: np.ndarray, probs: list[float]) -> np.ndarray:
    """Thresholds on ``latent`` that split it into ordered categories with ``probs``.

    Used to calibrate survey answers: categories are ordered worst to best and a
    respondent with a higher latent score gets a better category, so answers
    both match the published marginal figures and carry the planted link to
    relationships and referrals.
    """
    cumulative = np.cumsum(np.asarray(probs, dtype=float) / np.sum(probs))[:-1]
    return np.quantile(latent, cumulative)
