"""The regional view from aggregates: the same figures as from every council's rows, read
without loading any council's events, contacts or survey answers."""

from __future__ import annotations

import polars as pl
import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from tests.web.three_councils import three_councils

from careties.relations.surveys import headline_indicators
from careties.web.dashboard.builders import linkage, regional
from careties.web.disclosure import Policy
from careties.web.presenters import base, wave_choice
from careties.web.presenters.base import Context
from careties.web.scale import freshness
from careties.web.selectors import load_frame
from careties.web.store.services import IMPORT_ORDER, import_frame

pytestmark = pytest.mark.django_db


@pytest.fixture
def councils() -> list[str]:
    frames = three_councils()
    for kind in IMPORT_ORDER:
        if kind in frames:
            import_frame(kind=kind, frame=frames[kind], source=f"three-{kind}")
    return sorted(frames["local_authorities"]["la_code"].to_list())


def _region(codes: list[str]) -> Context:
    return Context(user=None, la_code=None, la_codes=codes, policy=Policy.unrestricted())


def _rows_read(queries: list[dict], table: str) -> list[str]:
    """Queries that read rows of ``table`` (the indexed ``MAX(id)`` of a version is not one)."""
    return [q["sql"] for q in queries if table in q["sql"] and "SELECT MAX(id)" not in q["sql"]]


def test_survey_indicators_from_counts_equal_those_from_every_answer(councils):
    assert len(councils) == 3
    ctx = _region(councils)
    answers = pl.concat([load_frame("survey_responses", c) for c in councils])
    wave = wave_choice.chosen_wave(ctx, answers, "gp")
    names = load_frame("local_authorities").select("la_code", pl.col("name").alias("council"))
    expected = (
        headline_indicators(answers.filter(pl.col("wave") == wave), by="la_code")
        .filter(pl.col("instrument") == "gp")
        .join(names, on="la_code", how="left")
        .sort("indicator", "council")
    )
    found, found_wave = regional.survey_indicators(_region(councils))
    assert found_wave == wave
    assert expected.height > 0 and expected["la_code"].n_unique() == 3
    assert found.equals(expected)


def test_linkage_models_from_inputs_equal_those_from_every_row(councils):
    expected = linkage.linkage_frame(_region(councils))
    found = regional.linkage_models(_region(councils))
    assert expected["rate_ratio"].drop_nulls().len() > 0
    assert found.equals(expected)


def test_the_regional_page_reads_no_event_contact_or_answer(councils):
    for area in freshness.AREAS:  # what the warm-up after each import has done
        freshness.fresh(area, councils)
    ctx = _region(councils)
    with CaptureQueriesContext(connection) as queries:
        shown = [
            base.build(key, ctx)
            for key in ("regional_ascof", "regional_surveys", "regional_linkage")
        ]
    assert all(section.available for section in shown), [s.message for s in shown]
    for table in ("careties_events", "careties_contacts", "careties_survey_responses"):
        assert _rows_read(queries.captured_queries, table) == []


def test_the_queries_do_not_grow_with_the_councils(councils):
    for area in freshness.AREAS:
        freshness.fresh(area, councils)

    def queries(codes: list[str]) -> int:
        ctx = _region(codes)
        with CaptureQueriesContext(connection) as captured:
            for key in ("regional_ascof", "regional_surveys", "regional_linkage"):
                base._build(base.REGISTRY[key], ctx)
        return len(captured.captured_queries)

    assert queries(councils) == queries(councils[:1])


LOCMEM = {
    "default": {
        "BACKEND": "django.core.cache.backends.locmem.LocMemCache",
        "LOCATION": "h6-regional-linkage-test",
    }
}


def test_many_councils_models_are_fitted_in_the_task_queue(councils, monkeypatch):
    from django.core.cache import cache
    from django.test import override_settings

    monkeypatch.setattr(regional, "INLINE_COUNCILS", 1)
    with override_settings(CACHES=LOCMEM):
        cache.clear()
        # The test settings run a queued task at once: it fits and keeps the models.
        first = base.build("regional_linkage", _region(councils))
        assert not first.available and "being fitted" in first.message
        second = base.build("regional_linkage", _region(councils))
        assert second.available, second.message
        fitted = regional.linkage_models(_region(councils), inline=True)
        assert (
            second.table.rows
            == base._build(base.REGISTRY["regional_linkage"], _region(councils)).table.rows
        )
        assert len(second.table.rows) == fitted.height
        cache.clear()
