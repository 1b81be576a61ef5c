"""Keyed pseudonymisation of person identifiers (NHS numbers, council person ids).

careties never stores who a person is, only a stable token per person so that
events of the same person can be linked (ASCOF counts people, not events).
The token is HMAC-SHA256(key, id) in hex, truncated to 32 hex digits (128
bits: collisions are negligible for any population). Without the key the
token cannot be reversed by hashing every possible NHS number, which a plain
hash would allow. The key comes from ``CARETIES_PSEUDONYMISATION_KEY``; the
same key must be used for every import, or the same person gets two tokens.
"""

from __future__ import annotations

import hashlib
import os
import re

import polars as pl

ENV_VAR = "CARETIES_PSEUDONYMISATION_KEY"
TOKEN_HEX_DIGITS = 32

#: For development and the synthetic demo only; production must refuse it.
DEVELOPMENT_KEY = b"careties-development-key-not-for-real-data"

_HEX = re.compile(r"^(?:[0-9a-fA-F]{2}){16,}$")


def pseudonymisation_key() -> bytes:
    """The key from ``CARETIES_PSEUDONYMISATION_KEY`` (hex of 16+ bytes, or UTF-8 text).

    Falls back to ``DEVELOPMENT_KEY`` so the demo runs without set-up; check
    ``is_default_key()`` before loading real data.
    """
    value = os.environ.get(ENV_VAR, "").strip()
    if not value:
        return DEVELOPMENT_KEY
    if _HEX.match(value):
        return bytes.fromhex(value)
    return value.encode("utf-8")


def is_default_key(key: bytes | None = None) -> bool:
    """Whether ``key`` (default: the configured one) is the public development key."""
    return (pseudonymisation_key() if key is None else key) == DEVELOPMENT_KEY


def pseudonymise(values: pl.Series | list[str], key: bytes) -> pl.Series:
    """HMAC-SHA256 of each value under ``key``, as 32 hex digits; nulls stay null.

    Values are stripped first, so ``" 123 "`` and ``"123"`` are one person.
    HMAC is computed from pre-keyed SHA-256 states (RFC 2104: H(K^opad, H(K^ipad,
    m))), copied per value, which is about twice as fast as ``hmac.digest``
    because the key is not re-processed for every value; the result is identical.

    When people have several events each, each distinct value is hashed once
    and the tokens joined back. When most values are distinct (England's
    synthetic file: 88% in a batch), hashing every value is cheaper than the
    join (about 0.8 µs a value against 0.3 µs for the join plus 0.8 µs for each
    distinct value, measured here); both give the same tokens.
    """
    if not key:
        raise ValueError("a pseudonymisation key is required")
    series = (
        values if isinstance(values, pl.Series) else pl.Series("person_id", values, dtype=pl.String)
    )
    series = series.cast(pl.String).str.strip_chars()
    distinct = series.drop_nulls().unique()
    if 2 * distinct.len() > series.len():
        return _tokens(series, key).alias("person_key")
    tokens = pl.DataFrame({"value": distinct, "token": _tokens(distinct, key)})
    return (
        series.to_frame("value")
        .join(tokens, on="value", how="left", maintain_order="left")
        .get_column("token")
        .alias("person_key")
    )


def _tokens(values: pl.Series, key: bytes) -> pl.Series:
    """The token of each value (null for null), in order."""
    inner_copy, outer_copy = _keyed_states(key)
    digests: list[bytes | None] = []
    append = digests.append
    for value in values.cast(pl.Binary).to_list():
        if value is None:
            append(None)
            continue
        inner = inner_copy()
        inner.update(value)
        outer = outer_copy()
        outer.update(inner.digest())
        append(outer.digest())
    hexes = pl.Series(digests, dtype=pl.Binary).bin.encode("hex")
    return hexes.str.slice(0, TOKEN_HEX_DIGITS)


def _keyed_states(key: bytes):
    """The SHA-256 states after absorbing K^ipad and K^opad (RFC 2104)."""
    block = hashlib.sha256().block_size
    if len(key) > block:
        key = hashlib.sha256(key).digest()
    key = key.ljust(block, b"\0")
    inner = hashlib.sha256(bytes(b ^ 0x36 for b in key))
    outer = hashlib.sha256(bytes(b ^ 0x5C for b in key))
    return inner.copy, outer.copy
