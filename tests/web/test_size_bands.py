"""Anonymised benchmarks: no practice's size is unique, so none can be matched to a public list."""

from __future__ import annotations

import math
import random

import polars as pl
import pytest

from careties.web import disclosure, size_bands
from careties.web.accounts.models import Role
from careties.web.disclosure import Disclosure, Policy, RateSpec
from careties.web.presenters import REGISTRY
from careties.web.presenters.base import Context, NotEnoughData
from web import dashboard_data

SPEC = Disclosure(
    counts=("count", "patients_65_plus"),
    rates=(RateSpec("rate_per_1000", "count", "patients_65_plus", 1000, 2),),
    practice_columns=("practice_code", "practice_name"),
)
ANONYMISING = Policy(suppress_small_numbers=True, anonymise_practices=True, own_practice="A00000")


def _practices(n: int, seed: int = 1) -> pl.DataFrame:
    rng = random.Random(seed)
    sizes = [rng.randint(150, 4_000) for _ in range(n)]
    counts = [rng.randint(0, 60) for _ in range(n)]
    codes = ["A00000"] + [f"B{i:05d}" for i in range(1, n)]
    return pl.DataFrame(
        {
            "practice_code": codes,
            "practice_name": [f"Surgery {i}" for i in range(n)],
            "count": counts,
            "patients_65_plus": sizes,
            "rate_per_1000": [c / s * 1000 for c, s in zip(counts, sizes, strict=True)],
        }
    )


def _in_band(text: str, value: int) -> bool:
    numbers = [int(p.replace(",", "")) for p in text.split() if p.replace(",", "").isdigit()]
    low = numbers[0] if numbers else 0
    high = numbers[1] if len(numbers) == 2 else math.inf
    return low <= value <= high


@pytest.mark.parametrize(("n", "seed"), [(12, 1), (40, 2), (40, 3), (150, 4), (7, 5)])
def test_every_shown_band_holds_at_least_five_of_the_stores_practices(n, seed):
    store = _practices(n, seed)
    shown = disclosure.apply(store, SPEC, ANONYMISING)
    own = shown.filter(pl.col("practice_code") == "A00000")
    own_size = disclosure.suppress_count(store["patients_65_plus"][0])
    assert own["patients_65_plus"][0] == str(own_size)  # its own size, not a band
    others = shown.filter(pl.col("practice_code") != "A00000")
    sizes = store["patients_65_plus"].to_list()
    for band in others["patients_65_plus"].to_list():
        sharing = sum(_in_band(band, s) for s in sizes)
        assert sharing >= size_bands.MIN_PER_BAND, (band, sharing)


def test_the_probes_match_finds_no_unique_practice():
    """Match each shown size against the store's list sizes, as the probe did with NHS Digital's."""
    store = _practices(40, 7)
    shown = disclosure.apply(store, SPEC, ANONYMISING).filter(pl.col("practice_code") != "A00000")
    public = store["patients_65_plus"].to_list()
    unique = [
        b for b in shown["patients_65_plus"].to_list() if sum(_in_band(b, s) for s in public) == 1
    ]
    assert unique == []
    # And the rate gives back no practice's size (size = count / rate, both shown): only
    # its band's mean, which at least five practices share.
    band_mean = {
        band: sum(s for s in public if _in_band(band, s)) / sum(_in_band(band, s) for s in public)
        for band in set(shown["patients_65_plus"].to_list())
    }
    worked_back = [
        (r["count"] * 1000 / r["rate_per_1000"], band_mean[r["patients_65_plus"]])
        for r in shown.iter_rows(named=True)
        if r["rate_per_1000"] and r["count"]
    ]
    assert len(worked_back) > 20
    for size, mean in worked_back:
        assert abs(size - mean) / mean < 0.01


def test_bands_reach_a_chart_as_numbers():
    assert size_bands.midpoint("1,000 to 1,249") == 1124.5
    assert size_bands.midpoint("3,250 or more") == 3250
    assert size_bands.midpoint("1,234") == 1234 and size_bands.midpoint(None) is None


@pytest.mark.django_db
@pytest.mark.parametrize("role", [Role.PRACTICE, Role.REGIONAL])
def test_every_section_shows_anonymised_sizes_only_as_bands(role):
    facts = dashboard_data.load()
    user = dashboard_data.users(facts)[role]
    policy = Policy.for_user(user, facts["la_code"])
    assert policy.anonymise_practices
    for key, spec in REGISTRY.items():
        practice = facts["practice"] if spec.page == "practice" else None
        context = Context(
            user=user,
            la_code=facts["la_code"],
            la_codes=[facts["la_code"]],
            policy=policy,
            practice_code=practice,
        )
        try:
            draft = spec.presenter(context)
        except NotEnoughData:
            continue
        shown = disclosure.apply(draft.frame, draft.disclosure, policy)
        sizes = [r.denominator for r in draft.disclosure.rates if r.denominator in shown.columns]
        if not sizes or not draft.disclosure.practice_columns:
            continue
        code = next(c for c in draft.disclosure.practice_columns if c in shown.columns)
        for size in sizes:
            # Rows are re-ordered by the shown value: read each row's own (pseudonymised) code.
            for shown_code, value in zip(shown[code].to_list(), shown[size].to_list(), strict=True):
                if value is None or shown_code == policy.own_practice:
                    continue
                assert " to " in value or "or more" in value or value == "any size", (key, value)
