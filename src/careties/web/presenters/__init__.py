"""Presenters: frames in, sections (a disclosed table and its chart) out.

Importing this package registers every section (``base.REGISTRY``); ``PAGES``
says which sections make up each page, in order.
"""

from careties.web.presenters import (
    benchmarks,
    linkage,
    planning,
    quality,
    referrals,
    regional,
    relationships,
    roles,
    savings,
    surveys,
)
from careties.web.presenters.base import REGISTRY, Context, Section, build

PAGES: dict[str, tuple[str, ...]] = {
    "overview": (
        "ascof",
        "benchmarks",
        "spc",
        "funnel",
        "savings",
        "targeting_head",
        "survey_headlines",
        "data_quality",
    ),
    "practice": (
        "practice_rates",
        "practice_funnel",
        "practice_health",
        "practice_ties",
        "practice_knowledge",
        "practice_signposting",
    ),
    "relationships": (
        "team_ties",
        "rc_directions",
        "network",
        "health_trends",
        "weakened",
        "rc_roles",
        "rc_role_pair",
        "rc_roles_change",
        "network_change",
        "linkage",
    ),
    "surveys": ("survey_indicators", "wave_change"),
    "targeting": ("targeting", "savings"),
    "regional": ("regional_ascof", "regional_surveys", "regional_linkage"),
}

__all__ = [
    "PAGES",
    "REGISTRY",
    "Context",
    "Section",
    "benchmarks",
    "build",
    "linkage",
    "planning",
    "quality",
    "referrals",
    "regional",
    "relationships",
    "roles",
    "savings",
    "surveys",
]
