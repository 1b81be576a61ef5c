"""Shared synthetic worlds: generated once per test session (tiny is ~0.1 s, council ~0.3 s)."""

from __future__ import annotations

import pytest

from careties.data.synth import SyntheticData, generate


@pytest.fixture(scope="session")
def tiny() -> SyntheticData:
    return generate("tiny", seed=0)


@pytest.fixture(scope="session")
def council() -> SyntheticData:
    return generate("council", seed=0)
