"""The wave-against-wave section when the later waves ran the GP survey only."""

from __future__ import annotations

import polars as pl
import pytest
from django.urls import reverse
from tests.web import dashboard_data

from careties.web.accounts.models import Role
from careties.web.store.services import import_frame

pytestmark = pytest.mark.django_db


def test_gp_only_waves_compare_gp_indicators_and_leave_older_peoples_out(client, db):
    facts = dashboard_data.load()
    la_code = facts["la_code"]
    template = dashboard_data.synthetic().frames["survey_responses"]
    assert "older_person" in template["instrument"].to_list()  # the older waves did ask them
    gp = template.filter(pl.col("instrument") == "gp")
    for wave in ("2026-W8", "2026-W9"):
        import_frame(
            kind="survey_responses",
            frame=gp.with_columns(
                pl.lit(wave).alias("wave"),
                (pl.col("response_id") + f"-{wave}").alias("response_id"),
            ),
            source=f"web-{wave}",
        )
    client.force_login(dashboard_data.users(facts)[Role.COUNCIL_LEAD])
    page = client.get(reverse("surveys", args=[la_code]))
    assert page.status_code == 200
    export = client.get(reverse("section_export", args=[la_code, "wave_change", "csv"]))
    assert export.status_code == 200
    text = export.content.decode()
    assert "Change from" in text or "2026-W8" in text
    assert "GPs rating their relationship" in text
    assert "Older people" not in text
