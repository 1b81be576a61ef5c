"""Client Level Data events: requests, assessments, services and reviews.

Volumes are drawn per cell (GP x period x age group x outcome x route) from
Poisson rates per registered patient, then expanded into episodes and events,
all with NumPy arrays: no Python loop runs per person or per event, which is
what lets the England scale make millions of rows in seconds.

The planted truths live in the rates:

* residential and nursing admissions of people 65+ run near the England ASCOF 2C
  rate (about 560-600 per 100,000 65+ a year);
* a GP's propensity multiplies the community-route (GP-originated) admissions of
  their patients, so over-referring GPs stand out in attributed admissions;
* over-referring GPs' patients get fewer community alternatives (they know the
  services less);
* after the programme starts, targeted practices' admissions fall by
  ``programme_effect`` and the diverted people get home care or reablement.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

import numpy as np
import polars as pl

from careties.data.synth.event_parameters import (
    _AGE_OTHER,
    _AGE_RESIDENTIAL,
    _AGE_START,
    _SERVICE_DAYS,
    ADVICE,
    ALTERNATIVES,
    ASSESSMENT_OUTCOME,
    COMMUNITY,
    CONSULTANT_NAMED_SHARE,
    DISCHARGE,
    EVENT_TABLE,
    GP_NAMED_SHARE,
    GP_ON_DISCHARGE_SHARE,
    HOME_CARE,
    NO_ELIGIBLE,
    NURSING_SHARE,
    OUTCOME_TABLE,
    OUTCOMES,
    OVER_REFERRER_ALTERNATIVES,
    PRACTICE_KNOWN_SHARE,
    PROPENSITY_ROUTES,
    RATES,
    REABLEMENT,
    REQUEST_OUTCOME,
    RESIDENTIAL,
    REVIEW_OUTCOMES,
    REVIEW_SHARE,
    ROUTE_SHARE,
    ROUTES,
    SELF_FUNDED,
    SELF_FUNDED_SHARE,
    SERVICE_TABLE,
    TRANSFER_SHARE,
)
from careties.data.synth.geography import Geography
from careties.data.synth.ids import (
    NO_DATE,
    as_dates,
    day_number,
    lookup,
    person_ids,
    person_keys,
    prefixed,
)
from careties.data.synth.scales import Scale
from careties.data.synth.workforce import Workforce


@dataclass
class Events:
    """The events frame, the raw ids and birth dates behind it, and per-episode facts."""

    frame: pl.DataFrame
    #: Row-aligned with ``frame``: the fake raw ``person_id`` and ``date_of_birth``.
    people: pl.DataFrame
    episodes: int


def _windows(scale: Scale) -> list[tuple[int, int, bool]]:
    start, end = day_number(scale.data_start), day_number(scale.data_end) + 1
    programme = day_number(scale.programme_start)
    cuts = sorted({start, end} | ({programme} if start < programme < end else set()))
    return [(a, b, a >= programme) for a, b in zip(cuts[:-1], cuts[1:], strict=True)]


def _episode_rates(
    geo: Geography, wf: Workforce, scale: Scale, programme_effect: float
) -> np.ndarray:
    """Expected episodes per (GP, window, age group, outcome, route)."""
    n_gp = len(wf.gp_ids)
    gps_in_practice = np.bincount(wf.gp_practice, minlength=len(geo.list_total))
    share = np.stack(
        [
            geo.list_65_plus[wf.gp_practice] / gps_in_practice[wf.gp_practice],
            geo.list_18_64[wf.gp_practice] / gps_in_practice[wf.gp_practice],
        ],
        axis=1,
    )
    windows = _windows(scale)
    years = np.array([(b - a) / 365.25 for a, b, _ in windows])
    post = np.array([p for _, _, p in windows])
    lam = (
        share[:, None, :, None, None]
        * years[None, :, None, None, None]
        * RATES[None, None, :, :, None]
        * ROUTE_SHARE[None, None, None, :, :]
    ) * np.ones((n_gp, len(windows), 2, len(OUTCOMES), len(ROUTES)))

    # Propensity, normalised so the council-wide admission rate stays on target.
    weight = share[:, 0]
    propensity = wf.gp_propensity / (np.sum(weight * wf.gp_propensity) / np.sum(weight))
    for r in PROPENSITY_ROUTES:
        lam[:, :, :, RESIDENTIAL, r] *= propensity[:, None, None]
    alternatives = np.where(wf.gp_over, OVER_REFERRER_ALTERNATIVES, 1.0)
    for o in ALTERNATIVES:
        lam[:, :, :, o, COMMUNITY] *= alternatives[:, None, None]

    targeted = wf.practice_targeted[wf.gp_practice]
    treated = targeted[:, None] & post[None, :]
    residential = lam[:, :, :, RESIDENTIAL, :].copy()
    lam[:, :, :, RESIDENTIAL, :] = np.where(
        treated[:, :, None, None], residential * max(0.0, 1.0 + programme_effect), residential
    )
    diverted = np.where(treated[:, :, None, None], residential * max(0.0, -programme_effect), 0.0)
    lam[:, :, :, HOME_CARE, :] += diverted / 2
    lam[:, :, :, REABLEMENT, :] += diverted / 2
    return lam


def _gamma_days(rng: np.random.Generator, shape: float, scale: float, size: int) -> np.ndarray:
    return np.round(rng.gamma(shape, scale, size)).astype(np.int64)


def generate_events(
    scale: Scale, geo: Geography, wf: Workforce, rng: np.random.Generator, programme_effect: float
) -> Events:
    """Draw episodes, then lay out each as request -> assessment -> service -> review."""
    windows = _windows(scale)
    lam = _episode_rates(geo, wf, scale, programme_effect)
    counts = rng.poisson(lam).reshape(-1)
    cells = np.repeat(np.arange(counts.size), counts)
    gp, window, age_group, outcome, route = np.unravel_index(cells, lam.shape)
    n = len(cells)

    practice = wf.gp_practice[gp]
    council = geo.practice_council[practice]
    w_start = np.array([a for a, _, _ in windows])[window]
    w_end = np.array([b for _, b, _ in windows])[window]
    anchor = w_start + np.floor(rng.random(n) * (w_end - w_start)).astype(np.int64)

    # Age at the anchor date, and a date of birth consistent with it.
    old = age_group == 0
    band = np.where(
        outcome == RESIDENTIAL,
        rng.choice(len(_AGE_START), n, p=_AGE_RESIDENTIAL),
        rng.choice(len(_AGE_START), n, p=_AGE_OTHER),
    )
    age = np.where(
        old, _AGE_START[band] + rng.integers(0, 5, n), rng.integers(19, 65, n)
    )  # 19+: requests can precede the anchor by months
    birth = anchor - np.floor(age * 365.25).astype(np.int64) - rng.integers(1, 365, n)

    # Timings. Service outcomes are anchored on the service start (so admissions
    # fill the whole period evenly); the others on the request.
    has_service = outcome < ADVICE
    has_assessment = (outcome != ADVICE) & (outcome != REABLEMENT)
    fast = np.where(route == DISCHARGE, 0.4, 1.0)
    to_assess = np.round(_gamma_days(rng, 2.0, 6.0, n) * fast).astype(np.int64) + 1
    assess_len = _gamma_days(rng, 2.0, 5.0, n) + 1
    to_service = np.round(_gamma_days(rng, 1.5, 4.0, n) * fast).astype(np.int64)
    assess_end = np.where(has_service, anchor - to_service, anchor + to_assess + assess_len)
    assess_start = assess_end - assess_len
    request = np.where(
        has_service & has_assessment,
        assess_start - to_assess,
        np.where(outcome == REABLEMENT, anchor - _gamma_days(rng, 1.0, 3.0, n), anchor),
    )
    service_start = anchor

    # Coded columns are small integers into lookup tables (index 0 is null).
    nursing = (outcome == RESIDENTIAL) & (rng.random(n) < NURSING_SHARE)
    service_code = np.where(outcome < ADVICE, outcome + 1, 0)
    service_code[nursing] = SERVICE_TABLE.index("long_term_nursing")
    length = np.maximum(1, np.round(rng.exponential(1.0, n) * _SERVICE_DAYS[outcome])).astype(
        np.int64
    )
    service_end = service_start + length

    # Who referred, and which practice the person is registered with.
    n_gp = len(wf.gp_ids)
    draw = rng.random(n)
    gp_named = ((route == COMMUNITY) & (draw < GP_NAMED_SHARE)) | (
        (route == DISCHARGE) & (draw < GP_ON_DISCHARGE_SHARE)
    )
    consultant_named = (route == DISCHARGE) & ~gp_named & (rng.random(n) < CONSULTANT_NAMED_SHARE)
    per_council = np.bincount(wf.consultant_council, minlength=geo.local_authorities.height)
    first_consultant = np.concatenate([[0], np.cumsum(per_council)[:-1]])
    consultant = first_consultant[council] + np.floor(rng.random(n) * per_council[council]).astype(
        np.int64
    )
    professional = np.zeros(n, dtype=np.int64)
    professional[gp_named] = 1 + gp[gp_named]
    professional[consultant_named] = 1 + n_gp + consultant[consultant_named]
    practice_known = rng.random(n) < PRACTICE_KNOWN_SHARE[route]
    practice_index = np.where(practice_known, practice + 1, 0)

    data_start, data_end = day_number(scale.data_start), day_number(scale.data_end)
    self_funded = has_service & (outcome == RESIDENTIAL) & (rng.random(n) < SELF_FUNDED_SHARE)

    parts: list[dict[str, np.ndarray]] = []

    def add(mask, event_type, start, end, service, outcome_code, order, routed):
        idx = np.flatnonzero(mask)
        parts.append(
            {
                "episode": idx,
                "order": np.full(len(idx), order),
                "event_type": np.full(len(idx), EVENT_TABLE.index(event_type)),
                "start": start[idx],
                "end": end[idx],
                "service": service[idx]
                if isinstance(service, np.ndarray)
                else np.full(len(idx), service),
                "route": route[idx] + 1 if routed else np.zeros(len(idx), dtype=np.int64),
                "outcome": outcome_code[idx],
            }
        )

    request_outcome = np.full(n, OUTCOME_TABLE.index(REQUEST_OUTCOME["default"]))
    request_outcome[outcome == ADVICE] = OUTCOME_TABLE.index(REQUEST_OUTCOME["advice"])
    request_outcome[outcome == REABLEMENT] = OUTCOME_TABLE.index(REQUEST_OUTCOME["reablement"])
    add(np.ones(n, dtype=bool), "request", request, request, 0, request_outcome, 0, True)
    assessment_outcome = np.where(
        outcome == NO_ELIGIBLE,
        OUTCOME_TABLE.index(ASSESSMENT_OUTCOME["no_eligible_needs"]),
        OUTCOME_TABLE.index(ASSESSMENT_OUTCOME["default"]),
    )
    add(has_assessment, "assessment", assess_start, assess_end, 0, assessment_outcome, 1, False)
    service_outcome = np.where(self_funded, OUTCOME_TABLE.index(SELF_FUNDED), 0)
    add(has_service, "service", service_start, service_end, service_code, service_outcome, 2, False)

    # Moves from residential to nursing care: a second service, not a new admission.
    transfer = has_service & (service_code == SERVICE_TABLE.index("long_term_residential"))
    transfer &= (service_end <= data_end) & (rng.random(n) < TRANSFER_SHARE)
    transfer_start = service_end + 1
    transfer_end = transfer_start + np.round(rng.exponential(700.0, n)).astype(np.int64) + 1
    nursing_code = SERVICE_TABLE.index("long_term_nursing")
    add(
        transfer,
        "service",
        transfer_start,
        transfer_end,
        nursing_code,
        np.zeros(n, dtype=np.int64),
        3,
        False,
    )

    long_term = has_service & np.isin(outcome, [RESIDENTIAL, HOME_CARE, 3, 4, 5])
    review_start = service_start + 330 + rng.integers(0, 90, n)
    reviewed = (
        long_term
        & (review_start <= np.minimum(service_end, data_end))
        & (rng.random(n) < REVIEW_SHARE)
    )
    review_end = review_start + rng.integers(0, 15, n)
    review_outcome = np.where(
        rng.random(n) < 0.3,
        OUTCOME_TABLE.index(REVIEW_OUTCOMES[1]),
        OUTCOME_TABLE.index(REVIEW_OUTCOMES[0]),
    )
    add(reviewed, "review", review_start, review_end, 0, review_outcome, 4, False)

    # Keep only events starting inside the extract's period, part by part (less memory).
    kept = [(p, (p["start"] >= data_start) & (p["start"] <= data_end)) for p in parts]
    columns = {k: np.concatenate([p[k][keep] for p, keep in kept]) for k in parts[0]}
    parts.clear()
    del kept
    # Ongoing at the extract date: no end date yet.
    columns["end"] = np.where(columns["end"] > data_end, NO_DATE, columns["end"])
    order = np.lexsort((columns["order"], columns["episode"], columns["start"]))
    columns = {k: v[order] for k, v in columns.items()}
    ep = columns["episode"]

    # Person numbers in order of first appearance, so ids read like a council's.
    unique_eps, first_idx = np.unique(ep, return_index=True)
    rank = np.empty(len(unique_eps), dtype=np.int64)
    rank[np.argsort(first_idx, kind="stable")] = np.arange(len(unique_eps))
    person_of_episode = np.full(n, -1, dtype=np.int64)
    person_of_episode[unique_eps] = rank
    person = person_of_episode[ep]
    if len(unique_eps) >= 10_000_000:
        raise ValueError(
            "more than 9,999,999 synthetic people: person ids would not fit P + 7 digits"
        )

    ids_by_person = person_ids(np.arange(1, len(unique_eps) + 1))
    keys_by_person = person_keys(ids_by_person)
    start = columns["start"]
    la_codes = geo.local_authorities["la_code"].to_list()
    practice_table = [None, *geo.practices["practice_code"].to_list()]
    professional_table = [None, *wf.gp_ids.tolist(), *wf.consultant_ids.tolist()]
    age_at_start = np.floor((start - birth[ep]) / 365.25).astype(np.int64)
    person_index = pl.Series(person)

    frame = pl.DataFrame(
        [
            prefixed("EV", np.arange(1, len(ep) + 1), 8).alias("event_reference"),
            keys_by_person.gather(person_index).alias("person_key"),
            pl.Series("age", age_at_start, dtype=pl.Int64),
            lookup(la_codes, council[ep], "la_code"),
            lookup(list(EVENT_TABLE), columns["event_type"], "event_type"),
            as_dates(start, "start_date"),
            as_dates(columns["end"], "end_date"),
            lookup(list(SERVICE_TABLE), columns["service"], "service_type"),
            lookup([None, *ROUTES], columns["route"], "route_of_access"),
            lookup(practice_table, practice_index[ep], "practice_code"),
            lookup(professional_table, professional[ep], "professional_id"),
            lookup(list(OUTCOME_TABLE), columns["outcome"], "event_outcome"),
        ]
    )
    people = pl.DataFrame(
        [
            ids_by_person.gather(person_index).alias("person_id"),
            as_dates(birth[ep], "date_of_birth"),
        ]
    )
    return Events(frame=frame, people=people, episodes=n)


def financial_year_of(date: dt.date) -> int:
    """Start year of the financial year a date falls in."""
    return date.year if date.month >= 4 else date.year - 1
