"""Stored aggregates are recomputed per council: only a council whose data moved on."""

from __future__ import annotations

import polars as pl
import pytest
from tests.web.three_councils import three_councils

from careties.web.scale import freshness
from careties.web.scale.models import AggregateStamp, SurveyCount, SurveyRespondents
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


def _respondents(la_code: str) -> dict[tuple[str, str], int]:
    rows = SurveyRespondents.objects.filter(la_code=la_code)
    return {(r.wave, r.instrument): r.respondents for r in rows}


def test_a_council_whose_data_moved_on_is_recounted_alone(councils):
    freshness.fresh("surveys", councils)
    first, *others = councils
    before = dict(AggregateStamp.objects.filter(area="surveys").values_list("la_code", "version"))
    kept = sorted(SurveyCount.objects.filter(la_code__in=others).values_list("id", flat=True))
    counted = _respondents(first)
    # One wave of the first council's answers loaded again without one respondent.
    answers = load_frame("survey_responses", first)
    wave = answers["wave"].max()
    dropped = answers.filter(pl.col("wave") == wave).row(0, named=True)
    one_fewer = answers.filter(
        (pl.col("wave") == wave) & (pl.col("response_id") != dropped["response_id"])
    )
    # The same file name: a corrected version, replacing the council's earlier rows.
    import_frame(kind="survey_responses", frame=one_fewer, source="three-survey_responses")

    freshness.fresh("surveys", councils)
    after = dict(AggregateStamp.objects.filter(area="surveys").values_list("la_code", "version"))
    assert after[first] != before[first]
    assert all(after[c] == before[c] for c in others)
    # The other councils' rows were not rewritten; the first council's counts follow its data.
    assert (
        sorted(SurveyCount.objects.filter(la_code__in=others).values_list("id", flat=True)) == kept
    )
    key = (wave, dropped["instrument"])
    assert _respondents(first)[key] == counted[key] - 1


def test_a_current_council_is_not_recomputed(councils, monkeypatch):
    freshness.fresh("linkage", councils)
    calls: list[str] = []
    monkeypatch.setattr(
        freshness, "_refresher", lambda area: lambda code: calls.append(code) or {"seen": True}
    )
    facts = freshness.fresh("linkage", councils)
    assert calls == []
    assert all(found["surveys"] and found["contacts"] for found in facts.values())
    freshness.refresh("linkage", councils[0], force=True)
    assert calls == [councils[0]]


def _stored_counts(la_codes: list[str]) -> pl.DataFrame:
    rows = SurveyCount.objects.filter(la_code__in=la_codes).values_list(
        "la_code", "wave", "instrument", "indicator", "numerator", "denominator"
    )
    return pl.DataFrame(
        list(rows),
        schema=["la_code", "wave", "instrument", "indicator", "numerator", "denominator"],
        orient="row",
    ).sort(pl.all())


def test_an_import_of_survey_answers_leaves_the_regional_counts_equal_to_a_recount(councils):
    from careties.web.scale import survey_counts
    from careties.web.scale.versions import council_versions

    first, *_ = councils
    answers = load_frame("survey_responses", first)
    wave = answers["wave"].max()
    dropped = answers.filter(pl.col("wave") == wave)["response_id"].unique().sort()[:3]
    # A corrected file for the first council: three respondents fewer, nothing else run after.
    import_frame(
        kind="survey_responses",
        frame=answers.filter(~pl.col("response_id").is_in(dropped.implode())),
        source="three-survey_responses",
    )

    recounted = []
    for code in councils:
        counts, _ = survey_counts.council_counts(load_frame("survey_responses", code))
        recounted.append(counts.select(_stored_counts([]).columns))
    expected = pl.concat(recounted).sort(pl.all())
    assert expected.height > 0
    assert _stored_counts(councils).equals(expected)
    # Stamped with the version the import committed: the regional view recounts nothing.
    stamp = AggregateStamp.objects.get(area="surveys", la_code=first)
    assert stamp.version == council_versions([first])[first]
    _, respondents = survey_counts.council_counts(load_frame("survey_responses", first))
    assert _respondents(first) == {
        (r["wave"], r["instrument"]): r["respondents"] for r in respondents.iter_rows(named=True)
    }
