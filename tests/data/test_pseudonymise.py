"""Pseudonymisation: deterministic, key-dependent, standard HMAC, raw ids never returned."""

from __future__ import annotations

import hmac

import polars as pl

import careties.data as data
from careties.data.pseudonymise import DEVELOPMENT_KEY, ENV_VAR

from .helpers import write_csv


def test_deterministic_and_standard_hmac():
    key = b"a-secret-key"
    tokens = data.pseudonymise(["9434765919", "9434765919", None, "LA-1"], key)
    assert tokens[0] == tokens[1] == hmac.digest(key, b"9434765919", "sha256").hex()[:32]
    assert tokens[2] is None
    assert len(tokens[3]) == 32


def test_repeated_and_mostly_distinct_values_give_the_standard_hmac_in_order():
    # Mostly repeated values are hashed once each and joined back; mostly distinct
    # ones are hashed in place. Both must give each value's own HMAC, nulls as null.
    key = b"a-secret-key"
    repeated = [" P1", "P2", None, "P1", "P2 ", "P1", "P2", "P1"]
    distinct = [f"P{i}" for i in range(7)] + [None, " P3"]
    for values in (repeated, distinct):
        expected = [
            None if v is None else hmac.digest(key, v.strip().encode(), "sha256").hex()[:32]
            for v in values
        ]
        assert data.pseudonymise(values, key).to_list() == expected


def test_key_dependent():
    assert data.pseudonymise(["x"], b"key-one")[0] != data.pseudonymise(["x"], b"key-two")[0]


def test_long_keys_follow_rfc_2104():
    key = b"k" * 100
    assert (
        data.pseudonymise(pl.Series(["abc"]), key)[0]
        == hmac.digest(key, b"abc", "sha256").hex()[:32]
    )


def test_raw_person_id_absent_from_events(tmp_path):
    path = write_csv(
        tmp_path / "e.csv",
        """
        event_reference,person_id,age,la_code,event_type,start_date
        EV1,9434765919,80,E06000004,request,2024-01-01
        EV2,9434765919,80,E06000004,assessment,2024-01-05
        """,
    )
    frame = data.read("events", path, pseudonymisation_key=b"k")
    assert "person_id" not in frame.columns
    assert "9434765919" not in frame.write_csv()
    assert frame["person_key"].n_unique() == 1


def test_key_from_environment(monkeypatch):
    monkeypatch.delenv(ENV_VAR, raising=False)
    assert data.pseudonymisation_key() == DEVELOPMENT_KEY
    assert data.is_default_key()
    monkeypatch.setenv(ENV_VAR, "00112233445566778899aabbccddeeff")
    assert data.pseudonymisation_key() == bytes.fromhex("00112233445566778899aabbccddeeff")
    assert not data.is_default_key()
    monkeypatch.setenv(ENV_VAR, "a passphrase, not hex")
    assert data.pseudonymisation_key() == b"a passphrase, not hex"


def test_read_uses_the_configured_key_by_default(tmp_path, monkeypatch):
    monkeypatch.setenv(ENV_VAR, "configured")
    path = write_csv(
        tmp_path / "e.csv",
        "event_reference,person_id,age,la_code,event_type,start_date\nEV1,p1,80,E06000004,request,2024-01-01",
    )
    assert data.read("events", path)["person_key"][0] == data.pseudonymise(["p1"], b"configured")[0]
