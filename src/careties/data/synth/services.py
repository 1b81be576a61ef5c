"""The local services directory (Open Referral UK style), about 40 per council.

Service types are the ones the GP survey asks about, so that "knows fewer
services" can be compared with what the directory actually offers.
"""

from __future__ import annotations

import numpy as np
import polars as pl

from careties.data.synth.geography import Geography
from careties.data.synth.survey_parameters import KNOWLEDGE_SERVICES
from careties.data.synth.workforce import TEAM_AREAS

_NAMES = {
    "telecare": (
        "Careline Alarms",
        "Telecare Response",
        "Safe at Home Sensors",
        "Lifeline Service",
    ),
    "exercise_classes": (
        "Strength and Balance Classes",
        "Chair Based Exercise",
        "Walking for Health",
        "Active Ageing",
    ),
    "social_support": (
        "Lunch Club",
        "Befriending Service",
        "Community Connectors",
        "Good Neighbours",
    ),
    "reablement": ("Reablement Team", "Home from Hospital", "Short-Term Enablement"),
    "day_services": ("Day Centre", "Dementia Day Opportunities", "Community Day Service"),
    "home_care": ("Home Care Agency", "Domiciliary Care Partnership", "Care at Home"),
    "carers_support": ("Carers Centre", "Carers Break Service", "Young at Heart Carers"),
    "falls_prevention": ("Falls Prevention Service", "Falls Response Team", "Steady Steps"),
}
_COST = ("Free", "Free", "Means-tested", "£5 per session", "£3.50 per week", "Charged by the hour")
_ELIGIBILITY = (
    "Adults aged 65 and over",
    "Adults with eligible needs under the Care Act",
    "Anyone living in the area",
    "Carers of adults",
    "Referral from GP or social worker",
)
STATUS = ("active", "inactive", "temporarily closed", "defunct")
STATUS_SHARE = (0.90, 0.05, 0.03, 0.02)


def generate_services(
    geo: Geography, per_council: int, teams_per_council: int, rng: np.random.Generator
) -> pl.DataFrame:
    """``per_council`` services for each council, every service type represented."""
    rows: dict[str, list] = {
        k: []
        for k in (
            "service_id",
            "name",
            "service_type",
            "description",
            "eligibility",
            "cost",
            "contact",
            "area",
            "la_code",
            "quality_rating",
            "status",
        )
    }
    areas = [a.title() for a in TEAM_AREAS[:teams_per_council]] + ["Council-wide"]
    for la_code, council in zip(
        geo.local_authorities["la_code"], geo.local_authorities["name"], strict=True
    ):
        types = [KNOWLEDGE_SERVICES[i % len(KNOWLEDGE_SERVICES)] for i in range(per_council)]
        slug = council.lower().replace(" ", "")
        for i, service_type in enumerate(types, start=1):
            names = _NAMES[service_type]
            area = areas[int(rng.integers(len(areas)))]
            base = names[int(rng.integers(len(names)))]
            rows["service_id"].append(f"{la_code}-SVC-{i:03d}")
            rows["name"].append(
                f"{council} {base}" if area == "Council-wide" else f"{area} {council} {base}"
            )
            rows["service_type"].append(service_type)
            rows["description"].append(
                f"{base} for older people in {council} ({service_type.replace('_', ' ')})."
            )
            rows["eligibility"].append(_ELIGIBILITY[int(rng.integers(len(_ELIGIBILITY)))])
            rows["cost"].append(_COST[int(rng.integers(len(_COST)))])
            rows["contact"].append(
                f"01632 {int(rng.integers(100000, 999999))} / services@{slug}.example.org"
            )
            rows["area"].append(area)
            rows["la_code"].append(la_code)
            rated = rng.random() < 0.85
            rows["quality_rating"].append(
                int(rng.choice(5, p=[0.05, 0.15, 0.35, 0.35, 0.10])) + 1 if rated else None
            )
            rows["status"].append(STATUS[int(rng.choice(len(STATUS), p=STATUS_SHARE))])
    schema = {k: pl.String for k in rows} | {"quality_rating": pl.Int64}
    return pl.DataFrame(rows, schema=schema)
