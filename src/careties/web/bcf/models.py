"""The BCF area's tables: three imported kinds, and the council's plan and return.

The imported tables follow the store's rules (one row per natural key, the
source file recorded, no foreign keys). The plan tables hold what a council
lead types in: a goal per metric and quarter, the relationship metrics chosen
for the plan and their goals, and the commentary of each quarterly return.
"""

from __future__ import annotations

from django.db import models

from careties.bcf.metrics import HEADLINE_KEYS
from careties.bcf.relationships import LEVELS, MEASURES
from careties.web.store.models import ImportedRow, LastEdited, natural_key

TEXT = 255


class EmergencyAdmissions(ImportedRow):
    la_code = models.CharField(max_length=9)
    month = models.DateField()
    practice_code = models.CharField(max_length=6)  # "ALL" for the council's total
    admissions_65_plus = models.BigIntegerField()

    class Meta:
        db_table = "careties_emergency_admissions"
        constraints = natural_key("emergency_admissions")


class Discharges(ImportedRow):
    la_code = models.CharField(max_length=9)
    month = models.DateField()
    discharges = models.BigIntegerField()
    discharged_on_ready_date = models.BigIntegerField()
    mean_delay_days_others = models.FloatField(null=True)

    class Meta:
        db_table = "careties_discharges"
        constraints = natural_key("discharges")


class PracticeDeprivation(ImportedRow):
    practice_code = models.CharField(max_length=6, unique=True)
    year = models.CharField(max_length=16, null=True)
    deprivation_score = models.FloatField()

    class Meta:
        db_table = "careties_practice_deprivation"


BCF_MODEL_FOR_KIND: dict[str, type[ImportedRow]] = {
    "emergency_admissions": EmergencyAdmissions,
    "discharges": Discharges,
    "practice_deprivation": PracticeDeprivation,
}


class Goal(LastEdited):
    """The BCF plan's goal for one headline metric in one quarter (``2025-26 Q1``)."""

    la_code = models.CharField(max_length=9)
    metric = models.CharField(max_length=32, choices=[(k, k) for k in HEADLINE_KEYS])
    quarter = models.CharField(max_length=10)
    goal = models.FloatField()

    class Meta:
        db_table = "careties_bcf_goals"
        constraints = [
            models.UniqueConstraint(fields=["la_code", "metric", "quarter"], name="bcf_goal_key")
        ]


class RelationshipMetric(LastEdited):
    """A relationship metric in the BCF plan: the behaviour sought, between whom, at what level."""

    la_code = models.CharField(max_length=9, db_index=True)
    behaviour = models.CharField(max_length=TEXT)
    roles = models.CharField(max_length=TEXT)
    level = models.CharField(max_length=16, choices=[(k, v) for k, v in LEVELS.items()])
    measure = models.CharField(max_length=40, choices=[(k, m.label) for k, m in MEASURES.items()])

    class Meta:
        db_table = "careties_bcf_relationship_metrics"
        ordering = ["id"]


class RelationshipGoal(models.Model):
    """A relationship metric's goal for one quarter."""

    metric = models.ForeignKey(RelationshipMetric, on_delete=models.CASCADE, related_name="goals")
    quarter = models.CharField(max_length=10)
    goal = models.FloatField()

    class Meta:
        db_table = "careties_bcf_relationship_goals"
        constraints = [
            models.UniqueConstraint(fields=["metric", "quarter"], name="bcf_relationship_goal_key")
        ]


class Commentary(LastEdited):
    """The council's commentary on one line of one quarter's return."""

    la_code = models.CharField(max_length=9)
    quarter = models.CharField(max_length=10)
    line = models.CharField(max_length=40)  # a headline metric key, or "rel-<id>"
    text = models.TextField(blank=True)

    class Meta:
        db_table = "careties_bcf_commentary"
        constraints = [
            models.UniqueConstraint(
                fields=["la_code", "quarter", "line"], name="bcf_commentary_key"
            )
        ]


class TargetingSetting(LastEdited):
    """How much a council weighs Core20 practices in its targeting score (0: not at all)."""

    la_code = models.CharField(max_length=9, unique=True)
    core20_weight = models.FloatField(default=0.0)

    class Meta:
        db_table = "careties_bcf_targeting_settings"


def core20_weight(la_code: str | None) -> float:
    """The council's Core20 weight for the targeting score; 0 when unset or for several councils."""
    if not la_code:
        return 0.0
    found = TargetingSetting.objects.filter(la_code=la_code).values_list("core20_weight", flat=True)
    return float(found.first() or 0.0)
