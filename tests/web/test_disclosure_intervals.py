"""Intervals and row order cannot undo the rounding for roles outside the council.

The probe inverted Byar's interval beside each rounded count and recovered
the true count of all 329 cells: the interval had been computed from the true
count. Now every interval such a role sees is a function of the rounded
figures it already sees, and rows are ordered by the shown value, so two
stores whose true counts differ only within a rounding bucket show exactly the
same table.
"""

from __future__ import annotations

import math

import polars as pl
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from careties.stats.intervals import rate_ci
from careties.web import disclosure
from careties.web.accounts.models import Role
from careties.web.disclosure import Disclosure, Policy, RateSpec, Rule
from careties.web.presenters import REGISTRY
from careties.web.presenters.base import Context, NotEnoughData
from web import dashboard_data

SUPPRESSING = Policy(suppress_small_numbers=True, anonymise_practices=False)
SPEC = Disclosure(
    counts=("count", "patients"),
    rates=(RateSpec("rate", "count", "patients", 1000, 2, intervals=("lower", "upper")),),
)


def _bucket_mate(count: int, offset: int) -> int:
    """Another true count the rule shows exactly as it shows ``count``."""
    rule = Rule()
    shown = disclosure.suppress_count(count, rule)
    candidates = [
        c
        for c in range(max(0, count - 4), count + 5)
        if disclosure.suppress_count(c, rule) == shown
    ]
    return candidates[offset % len(candidates)]


def _table(counts: list[int], patients: list[int]) -> pl.DataFrame:
    frame = pl.DataFrame(
        {"name": [f"P{i:03d}" for i in range(len(counts))], "count": counts, "patients": patients}
    )
    lower, upper = [], []
    for c, p in zip(counts, patients, strict=True):
        _, lo, hi = rate_ci(c, p, multiplier=1000)
        lower.append(lo)
        upper.append(hi)
    return frame.with_columns(
        rate=pl.col("count") / pl.col("patients") * 1000,
        lower=pl.Series(lower),
        upper=pl.Series(upper),
    ).sort("rate", descending=True)  # as a league table is sorted


@settings(max_examples=200, deadline=None)
@given(
    st.lists(
        st.tuples(st.integers(0, 400), st.integers(300, 20_000), st.integers(0, 8)),
        min_size=2,
        max_size=12,
        unique_by=lambda t: t[0],
    ),
)
def test_true_counts_in_the_same_bucket_show_the_same_table(rows):
    counts = [c for c, _, _ in rows]
    patients = [p for _, p, _ in rows]
    mates = [_bucket_mate(c, o) for c, _, o in rows]
    mate_patients = [_bucket_mate(p, o) for _, p, o in rows]
    shown = disclosure.apply(_table(counts, patients), SPEC, SUPPRESSING)
    other = disclosure.apply(_table(mates, mate_patients), SPEC, SUPPRESSING)
    columns = ["count", "patients", "rate", "lower", "upper"]
    # Names aside (they identify rows, not values), what is shown is identical, in the same order.
    assert shown.select(columns).to_dicts() == other.select(columns).to_dicts()


def test_inverting_an_interval_gives_back_only_the_rounded_count():
    true_count, patients = 23, 1002
    shown = disclosure.apply(_table([true_count, 40], [patients, 5000]), SPEC, SUPPRESSING)
    row = shown.filter(pl.col("name") == "P000").row(0, named=True)
    recovered = [
        c
        for c in range(0, 60)
        if math.isclose(round(rate_ci(c, row["patients"], multiplier=1000)[1], 2), row["lower"])
    ]
    assert recovered == [25]  # the shown count; 23 cannot be told from 21..24


def _interval_problems(draft, shown: pl.DataFrame) -> list[str]:
    problems = []
    for rate in draft.disclosure.rates:
        present = [c for c in rate.intervals if c in shown.columns]
        if not present:
            continue
        for row in shown.iter_rows(named=True):
            num, den = row.get(rate.numerator), row.get(rate.denominator)
            if any(row[c] is None for c in present):
                continue
            if num is None or den is None or not den:
                problems.append(f"interval shown beside a hidden part: {row}")
                continue
            assert rate.interval_method == "byar"
            _, lo, hi = rate_ci(num, den, multiplier=rate.multiplier)
            expected = {present[0]: round(lo, rate.digits), present[-1]: round(hi, rate.digits)}
            for column, value in expected.items():
                if not math.isclose(row[column], value, abs_tol=10**-rate.digits):
                    problems.append(f"{column}={row[column]} is not from the shown {num}/{den}")
    return problems


@pytest.mark.django_db
@pytest.mark.parametrize("role", [Role.REGIONAL, Role.PRACTICE, Role.SOCIAL_WORKER])
def test_every_interval_of_every_section_comes_from_what_the_role_sees(role):
    facts = dashboard_data.load()
    users = dashboard_data.users(facts)
    user, la_code = users[role], facts["la_code"]
    policy = Policy.for_user(user, la_code)
    assert policy.suppress_small_numbers
    checked = 0
    for key, spec in REGISTRY.items():
        practice = facts["practice"] if spec.page == "practice" else None
        context = Context(
            user=user, la_code=la_code, la_codes=[la_code], policy=policy, practice_code=practice
        )
        try:
            draft = spec.presenter(context)
        except NotEnoughData:
            continue
        shown = disclosure.apply(draft.frame, draft.disclosure, policy)
        assert _interval_problems(draft, shown) == [], key
        checked += sum(1 for r in draft.disclosure.rates if r.intervals)
    assert checked >= 1  # at least the practice rates section carries intervals
