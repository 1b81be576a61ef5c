"""Survey figures come from a deliberately chosen wave (issue 16).

A new open wave with a handful of answers must not take over the headlines,
relational coordination, practice knowledge or the BCF export: figures use the
latest closed wave with at least 5 respondents unless the user picks a wave,
and say which wave they show.
"""

from __future__ import annotations

import datetime as dt

import polars as pl
import pytest
from django.urls import reverse
from tests.web import dashboard_data

from careties.web.accounts.models import Role
from careties.web.presenters.wave_choice import respondent_counts, waves_reaching_floor

pytestmark = pytest.mark.django_db


def _answers(wave: str, instrument: str, respondents: int) -> list[dict]:
    return [
        {"response_id": f"{wave}-{instrument}-{i}", "wave": wave, "instrument": instrument}
        for i in range(respondents)
    ]


def test_only_closed_waves_meeting_the_floor_qualify():
    frame = pl.DataFrame(
        _answers("2024-W1", "gp", 6)
        + _answers("2025-W2", "gp", 4)  # closed, below the floor
        + _answers("2026-W3", "gp", 9)  # still open
        + _answers("2025-W2", "social_worker", 7)
    )
    counts = respondent_counts(frame)
    still_open = {("gp", "2026-W3")}
    assert waves_reaching_floor(counts, "gp", still_open, 5) == ["2024-W1"]
    assert waves_reaching_floor(counts, "social_worker", still_open, 5) == ["2025-W2"]
    assert waves_reaching_floor(counts, None, still_open, 5) == ["2024-W1", "2025-W2"]
    assert waves_reaching_floor(counts, "gp", still_open, 10) == []


@pytest.fixture
def with_small_open_wave(db):
    """The synthetic council (waves 2024-W1 and 2025-W2) plus an open wave of 6 GP answers."""
    from careties.web.store.services import import_frame
    from careties.web.surveys.models import Wave

    facts = dashboard_data.load()
    la_code = facts["la_code"]
    today = dt.date.today()
    Wave.objects.create(
        la_code=la_code,
        instrument="gp",
        name="2026-W9",
        opens_on=today - dt.timedelta(days=2),
        closes_on=today + dt.timedelta(days=12),
    )
    template = dashboard_data.synthetic().frames["survey_responses"]
    first_gp = template.filter(pl.col("instrument") == "gp")
    ids = first_gp["response_id"].unique().sort().head(6).to_list()
    new = first_gp.filter(pl.col("response_id").is_in(ids)).with_columns(
        pl.lit("2026-W9").alias("wave"), (pl.col("response_id") + "-new").alias("response_id")
    )
    import_frame(kind="survey_responses", frame=new, source="web-2026-W9")
    return facts


def test_a_small_open_wave_does_not_take_over_the_survey_figures(client, with_small_open_wave):
    la_code = with_small_open_wave["la_code"]
    client.force_login(dashboard_data.users(with_small_open_wave)[Role.COUNCIL_LEAD])
    surveys = client.get(reverse("surveys", args=[la_code])).content.decode()
    assert "Wave 2025-W2: the latest closed wave with at least 5 respondents" in surveys
    assert "2026-W9</option>" in surveys  # offered as a choice, not shown by default
    relationships = client.get(reverse("relationships", args=[la_code])).content.decode()
    assert "GPs about social care" in relationships
    assert "Social care about GPs" in relationships  # the other side does not vanish
    assert "Relational coordination, wave 2025-W2" in relationships


def test_a_chosen_wave_is_shown_and_said(client, with_small_open_wave):
    la_code = with_small_open_wave["la_code"]
    client.force_login(dashboard_data.users(with_small_open_wave)[Role.COUNCIL_LEAD])
    chosen = client.get(reverse("surveys", args=[la_code]) + "?wave=2024-W1").content.decode()
    assert "Wave 2024-W1 (chosen)" in chosen
    export = client.get(
        reverse("section_export", args=[la_code, "survey_indicators", "csv"]) + "?wave=2024-W1"
    )
    assert export.status_code == 200


def test_the_pledge_counts_survey_answers_as_its_text_says(with_small_open_wave):
    from careties.web.programme.presenters import survey_answers
    from careties.web.store.models import ImportBatch

    la_code = with_small_open_wave["la_code"]
    today = dt.date.today()
    # The synthetic waves' files were loaded long ago; only the open wave is this quarter's.
    ImportBatch.objects.update(created_at=dt.datetime(2020, 1, 1, tzinfo=dt.UTC))
    assert survey_answers(la_code, today - dt.timedelta(days=1), today) == 6
    assert survey_answers(la_code, dt.date(2019, 12, 1), dt.date(2020, 2, 1)) > 6
