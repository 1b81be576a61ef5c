"""The admissions counts kept at import equal what the raw events give, council by council."""

from __future__ import annotations

import datetime as dt

import polars as pl
import pytest
from tests.web import dashboard_data
from tests.web.factories import frame

from careties.referrals.admissions import new_admissions
from careties.referrals.ascof import ascof_2c
from careties.web import selectors
from careties.web.scale import aggregates
from careties.web.scale.models import AdmissionCount
from careties.web.store.services import import_frame

pytestmark = pytest.mark.django_db

OTHER = "E06000002"


def _stored_counts() -> pl.DataFrame:
    rows = AdmissionCount.objects.values(
        "la_code", "practice_code", "month", "financial_year", "age_65_plus", "admissions"
    )
    return pl.DataFrame(
        list(rows),
        schema={
            "la_code": pl.String,
            "practice_code": pl.String,
            "month": pl.Date,
            "financial_year": pl.String,
            "age_65_plus": pl.Boolean,
            "admissions": pl.Int64,
        },
    ).sort("la_code", "month", "practice_code", "age_65_plus", nulls_last=True)


def _other_council_events(n: int, first: dt.date) -> pl.DataFrame:
    return frame(
        "events",
        [
            {
                "event_reference": f"OT{i}",
                "person_key": f"{i:032x}",
                "age": 70 + i % 30,
                "la_code": OTHER,
                "event_type": "service",
                "start_date": first + dt.timedelta(days=20 * i),
                "service_type": "long_term_nursing",
                "route_of_access": "community",
                "practice_code": None,
            }
            for i in range(n)
        ],
    )


def _add_other_council() -> None:
    import_frame(
        kind="local_authorities",
        frame=frame(
            "local_authorities", [{"la_code": OTHER, "name": "Other", "region": "North East"}]
        ),
        source="other-la.csv",
    )


def test_counts_equal_the_counts_from_every_stored_event():
    facts = dashboard_data.load()
    events = selectors.load_frame("events", facts["la_code"])
    assert _stored_counts().equals(aggregates.counts_from_events(events))
    by_year = (
        new_admissions(events)
        .group_by("la_code", "financial_year")
        .agg(pl.len().cast(pl.Int64).alias("admissions"))
        .sort("la_code", "financial_year")
    )
    assert by_year.height > 0
    assert aggregates.admissions_65_plus([facts["la_code"]]).equals(by_year)


def test_regional_ascof_from_counts_equals_ascof_from_events():
    facts = dashboard_data.load()
    _add_other_council()
    import_frame(
        kind="events", frame=_other_council_events(40, dt.date(2023, 4, 3)), source="other.csv"
    )
    councils = [facts["la_code"], OTHER]
    events = pl.concat([selectors.load_frame("events", c) for c in councils])
    kinds = ("population", "registered_patients", "practices")
    frames = {k: selectors.load_frame(k) for k in kinds}
    from_events = ascof_2c(events, *frames.values(), la_codes=councils)
    from_counts = ascof_2c(
        aggregates.no_events(),
        *frames.values(),
        admissions=aggregates.admission_rows(councils),
        la_codes=councils,
    )
    assert from_counts.equals(from_events)
    assert from_counts.filter(pl.col("la_code") == OTHER)["admissions_65_plus"].sum() > 0


def test_an_import_recounts_only_the_councils_it_touched():
    facts = dashboard_data.load()
    _add_other_council()
    mine = _stored_counts().filter(pl.col("la_code") == facts["la_code"])
    import_frame(
        kind="events", frame=_other_council_events(30, dt.date(2023, 4, 3)), source="other.csv"
    )
    theirs = _stored_counts().filter(pl.col("la_code") == OTHER)
    assert theirs["admissions"].sum() == 30  # one person each, years apart from no earlier care
    assert _stored_counts().filter(pl.col("la_code") == facts["la_code"]).equals(mine)
    # A corrected file: 20 of the services were home care after all; the counts follow.
    corrected = _other_council_events(30, dt.date(2023, 4, 3)).with_columns(
        pl.when(pl.int_range(pl.len()) >= 10)
        .then(pl.lit("home_care"))
        .otherwise(pl.col("service_type"))
        .alias("service_type")
    )
    import_frame(kind="events", frame=corrected, source="other.csv")
    assert _stored_counts().filter(pl.col("la_code") == OTHER)["admissions"].sum() == 10
    assert _stored_counts().filter(pl.col("la_code") == facts["la_code"]).equals(mine)
