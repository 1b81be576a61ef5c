"""The demo council's BCF plan: goals for every quarter and three relationship metrics.

A real council types these in; the demo writes a plausible plan so the BCF
page shows every metric against a goal: each headline goal is the same
quarter a year earlier improved by 3% (the first year's goals are its own
actuals, a "hold the line" plan), and each relationship goal a 10% rise on
the quarter before.
"""

from __future__ import annotations

from . import services
from .models import Goal, RelationshipGoal, RelationshipMetric

DEMO_RELATIONSHIP_METRICS = (
    (
        "GPs contact social care early, before a crisis",
        "GPs and social workers",
        "practice",
        "gp_social_care_tie_share",
    ),
    (
        "GPs and social workers talk often enough to know each other",
        "GPs and social care staff",
        "individual",
        "gp_social_care_contacts_per_gp",
    ),
    (
        "GPs sign-post older people to local services",
        "GPs and care navigators",
        "practice",
        "signposts_per_gp",
    ),
)


def seed_demo_plan(la_code: str) -> int:
    """Write the demo plan for ``la_code`` (replacing any earlier one); returns goals written."""
    RelationshipMetric.objects.filter(la_code=la_code).delete()
    Goal.objects.filter(la_code=la_code).delete()
    for behaviour, roles, level, measure in DEMO_RELATIONSHIP_METRICS:
        RelationshipMetric.objects.create(
            la_code=la_code, behaviour=behaviour, roles=roles, level=level, measure=measure
        )
    quarters, lines = services.build_lines(la_code)
    written = 0
    for line in lines:
        actual = {q: cell[0] for q, cell in line.cells.items() if cell[0] is not None}
        for quarter in quarters:
            if quarter not in actual:
                continue
            goal = _goal(line, quarter, actual)
            if line.local:
                plan = RelationshipMetric.objects.get(pk=int(line.key[4:]))
                RelationshipGoal.objects.create(metric=plan, quarter=quarter, goal=goal)
            else:
                Goal.objects.create(la_code=la_code, metric=line.key, quarter=quarter, goal=goal)
            written += 1
    return written


def _goal(line: services.Line, quarter: str, actual: dict[str, float]) -> float:
    if line.local:
        earlier = sorted(q for q in actual if q < quarter)
        base = actual[earlier[-1]] if earlier else actual[quarter]
        return round(base * 1.10, 2)
    year_before = f"{int(quarter[:4]) - 1}-{int(quarter[5:7]) - 1:02d}{quarter[7:]}"
    base = actual.get(year_before, actual[quarter])
    return round(base * (0.97 if year_before in actual else 1.0), line.decimals)
