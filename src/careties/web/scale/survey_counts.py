"""Survey counts per council and wave, kept for the regional view.

The regional view showed every council's headline survey indicators by loading
every council's answers (1.6 million rows for England) into one worker. The
counts behind those figures (who answered, who said yes) add up across
councils, so each council's are stored once (when its answers are imported, or
when its data version moves on: a survey answered in the browser) and the
regional figures are made from their sums, with the same Wilson interval and
respondent floor as the council pages.
"""

from __future__ import annotations

from collections.abc import Iterable

import polars as pl

COUNT_SCHEMA = {
    "la_code": pl.String,
    "wave": pl.String,
    "instrument": pl.String,
    "indicator": pl.String,
    "label": pl.String,
    "numerator": pl.Int64,
    "denominator": pl.Int64,
}
RESPONDENT_SCHEMA = {
    "la_code": pl.String,
    "wave": pl.String,
    "instrument": pl.String,
    "respondents": pl.Int64,
}


def council_counts(responses: pl.DataFrame) -> tuple[pl.DataFrame, pl.DataFrame]:
    """One council's indicator counts per wave, and its respondents per wave and instrument.

    ``headline_indicators`` per wave with a floor of 1, so no count is hidden
    here: the floor is applied to the pooled counts, as it was to the pooled
    answers. A question the council's respondents were asked but nobody
    answered keeps its row with a zero denominator.
    """
    # Deferred: presenters, page_parts and the store's services import this module while
    # they load; its models need apps ready and its builders import them back (a cycle).
    from careties.relations.surveys import headline_indicators

    if responses.is_empty():
        return pl.DataFrame(schema=COUNT_SCHEMA), pl.DataFrame(schema=RESPONDENT_SCHEMA)
    parts = [pl.DataFrame(schema=COUNT_SCHEMA)]
    for wave in sorted(responses["wave"].drop_nulls().unique().to_list()):
        found = headline_indicators(
            responses.filter(pl.col("wave") == wave), min_respondents=1, by=("la_code", "wave")
        )
        parts.append(
            found.select(
                "la_code",
                "wave",
                "instrument",
                "indicator",
                "label",
                pl.col("numerator", "denominator").fill_null(0).cast(pl.Int64),
            )
        )
    respondents = responses.group_by("la_code", "wave", "instrument").agg(
        pl.col("response_id").n_unique().cast(pl.Int64).alias("respondents")
    )
    return pl.concat(parts, how="vertical_relaxed"), respondents.select(RESPONDENT_SCHEMA.keys())


def refresh(la_code: str) -> dict:
    """Recount one council's stored answers; returns what the council has loaded."""
    # Deferred: presenters, page_parts and the store's services import this module while
    # they load; its models need apps ready and its builders import them back (a cycle).
    from careties.web.selectors import load_frame

    from .models import SurveyCount, SurveyRespondents

    counts, respondents = council_counts(load_frame("survey_responses", la_code))
    SurveyCount.objects.filter(la_code=la_code).delete()
    SurveyRespondents.objects.filter(la_code=la_code).delete()
    SurveyCount.objects.bulk_create(
        [SurveyCount(**row) for row in counts.iter_rows(named=True)], batch_size=2_000
    )
    SurveyRespondents.objects.bulk_create(
        [SurveyRespondents(**row) for row in respondents.iter_rows(named=True)], batch_size=2_000
    )
    return {"surveys": respondents.height > 0}


def respondents(la_codes: Iterable[str]) -> pl.DataFrame:
    """Stored respondents of these councils: ``la_code, wave, instrument, respondents``."""
    # Deferred: presenters, page_parts and the store's services import this module while
    # they load; its models need apps ready and its builders import them back (a cycle).
    from .models import SurveyRespondents

    return _read(SurveyRespondents, la_codes, RESPONDENT_SCHEMA, {})


def counts(la_codes: Iterable[str], wave: str, instrument: str) -> pl.DataFrame:
    """Stored indicator counts of these councils for one wave and instrument."""
    # Deferred: presenters, page_parts and the store's services import this module while
    # they load; its models need apps ready and its builders import them back (a cycle).
    from .models import SurveyCount

    return _read(SurveyCount, la_codes, COUNT_SCHEMA, {"wave": wave, "instrument": instrument})


def _read(model, la_codes: Iterable[str], schema: dict, filters: dict) -> pl.DataFrame:
    # Deferred: presenters, page_parts and the store's services import this module while
    # they load; its models need apps ready and its builders import them back (a cycle).
    from .versions import CHUNK

    codes = sorted(set(la_codes))
    rows: list[tuple] = []
    for start in range(0, len(codes), CHUNK):
        rows += model.objects.filter(
            la_code__in=codes[start : start + CHUNK], **filters
        ).values_list(*schema)
    return pl.DataFrame(rows, schema=schema, orient="row")
