"""The same seed writes the same bytes; another seed writes different ones."""

from __future__ import annotations

import hashlib

from careties.data.synth import FILES, generate, write


def _digests(directory) -> dict[str, str]:
    return {name: hashlib.sha256((directory / name).read_bytes()).hexdigest() for name in FILES}


def test_same_seed_same_bytes(tmp_path):
    first = write(generate("tiny", seed=7), tmp_path / "a")
    write(generate("tiny", seed=7), tmp_path / "b")
    assert set(first) == set(FILES)
    assert _digests(tmp_path / "a") == _digests(tmp_path / "b")


def test_another_seed_other_bytes(tmp_path):
    write(generate("tiny", seed=1), tmp_path / "a")
    write(generate("tiny", seed=2), tmp_path / "b")
    a, b = _digests(tmp_path / "a"), _digests(tmp_path / "b")
    assert a["events.csv"] != b["events.csv"]
    assert a["contacts.csv"] != b["contacts.csv"]
