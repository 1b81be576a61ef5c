"""Sign-posting measured: quarterly series for SPC charts, and the evaluation outcome."""

from __future__ import annotations

import datetime as dt

import numpy as np
import polars as pl
import pytest
from tests.web.paths import url

from careties.planning.signposting import (
    evaluate_signposting,
    signposting_panel,
    signposting_series,
)

from . import test_views
from .test_views import HOME

store, users = test_views.store, test_views.users

PRACTICES = pl.DataFrame({"practice_code": [f"A8{i:04d}" for i in range(30)]})
TARGETED = [f"A8{i:04d}" for i in range(10)]
PROFESSIONALS = pl.DataFrame(
    {
        "professional_id": ["G1", "G2", "G3", "G4", "S1"],
        "role": ["gp", "gp", "gp", "gp", "social_worker"],
        "organisation": ["A80000", "A80000", "A80001", "A80020", "TEAM"],
    }
)


def _signposts(rows: list[tuple[str, dt.date]]) -> pl.DataFrame:
    return pl.DataFrame(
        {
            "practice_code": [r[0] for r in rows],
            "gp_professional_id": ["G1"] * len(rows),
            "service_id": ["s"] * len(rows),
            "signposted_on": [r[1] for r in rows],
        }
    )


def test_series_per_practice_and_per_targeted_gp_with_empty_quarters_as_zero():
    signposts = _signposts(
        [
            ("A80000", dt.date(2025, 1, 10)),
            ("A80001", dt.date(2025, 2, 10)),
            ("A80020", dt.date(2025, 3, 10)),
            ("A80000", dt.date(2025, 7, 1)),
        ]
    )
    series = signposting_series(signposts, PRACTICES, PROFESSIONALS, TARGETED)
    assert series["quarter"].to_list() == [
        dt.date(2025, 1, 1),
        dt.date(2025, 4, 1),
        dt.date(2025, 7, 1),
    ]
    assert series["signposts"].to_list() == [3, 0, 1]
    assert series["per_practice"].to_list() == pytest.approx([3 / 30, 0, 1 / 30])
    # targeted practices' GPs: G1, G2 (A80000) and G3 (A80001); A80020 is not targeted
    assert series["per_targeted_gp"].to_list() == pytest.approx([2 / 3, 0, 1 / 3])
    assert (
        signposting_series(signposts, PRACTICES, PROFESSIONALS, [])["per_targeted_gp"].null_count()
        == 3
    )


def test_panel_has_every_practice_every_quarter():
    signposts = _signposts([("A80000", dt.date(2024, 1, 5)), ("A80001", dt.date(2025, 12, 5))])
    panel = signposting_panel(signposts, PRACTICES, TARGETED, dt.date(2025, 1, 1))
    assert panel.height == 30 * 8 and panel["signposts"].sum() == 2
    assert panel.filter(pl.col("treated") == 1)["practice_code"].n_unique() == 10


def test_evaluation_recovers_a_known_rise_in_signposting():
    # 30 practices, 8 quarters; targeted practices sign-post 3 more a quarter after the start.
    rng = np.random.default_rng(21)
    quarters = [dt.date(2024 + q // 4, (q % 4) * 3 + 1, 15) for q in range(8)]
    rows = []
    for i, practice in enumerate(PRACTICES["practice_code"]):
        for q, day in enumerate(quarters):
            n = 2 + i % 3 + (3 if practice in TARGETED and q >= 4 else 0) + rng.poisson(1)
            rows += [(practice, day)] * int(n)
    result = evaluate_signposting(_signposts(rows), PRACTICES, TARGETED, dt.date(2025, 1, 1))
    assert result.error is None and result.ci_low < 3 < result.ci_high
    assert result.effect == pytest.approx(3, abs=0.6) and result.p_value < 0.05
    none = evaluate_signposting(_signposts([]), PRACTICES, TARGETED, dt.date(2025, 1, 1))
    assert none.error == "No sign-posting has been recorded yet."


@pytest.mark.django_db
def test_signposts_page_draws_spc_charts_and_the_evaluation_has_the_outcome(client, store, users):
    from careties.web.programme.models import Programme, SignPost

    Programme.objects.create(
        la_code=HOME, start_date=dt.date(2025, 4, 1), targeted_practices=["A81001"]
    )
    for month in (1, 4, 7, 10):
        for practice in ("A81001", "A81002"):
            SignPost.objects.create(
                la_code=HOME,
                practice_code=practice,
                gp_professional_id="GP0001" if practice == "A81001" else "GP0002",
                service_id="svc-1",
                signposted_on=dt.date(2025, month, 3),
            )
    client.force_login(users["lead"])
    page = client.get(url("programme:signposts", la=HOME)).content.decode()
    assert (
        'data-chart="chart-per_practice"' in page and 'data-chart="chart-per_targeted_gp"' in page
    )
    assert "Quarterly value" in page
    # 2 sign-posts a quarter over the council's 2 practices; 1 by the targeted practice's 1 GP
    assert page.count(">1.00<") == 8
    evaluation = client.get(url("programme:evaluation", la=HOME)).content.decode()
    assert "Sign-posting to local services" in evaluation
    client.force_login(users["practice"])
    own = client.get(url("programme:signposts", la=HOME)).content.decode()
    assert "data-chart" not in own  # the council's charts are not a practice's to see
