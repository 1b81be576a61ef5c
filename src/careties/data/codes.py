"""Code lists shared by every contract: the allowed values of coded columns.

One module holds them so that the importer, the synthetic generator, the
database models and the domain functions all agree on the same spelling.
"""

from __future__ import annotations

import re

#: ONS codes for councils with adult social care (upper tier) and districts.
#: REFERENCE.md: E06 unitary, E07 district, E08 metropolitan, E09 London, E10 county.
LA_CODE_PATTERN = re.compile(r"^E(06|07|08|09|10)\d{6}$")
ENGLAND_CODE = "E92000001"

#: English GP practice ODS code: one letter and five digits (REFERENCE.md).
PRACTICE_CODE_PATTERN = re.compile(r"^[A-Z]\d{5}$")

#: Social care team codes are the council's own; we only require a tidy token.
TEAM_CODE_PATTERN = re.compile(r"^[A-Z0-9][A-Z0-9_-]{1,31}$")

ROLES = (
    "gp",
    "social_worker",
    "occupational_therapist",
    "care_navigator",
    "hospital_consultant",
    "other",
)

#: Which agency each role belongs to, for cross-agency (E-I) measures.
ROLE_AGENCY = {
    "gp": "health",
    "hospital_consultant": "health",
    "social_worker": "social_care",
    "occupational_therapist": "social_care",
    "care_navigator": "social_care",
    "other": "other",
}

EVENT_TYPES = ("request", "assessment", "service", "review")

#: Service types that count as a permanent admission for ASCOF 2C / 2A(2).
RESIDENTIAL_SERVICE_TYPES = ("long_term_residential", "long_term_nursing")

#: Every other service, in the order careties lists them.
NON_RESIDENTIAL_SERVICE_TYPES = (
    "home_care",
    "reablement",
    "telecare",
    "day_services",
    "direct_payment",
    "other",
)

SERVICE_TYPES = (*RESIDENTIAL_SERVICE_TYPES, *NON_RESIDENTIAL_SERVICE_TYPES)

#: Community alternatives shown beside admissions in each practice's outcome mix.
ALTERNATIVE_SERVICE_TYPES = ("home_care", "reablement", "telecare", "day_services")

ROUTES_OF_ACCESS = ("discharge_from_hospital", "community", "other")

#: Client Level Data ``Client_Type`` (release 1 and 2 wordings map to these).
CLIENT_TYPES = ("service_user", "carer", "carer_known_by_association")

CONTACT_CHANNELS = (
    "meeting",
    "phone",
    "email",
    "joint_visit",
    "multidisciplinary_meeting",
    "training",
)

CONTACT_PURPOSES = ("case_discussion", "referral", "sign_posting", "training", "other")

SEXES = ("ALL", "FEMALE", "MALE")

#: Five-year age bands as NHS Digital publishes them.
AGE_BANDS = tuple(f"{lo}_{lo + 4}" for lo in range(0, 95, 5)) + ("95+",)
AGE_BANDS_65_PLUS = tuple(b for b in AGE_BANDS if b == "95+" or int(b.split("_")[0]) >= 65)

SURVEY_INSTRUMENTS = ("gp", "social_worker", "older_person", "roles")

#: Local service types every survey asks about (knowledge and quality), in order.
SURVEY_SERVICE_TYPES = (
    "telecare",
    "exercise_classes",
    "social_support",
    "reablement",
    "day_services",
    "home_care",
    "carers_support",
    "falls_prevention",
)

#: Gittell's seven dimensions of relational coordination, as survey question ids.
RC_DIMENSIONS = (
    "rc_frequent",
    "rc_timely",
    "rc_accurate",
    "rc_problem_solving",
    "rc_shared_goals",
    "rc_shared_knowledge",
    "rc_mutual_respect",
)

#: Roles that answer the roles survey (every role rates every role), in the order its map shows them.
SURVEY_RESPONDENT_ROLES = (
    "gp",
    "practice_nurse",
    "practice_manager",
    "hospital_consultant",
    "hospital_discharge_team",
    "social_worker",
    "occupational_therapist",
    "reablement_worker",
    "district_nurse",
    "care_home_manager",
)
#: Roles the roles survey rates: every respondent role, and older people and their carers.
SURVEY_RATED_ROLES = (*SURVEY_RESPONDENT_ROLES, "older_people_and_carers")
