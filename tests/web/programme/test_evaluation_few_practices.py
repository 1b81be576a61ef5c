"""A programme with too few targeted practices gets a sentence, not a server error.

Difference in differences with clustered errors needs at least 2 targeted and 2 comparison
practices (careties.stats.evaluation); the evaluation page must say so for each outcome.
"""

from __future__ import annotations

import datetime as dt

import pytest
from tests.web.paths import url

from careties.planning.evaluation import evaluate
from careties.web.accounts.models import Role
from careties.web.programme.models import Programme

from .factories import make_user

pytestmark = pytest.mark.django_db


def test_evaluate_says_too_few_practices_instead_of_raising():
    import polars as pl

    rows = [
        {"practice_code": p, "quarter": q, "treated": int(p == "A1"), "post": int(q >= 2), "y": 1.0}
        for p in ("A1", "B1", "B2")
        for q in range(4)
    ]
    result = evaluate(pl.DataFrame(rows), "y", "Y", "units", lower_is_better=True)
    assert result.error.startswith("Not enough practices to evaluate")
    assert "1 targeted and 2 comparison" in result.error
    assert result.effect is None and result.n_targeted == 1


def test_evaluation_page_with_one_targeted_practice_shows_the_message(client):
    from careties.data import synth
    from careties.web.store.services import IMPORT_ORDER, import_frame

    data = synth.generate("tiny", seed=0)
    for kind in IMPORT_ORDER:
        if kind in data.frames:
            import_frame(kind=kind, frame=data.frames[kind], source=f"synthetic-tiny-{kind}")
    la_code = data.frames["local_authorities"]["la_code"][0]
    assert data.frames["events"].height and data.frames["contacts"].height
    first = data.frames["practices"].sort("practice_code")["practice_code"][0]
    programme = data.truth.get("programme", {})
    start = dt.date.fromisoformat(programme.get("start_date", "2024-04-01"))
    Programme.objects.create(la_code=la_code, start_date=start, targeted_practices=[first])
    client.force_login(make_user("lead", Role.COUNCIL_LEAD, la_codes=[la_code]))
    response = client.get(url("programme:evaluation", la=la_code))
    assert response.status_code == 200
    html = response.content.decode()
    # Admissions and GP contact with social care both say why, in words.
    assert html.count("Not enough practices to evaluate") >= 2, html[html.find("<main") :][:3000]
    assert "Care home admissions" in html and "GP contact with social care" in html
