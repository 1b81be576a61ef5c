"""The human spellings of coded values that careties accepts, and their codes.

Analysts type "Social worker" or "Long-term residential"; the codes lists in
``codes.py`` say ``social_worker`` and ``long_term_residential``. Values are
compared after ``token()``: lower case, every run of other characters turned
into one underscore. Each table maps such tokens to a code.
"""

from __future__ import annotations

import polars as pl

from careties.data import codes


def token_expr(expr: pl.Expr) -> pl.Expr:
    """Vectorised ``token``: ``" Long-term Residential "`` -> ``"long_term_residential"``."""
    return expr.str.to_lowercase().str.replace_all(r"[^a-z0-9+]+", "_").str.strip_chars("_")


def _identity(values: tuple[str, ...]) -> dict[str, str]:
    return {v: v for v in values}


ROLES = _identity(codes.ROLES) | {
    "general_practitioner": "gp",
    "gp_partner": "gp",
    "salaried_gp": "gp",
    "sw": "social_worker",
    "social_workers": "social_worker",
    "ot": "occupational_therapist",
    "occupational_therapists": "occupational_therapist",
    "care_navigators": "care_navigator",
    "consultant": "hospital_consultant",
    "hospital_doctor": "hospital_consultant",
}

EVENT_TYPES = _identity(codes.EVENT_TYPES) | {
    "request_for_support": "request",
    "requests": "request",
    "referral": "request",
    "assessments": "assessment",
    "services": "service",
    "reviews": "review",
}

SERVICE_TYPES = _identity(codes.SERVICE_TYPES) | {
    "residential": "long_term_residential",
    "residential_care": "long_term_residential",
    "long_term_residential_care": "long_term_residential",
    "nursing": "long_term_nursing",
    "nursing_care": "long_term_nursing",
    "long_term_nursing_care": "long_term_nursing",
    "homecare": "home_care",
    "home_support": "home_care",
    "domiciliary_care": "home_care",
    "reablement_or_short_term": "reablement",
    "short_term": "reablement",
    "st_max": "reablement",
    "day_service": "day_services",
    "day_care": "day_services",
    "day_support": "day_services",
    "direct_payments": "direct_payment",
}

#: Client Level Data ``Service_Type`` (release 1 or 2 spelling; same token).
#: ``None`` means: decided by ``Service_Component`` (community support).
CLD_SERVICE_TYPES: dict[str, str | None] = {
    "long_term_support_nursing_care": "long_term_nursing",
    "long_term_support_residential_care": "long_term_residential",
    "long_term_support_community": None,
    "long_term_support_prison": "other",
    "short_term_support_st_max": "reablement",
    "short_term_support_ongoing_low_level": "other",
    "short_term_support_other_short_term": "other",
    "carer_support_direct_to_carer": "other",
    "carer_support_support_involving_the_person_cared_for": "other",
    # Release 2's wording for the same two.
    "unpaid_carer_support_direct_to_unpaid_carer": "other",
    "unpaid_carer_support_support_involving_the_person_cared_for": "other",
}

#: Keywords in a community ``Service_Component`` token, first match wins.
CLD_COMMUNITY_COMPONENTS: tuple[tuple[str, str], ...] = (
    ("direct_payment", "direct_payment"),
    ("telecare", "telecare"),
    ("home", "home_care"),
    ("domiciliary", "home_care"),
    ("day", "day_services"),
)

ROUTES_OF_ACCESS = _identity(codes.ROUTES_OF_ACCESS) | {
    "discharge_from_hospital": "discharge_from_hospital",
    "hospital_discharge": "discharge_from_hospital",
    "community_other_route": "community",
    "community_other": "community",
    "planned_entry_transition": "other",
    "diversion_from_hospital_services": "other",
    "prison": "other",
    "self_funder": "other",
    "discharge_from_reablement": "other",
    "transfer_from_other_la": "other",
}

CONTACT_CHANNELS = _identity(codes.CONTACT_CHANNELS) | {
    "telephone": "phone",
    "phone_call": "phone",
    "call": "phone",
    "e_mail": "email",
    "face_to_face": "meeting",
    "face_to_face_meeting": "meeting",
    "joint_home_visit": "joint_visit",
    "mdt": "multidisciplinary_meeting",
    "mdt_meeting": "multidisciplinary_meeting",
    "multi_disciplinary_meeting": "multidisciplinary_meeting",
    "multidisciplinary_team_meeting": "multidisciplinary_meeting",
}

CONTACT_PURPOSES = _identity(codes.CONTACT_PURPOSES) | {
    "signposting": "sign_posting",
    "case": "case_discussion",
    "discussion": "case_discussion",
}

SURVEY_INSTRUMENTS = _identity(codes.SURVEY_INSTRUMENTS) | {
    "general_practitioner": "gp",
    "social_workers": "social_worker",
    "older_people": "older_person",
    "older_persons": "older_person",
}

PRACTICE_STATUSES = {
    "a": "A",
    "active": "A",
    "c": "C",
    "closed": "C",
    "d": "D",
    "dormant": "D",
    "p": "P",
    "proposed": "P",
}

#: Open Referral UK service statuses.
SERVICE_STATUSES = {
    "active": "active",
    "inactive": "inactive",
    "defunct": "defunct",
    "temporarily_closed": "temporarily closed",
}

SEXES = {
    "all": "ALL",
    "persons": "ALL",
    "female": "FEMALE",
    "f": "FEMALE",
    "male": "MALE",
    "m": "MALE",
}

AGE_BANDS = _identity(codes.AGE_BANDS)
