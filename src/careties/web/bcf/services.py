"""The BCF page's and return's figures: actuals from the store, goals from the plan, the rule.

One function builds every line (three headline metrics, then the relationship
metrics as local metrics) with actual, goal and on track per quarter, so the
page and both exports show the same numbers.
"""

from __future__ import annotations

import warnings
from dataclasses import dataclass, field

import polars as pl
from django.contrib.auth.models import User
from django.db import transaction

from careties.bcf import groups, inequalities, metrics, relationships
from careties.referrals.rates import patients_65_plus
from careties.stats import StatsInputError, spc
from careties.web import selectors
from careties.web.scale.versions import bump
from careties.web.store.services import record_audit
from careties.web.surveys.models import Wave

from .models import (
    Commentary,
    Goal,
    RelationshipGoal,
    RelationshipMetric,
    TargetingSetting,
)

KINDS = (
    "emergency_admissions",
    "discharges",
    "events",
    "population",
    "contacts",
    "professionals",
    "survey_responses",
)


@dataclass
class Line:
    key: str  # headline metric key, or "rel-<id>"
    name: str
    unit: str
    improvement: str
    decimals: int
    local: bool = False
    detail: str = ""
    #: quarter -> (actual, goal, on_track)
    cells: dict[str, tuple[float | None, float | None, bool | None]] = field(default_factory=dict)
    spc: pl.DataFrame | None = None


def wave_quarters(la_code: str) -> dict[str, str]:
    """Survey wave -> the quarter it closed, from the survey area's waves."""
    return {
        w.name: metrics.quarter_label(w.closes_on) for w in Wave.objects.filter(la_code=la_code)
    }


def _spc(values: list[float], quarters: list[str], improvement: str, goal: float | None):
    if len(values) < 3:
        return None
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        return spc(values, dates=quarters, improvement=improvement, target=goal)


def build_lines(
    la_code: str, frames: dict[str, pl.DataFrame] | None = None
) -> tuple[list[str], list[Line]]:
    """Every quarter with data, and one line per metric (headline first, then local)."""
    frames = frames if frames is not None else selectors.load_frames(KINDS, la_code)
    actuals = metrics.headline_actuals(frames, la_code)
    goals = {(g.metric, g.quarter): g.goal for g in Goal.objects.filter(la_code=la_code)}
    lines: list[Line] = []
    quarters = set(actuals["quarter"].to_list())
    for metric in metrics.HEADLINE:
        rows = actuals.filter(pl.col("metric") == metric.key).sort("quarter")
        line = Line(metric.key, metric.name, metric.unit, metric.improvement, metric.decimals)
        for quarter, value in rows.select("quarter", "value").iter_rows():
            goal = goals.get((metric.key, quarter))
            line.cells[quarter] = (value, goal, metrics.on_track(value, goal, metric.improvement))
        for (key, quarter), goal in goals.items():
            if key == metric.key and quarter not in line.cells:
                line.cells[quarter] = (None, goal, None)  # planned ahead of its data
                quarters.add(quarter)
        values = [v for v in rows["value"].to_list() if v is not None]
        if len(values) == rows.height:
            latest_goal = next(
                (
                    goals.get((metric.key, q))
                    for q in reversed(rows["quarter"].to_list())
                    if goals.get((metric.key, q)) is not None
                ),
                None,
            )
            line.spc = _spc(values, rows["quarter"].to_list(), metric.improvement, latest_goal)
        lines.append(line)
    waves = wave_quarters(la_code)
    for plan in RelationshipMetric.objects.filter(la_code=la_code).prefetch_related("goals"):
        measure = relationships.MEASURES[plan.measure]
        values = relationships.relationship_actuals(plan.measure, frames, la_code, waves)
        plan_goals = {g.quarter: g.goal for g in plan.goals.all()}
        line = Line(
            f"rel-{plan.pk}",
            measure.label,
            measure.unit,
            measure.improvement,
            2,
            local=True,
            detail=f"{plan.behaviour} · between {plan.roles} · level: {relationships.LEVELS.get(plan.level, plan.level)}",
        )
        for quarter, value in values.iter_rows():
            goal = plan_goals.get(quarter)
            line.cells[quarter] = (value, goal, metrics.on_track(value, goal, measure.improvement))
            quarters.add(quarter)
        for quarter, goal in plan_goals.items():
            line.cells.setdefault(quarter, (None, goal, None))
            quarters.add(quarter)
        measured = values.drop_nulls("value").sort("quarter")
        if measured.height:
            latest_goal = plan_goals.get(measured["quarter"][-1])
            line.spc = _spc(
                measured["value"].to_list(),
                measured["quarter"].to_list(),
                measure.improvement,
                latest_goal,
            )
        lines.append(line)
    return sorted(quarters), lines


def commentary(la_code: str, quarter: str) -> dict[str, str]:
    return {c.line: c.text for c in Commentary.objects.filter(la_code=la_code, quarter=quarter)}


def return_rows(la_code: str, quarter: str, lines: list[Line]) -> list[list]:
    """The quarterly return's metrics tab: metric, goal, actual, on track, commentary."""
    notes = commentary(la_code, quarter)
    rows = []
    for line in lines:
        actual, goal, ok = line.cells.get(quarter, (None, None, None))
        rows.append(
            [
                "Local metric" if line.local else "Headline metric",
                line.name,
                line.unit,
                None if goal is None else round(goal, line.decimals),
                None if actual is None else round(actual, line.decimals),
                "" if ok is None else ("On track" if ok else "Not on track"),
                notes.get(line.key, ""),
            ]
        )
    return rows


RETURN_HEADER = ["Type", "Metric", "Unit", "Goal", "Actual", "On track", "Commentary"]


def who_is_admitted(la_code: str) -> dict:
    """The page's inequality tables: care home admissions by group, emergency admissions by deprivation."""
    frames = selectors.load_frames(
        [
            "events",
            "registered_patients",
            "practices",
            "emergency_admissions",
            "practice_deprivation",
        ],
        la_code,
    )
    year, admitted = groups.latest_year_admissions(frames["events"], la_code)
    out: dict = {"year": year}
    if year is not None:
        args = (admitted, frames["registered_patients"], frames["practices"], la_code)
        out["age"] = groups.by_age_band(*args).to_dicts()
        out["sex"] = groups.by_sex(*args).to_dicts()
        out["ethnicity"] = groups.by_ethnicity(admitted).to_dicts()
    emergency = frames["emergency_admissions"].filter(pl.col("practice_code") != "ALL")
    deprivation = frames["practice_deprivation"]
    if emergency.height and deprivation.height:
        last = emergency["month"].max()
        window = emergency.filter(pl.col("month") > last.replace(year=last.year - 1))
        lists = (
            patients_65_plus(frames["registered_patients"])
            .collect()
            .group_by("practice_code")
            .agg(pl.col("patients_65_plus").mean().alias("patients_65"))
        )
        table = inequalities.rates_by_deprivation(window, deprivation, lists)
        out["months"] = (window["month"].min(), last)
        out["deprivation"] = table.to_dicts()
        try:
            out["sii"] = inequalities.deprivation_sii(table, repetitions=20_000)
        except StatsInputError as error:
            out["sii_error"] = str(error)
        out["core20"] = int(inequalities.core20(deprivation)["core20"].sum())
    return out


# Writes: the BCF plan. Each is keyword-only, one transaction, audited inside it. ----------


def save_goals(*, la_code: str, goals: dict[tuple[str, str], float | None], user: User) -> int:
    """Set the plan's goals, ``(line key, quarter) -> goal`` (None clears); returns how many changed.

    A line key is a headline metric's key or ``rel-<id>`` for one of the
    council's relationship metrics; any other key changes nothing.
    """
    with transaction.atomic():
        changed = sum(
            _save_goal(la_code, key, quarter, value, user)
            for (key, quarter), value in goals.items()
        )
        record_audit(
            action="change", what="BCF goals", user=user, la_code=la_code, detail=f"{changed} goals"
        )
    return changed


def _save_goal(la_code: str, key: str, quarter: str, value: float | None, user: User) -> int:
    if key.startswith("rel-"):
        plan = RelationshipMetric.objects.filter(la_code=la_code, pk=int(key[4:])).first()
        if plan is None:
            return 0
        if value is None:
            return RelationshipGoal.objects.filter(metric=plan, quarter=quarter).delete()[0]
        RelationshipGoal.objects.update_or_create(
            metric=plan, quarter=quarter, defaults={"goal": value}
        )
        return 1
    if key not in metrics.HEADLINE_KEYS:
        return 0
    if value is None:
        return Goal.objects.filter(la_code=la_code, metric=key, quarter=quarter).delete()[0]
    Goal.objects.update_or_create(
        la_code=la_code, metric=key, quarter=quarter, defaults={"goal": value, "updated_by": user}
    )
    return 1


def add_relationship_metric(
    *, la_code: str, behaviour: str, roles: str, level: str, measure: str, user: User
) -> RelationshipMetric:
    """A local metric of the plan: the behaviour sought, between which roles, measured how."""
    with transaction.atomic():
        plan = RelationshipMetric.objects.create(
            la_code=la_code,
            behaviour=behaviour,
            roles=roles,
            level=level,
            measure=measure,
            updated_by=user,
        )
        record_audit(
            action="change",
            what="BCF relationship metric",
            user=user,
            la_code=la_code,
            detail=f"{plan.pk}: {measure}",
        )
    return plan


def save_commentary(*, la_code: str, quarter: str, texts: dict[str, str], user: User) -> None:
    """The return's commentary for ``quarter``, one text per line key."""
    with transaction.atomic():
        for line, text in texts.items():
            Commentary.objects.update_or_create(
                la_code=la_code,
                quarter=quarter,
                line=line,
                defaults={"text": text.strip()[:4000], "updated_by": user},
            )
        record_audit(
            action="change", what=f"BCF return commentary {quarter}", user=user, la_code=la_code
        )


def set_core20_weight(*, la_code: str, weight: float, user: User) -> None:
    """The council lead's weight for Core20 practices in the targeting score (0 to 1)."""
    with transaction.atomic():
        TargetingSetting.objects.update_or_create(
            la_code=la_code, defaults={"core20_weight": weight, "updated_by": user}
        )
        bump([la_code])  # the cached targeting list is rebuilt with the new weight
        record_audit(
            action="change",
            what="targeting Core20 weight",
            user=user,
            la_code=la_code,
            detail=f"{weight:g}",
        )
