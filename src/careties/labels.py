"""One map from careties' codes to the words people read.

Files, the store and the domain speak in codes (``falls_prevention``,
``discharge_from_hospital``, ``rc_shared_goals``) because codes are stable and
easy to validate. People read words. Every place a code meets a reader (page
templates through the ``label`` Jinja filter, chart axes and legends, the human
columns of exports, the command line's report) asks this module, so one code is
always said one way and a new code is said in words even before anyone names it.

Codes are grouped by topic, because a few codes mean different things in
different places: ``gp`` is "GP" as a role but "GPs" as the survey that asks
them. ``label(code, topic)`` looks in the topic first and then in every topic.
A code nobody has named yet (snake_case) is turned into words by rule
(``new_service`` -> "New service"), so no raw code reaches a page; text that is
not a code (a practice's ODS code, a name, a sentence) is returned unchanged.

This module is domain-level: it imports nothing from careties, Django or the
web, so the command line, the domain and the web can all use it.
"""

from __future__ import annotations

import re
from collections.abc import Mapping

import polars as pl

#: Services: CLD service types, the survey's local services and the directory's types.
SERVICE_TYPES: dict[str, str] = {
    "long_term_residential": "Long-term residential care",
    "long_term_nursing": "Long-term nursing care",
    "home_care": "Home care",
    "reablement": "Reablement",
    "telecare": "Telecare",
    "day_services": "Day services",
    "direct_payment": "Direct payment",
    "exercise_classes": "Exercise classes",
    "social_support": "Social support",
    "carers_support": "Carers' support",
    "falls_prevention": "Falls prevention",
    "befriending": "Befriending",
    "information_advice": "Information and advice",
    "transport": "Transport",
    "housing_support": "Housing support",
    "other": "Other",
}

#: Client Level Data route of access (how the person came to social care).
ROUTES_OF_ACCESS: dict[str, str] = {
    "discharge_from_hospital": "Discharge from hospital",
    "community": "Community",
    "other": "Other",
}

#: Kinds of care event (Client Level Data's event types).
EVENT_TYPES: dict[str, str] = {
    "request": "Request for support",
    "assessment": "Assessment",
    "service": "Service",
    "review": "Review",
}

#: Client Level Data client types.
CLIENT_TYPES: dict[str, str] = {
    "service_user": "Service user",
    "carer": "Carer",
    "carer_known_by_association": "Carer known by association",
}

#: Professional roles: the professionals file's roles and the roles survey's roles.
ROLES: dict[str, str] = {
    "gp": "GP",
    "practice_nurse": "Practice nurse",
    "practice_manager": "Practice manager",
    "hospital_consultant": "Hospital consultant",
    "hospital_discharge_team": "Hospital discharge team",
    "social_worker": "Social worker",
    "occupational_therapist": "Occupational therapist",
    "care_navigator": "Care navigator",
    "reablement_worker": "Reablement worker",
    "district_nurse": "District nurse",
    "care_home_manager": "Care home manager",
    "older_people_and_carers": "Older people and carers",
    "other": "Other",
}

#: Agencies, for cross-agency measures and the network's colours.
AGENCIES: dict[str, str] = {
    "health": "Health (GP practices and hospitals)",
    "social_care": "Social care",
    "care_home": "Care homes",
    "people": "Older people and carers",
    "other": "Other",
}

#: Survey instruments: who each survey asks.
INSTRUMENTS: dict[str, str] = {
    "gp": "GPs",
    "social_worker": "Social care staff",
    "older_person": "Older residents",
    "roles": "Everyone who supports older people (every role rates every role)",
}

#: Gittell's seven dimensions of relational coordination, and their index.
RC_DIMENSIONS: dict[str, str] = {
    "rc_frequent": "Frequent communication",
    "rc_timely": "Timely communication",
    "rc_accurate": "Accurate communication",
    "rc_problem_solving": "Problem-solving communication",
    "rc_shared_goals": "Shared goals",
    "rc_shared_knowledge": "Shared knowledge",
    "rc_mutual_respect": "Mutual respect",
    "rc_index": "Relational coordination index",
}

#: Kinds of tie between professionals: contact channels, purposes and named ties.
TIE_KINDS: dict[str, str] = {
    "contact": "Contact",
    "meeting": "Meeting",
    "phone": "Phone call",
    "email": "Email",
    "joint_visit": "Joint visit",
    "multidisciplinary_meeting": "Multidisciplinary meeting",
    "training": "Training",
    "case_discussion": "Case discussion",
    "referral": "Referral",
    "sign_posting": "Sign-posting",
    "survey_named": "Named in a survey",
    "contact_visit": "Regular contact visit",
    "training_session": "Training session",
    "joint_working": "Joint working session",
    "other": "Other",
}

#: The state of a tie between a practice and a team.
TIE_STATUSES: dict[str, str] = {
    "strong": "Strong",
    "weak": "Weak",
    "missing": "Missing",
}

#: Relational coordination bands (Gittell: weak below 3.5, strong above 4.0).
RC_BANDS: dict[str, str] = {
    "weak": "Weak",
    "moderate": "Moderate",
    "strong": "Strong",
}

#: Whether two roles rating each other belong to one agency.
AGENCY_RELATIONS: dict[str, str] = {
    "within": "Within one agency",
    "across": "Across agencies",
}

#: How a tie changed between two dates.
TIE_CHANGES: dict[str, str] = {
    "gained": "Gained",
    "lost": "Lost",
    "kept": "Kept",
}

#: Outcomes shown beside admissions in a practice's outcome mix.
OUTCOMES: dict[str, str] = {
    "residential_admissions": "Care home admissions",
    "home_care": "Home care",
    "reablement": "Reablement",
    "telecare": "Telecare",
    "day_services": "Day services",
}

#: Where a practice sits on a funnel plot.
FUNNEL_POSITIONS: dict[str, str] = {
    "above_998": "High: above 99.8% limit",
    "above_95": "High: above 95% limit",
    "within": "Within limits",
    "below_95": "Low: below 95% limit",
    "below_998": "Low: below 99.8% limit",
}

#: Better Care Fund headline metrics (careties.bcf.metrics.HEADLINE has the definitions).
BCF_METRICS: dict[str, str] = {
    "emergency_admissions_65": "Emergency admissions, aged 65+",
    "discharge_delay": "Average discharge delay",
    "residential_admissions_65": "Admissions to residential and nursing care, aged 65+",
}

#: The targeting score's components.
TARGETING_COMPONENTS: dict[str, str] = {
    "referral_potential": "Referral potential",
    "network_influence": "Network influence",
    "relationship_weakness": "Relationship weakness",
    "core20": "Core20 practice",
}

#: Relationship health's components, and the two directions relational coordination is asked.
RELATIONSHIP_MEASURES: dict[str, str] = {
    "network_ties": "Ties with social care",
    "relational_coordination": "Relational coordination",
    "knowledge_of_services": "Knowledge of services",
    "gp_to_social_care": "GPs about social care",
    "social_care_to_gp": "Social care about GPs",
}

#: Kinds of data file careties imports (``careties import KIND``).
DATA_KINDS: dict[str, str] = {
    "local_authorities": "Councils",
    "practices": "GP practices",
    "registered_patients": "Patients registered at each practice",
    "population": "Population",
    "professionals": "Professionals",
    "events": "Care events",
    "contacts": "Contacts between professionals",
    "survey_responses": "Survey answers",
    "services": "Local services",
    "emergency_admissions": "Emergency admissions",
    "discharges": "Hospital discharges",
    "practice_deprivation": "Practice deprivation scores",
    "published_ascof": "Published ASCOF figures",
    "peer_groups": "Peer groups",
}

#: Every topic by name: ``label(code, "service_type")``.
TOPICS: dict[str, Mapping[str, str]] = {
    "service_type": SERVICE_TYPES,
    "route_of_access": ROUTES_OF_ACCESS,
    "event_type": EVENT_TYPES,
    "client_type": CLIENT_TYPES,
    "role": ROLES,
    "agency": AGENCIES,
    "instrument": INSTRUMENTS,
    "rc_dimension": RC_DIMENSIONS,
    "tie_kind": TIE_KINDS,
    "tie_status": TIE_STATUSES,
    "tie_change": TIE_CHANGES,
    "rc_band": RC_BANDS,
    "outcome": OUTCOMES,
    "funnel_position": FUNNEL_POSITIONS,
    "agency_relation": AGENCY_RELATIONS,
    "bcf_metric": BCF_METRICS,
    "targeting_component": TARGETING_COMPONENTS,
    "relationship_measure": RELATIONSHIP_MEASURES,
    "data_kind": DATA_KINDS,
}

#: Every code in one map; where topics disagree, the earlier topic in ``TOPICS`` wins
#: (a role before an instrument: ``gp`` is "GP").
LABELS: dict[str, str] = {}
for _words in reversed(list(TOPICS.values())):
    LABELS.update(_words)

#: What a code looks like: lower case words joined by underscores.
CODE = re.compile(r"^[a-z][a-z0-9]*(?:_[a-z0-9]+)+$")


def _words_for(code: str) -> str:
    words = code.replace("_", " ").strip()
    return words[:1].upper() + words[1:]


def label(code: object, topic: str | None = None) -> str:
    """The words for ``code``: its topic's, else any topic's, else by rule, else unchanged.

    ``None`` is "" (a blank cell stays blank). A snake_case code no map names
    is turned into words ("new_service" -> "New service") so that a code added
    to a file before this map is never shown raw; anything that is not a code
    (an ODS code, a name, a sentence) is returned as it is.
    """
    if code is None:
        return ""
    text = str(code)
    if topic is not None:
        if topic not in TOPICS:
            raise KeyError(f"no such topic of labels: {topic}")
        if text in TOPICS[topic]:
            return TOPICS[topic][text]
    if text in LABELS:
        return LABELS[text]
    if CODE.match(text):
        return _words_for(text)
    return text


def labels(codes: list | tuple | pl.Series, topic: str | None = None) -> list[str]:
    """``label`` of each code, in order: chart categories and legends."""
    return [label(code, topic) for code in codes]


def label_expr(column: str | pl.Expr, topic: str | None = None) -> pl.Expr:
    """A Polars expression giving the words for a column of codes (nulls stay null).

    Codes no map names are turned into words by the same rule as ``label``.
    """
    expr = pl.col(column) if isinstance(column, str) else column
    mapping = dict(LABELS)
    if topic is not None:
        mapping.update(TOPICS[topic])
    words = expr.str.replace_all("_", " ")
    by_rule = words.str.slice(0, 1).str.to_uppercase() + words.str.slice(1)
    unnamed = pl.when(expr.str.contains(CODE.pattern)).then(by_rule).otherwise(expr)
    return expr.replace_strict(mapping, default=unnamed, return_dtype=pl.String)
