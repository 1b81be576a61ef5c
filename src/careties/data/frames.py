"""Canonical frame shapes: what every validated input looks like inside careties.

Whatever layout a user's file comes in (our own CSV, NHS Digital's published
files, Client Level Data), the importer turns it into exactly these columns and
Polars types. The store keeps them, the selectors return them, and the domain
packages (stats, referrals, relations, planning) take them. Keeping one shape
per kind is what lets an analyst use the domain functions on their own frames.

Natural keys (``NATURAL_KEYS``) decide what "the same row" means, so that
importing a file twice changes nothing and a corrected file replaces the rows
it corrected instead of duplicating them.
"""

from __future__ import annotations

import polars as pl

CANONICAL: dict[str, dict[str, pl.DataType]] = {
    "local_authorities": {
        "la_code": pl.String,  # ONS code, E06/E07/E08/E09/E10 + 6 digits
        "name": pl.String,
        "region": pl.String,
    },
    "practices": {
        "practice_code": pl.String,  # ODS code, letter + 5 digits
        "name": pl.String,
        "postcode": pl.String,
        "la_code": pl.String,
        "status": pl.String,  # A active, C closed, D dormant, P proposed
    },
    "registered_patients": {
        "practice_code": pl.String,
        "extract_date": pl.Date,
        "sex": pl.String,  # ALL / FEMALE / MALE
        "age_band": pl.String,  # "0_4" ... "90_94", "95+"
        "patients": pl.Int64,
    },
    "population": {
        "la_code": pl.String,
        "year": pl.Int64,  # mid-year estimate year
        "population_65_plus": pl.Int64,
        "population_18_64": pl.Int64,  # ASCOF 2B's denominator; null when not given
    },
    "professionals": {
        "professional_id": pl.String,  # pseudonymous, never a name or GMC number
        "role": pl.String,  # codes.ROLES
        "organisation": pl.String,  # practice ODS code or social care team code
        "la_code": pl.String,
        # The name the council knows them by ("Dr A Shah"), shown to the council's own
        # roles beside the id; null when not given. Professionals only, never patients.
        "display_name": pl.String,
    },
    "events": {
        "event_reference": pl.String,  # council's own event id; part of the key
        "person_key": pl.String,  # keyed HMAC of the person id; raw id never stored
        "age": pl.Int64,  # age at event start in whole years; null if no date of birth
        "la_code": pl.String,
        "event_type": pl.String,  # codes.EVENT_TYPES
        "start_date": pl.Date,
        "end_date": pl.Date,  # null while ongoing
        "service_type": pl.String,  # codes.SERVICE_TYPES, null unless event_type == service
        "route_of_access": pl.String,  # codes.ROUTES_OF_ACCESS, null when unknown
        "practice_code": pl.String,  # referring / registered practice, null when unknown
        "professional_id": pl.String,  # referring professional, null when unknown
        "event_outcome": pl.String,  # CLD outcome, release 2 wording (release 1 mapped), else as given
        # Client Level Data person fields (null in careties' own layout but client_type):
        "client_type": pl.String,  # codes.CLIENT_TYPES, else as given (flagged)
        "date_of_death": pl.Date,
        "gender": pl.String,  # as given
        "ethnicity": pl.String,  # as given
        "primary_support_reason": pl.String,  # as given
        "accommodation_status": pl.String,  # as given
        "client_funding_status": pl.String,  # as given
    },
    "contacts": {
        "contact_reference": pl.String,  # given or derived from the row's content
        "contact_date": pl.Date,
        "from_professional": pl.String,
        "to_professional": pl.String,
        "channel": pl.String,  # codes.CONTACT_CHANNELS
        "purpose": pl.String,  # codes.CONTACT_PURPOSES
        "minutes": pl.Int64,
    },
    "survey_responses": {
        # long format: one row per answer
        "response_id": pl.String,  # pseudonymous respondent-submission id
        "wave": pl.String,  # e.g. "2025-W1"
        "instrument": pl.String,  # codes.SURVEY_INSTRUMENTS
        "la_code": pl.String,
        "organisation": pl.String,  # practice code / team code; null for older people
        "respondent_id": pl.String,  # pseudonymous professional id where known, else null
        "question_id": pl.String,
        "answer": pl.String,  # coded answer as text; numeric scales as "1".."5"
    },
    "services": {
        "service_id": pl.String,
        "name": pl.String,
        "service_type": pl.String,  # telecare, exercise_classes, social_support, ...
        "description": pl.String,
        "eligibility": pl.String,
        "cost": pl.String,
        "contact": pl.String,
        "area": pl.String,
        "la_code": pl.String,
        "quality_rating": pl.Int64,  # 1..5, null when unrated
        "status": pl.String,  # ORUK: active, inactive, defunct, temporarily closed
    },
    # Better Care Fund inputs (docs/bcf.md)
    "emergency_admissions": {
        "la_code": pl.String,  # council of residence
        "month": pl.Date,  # first day of the month
        "practice_code": pl.String,  # practice of registration; "ALL" = the council's total
        "admissions_65_plus": pl.Int64,
    },
    "discharges": {
        "la_code": pl.String,  # council of residence
        "month": pl.Date,
        "discharges": pl.Int64,  # adult acute discharges
        "discharged_on_ready_date": pl.Int64,
        "mean_delay_days_others": pl.Float64,  # mean days after the ready date, the others
    },
    "practice_deprivation": {
        "practice_code": pl.String,
        "year": pl.String,  # the score's period as published, e.g. "2019"
        "deprivation_score": pl.Float64,  # OHID practice IMD score; higher = more deprived
    },
}

NATURAL_KEYS: dict[str, tuple[str, ...]] = {
    "local_authorities": ("la_code",),
    "practices": ("practice_code",),
    "registered_patients": ("practice_code", "extract_date", "sex", "age_band"),
    "population": ("la_code", "year"),
    "professionals": ("professional_id",),
    "events": ("la_code", "event_reference"),
    "contacts": ("contact_reference",),
    "survey_responses": ("response_id", "question_id"),
    "services": ("service_id",),
    "emergency_admissions": ("la_code", "month", "practice_code"),
    "discharges": ("la_code", "month"),
    "practice_deprivation": ("practice_code",),
}

KINDS: tuple[str, ...] = tuple(CANONICAL)


def empty_frame(kind: str) -> pl.DataFrame:
    """An empty frame of the canonical shape, for a kind with no data loaded yet."""
    return pl.DataFrame(schema=CANONICAL[kind])


#: Canonical columns a frame may leave out (null when absent): added after their kind
#: was first stored, so frames and backups made before them still import.
OPTIONAL_COLUMNS: dict[str, tuple[str, ...]] = {"professionals": ("display_name",)}
