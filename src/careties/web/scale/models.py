"""Per-council data versions and the aggregates the regional figures read."""

from __future__ import annotations

from django.db import models


class CouncilVersion(models.Model):
    """The latest import (``ImportBatch`` id) that changed any of a council's data."""

    la_code = models.CharField(max_length=9, unique=True)
    version = models.BigIntegerField(default=0)

    class Meta:
        db_table = "careties_council_versions"


class AdmissionCount(models.Model):
    """New permanent admissions to care homes per council, practice and month.

    The numerators of ASCOF 2C (65+) and 2B (18-64), counted by
    ``careties.referrals.admissions.new_admissions`` on the council's stored
    events, so the regional view never loads an event.
    """

    la_code = models.CharField(max_length=9, db_index=True)
    practice_code = models.CharField(max_length=6, null=True)
    month = models.DateField(help_text="first day of the month the admission started")
    financial_year = models.CharField(max_length=7)
    age_65_plus = models.BooleanField()
    admissions = models.IntegerField()

    class Meta:
        db_table = "careties_admission_counts"


class AggregateStamp(models.Model):
    """Which data version of a council an area's stored aggregates were computed from.

    ``version`` is the council's :func:`careties.web.scale.versions.council_versions`
    string (its import version and latest survey answer) at the time; when it
    differs, the council's aggregates of that area are recomputed before use.
    ``facts`` records what the council had loaded (surveys, contacts,
    deprivation), which decides the columns the pooled figures have.
    """

    la_code = models.CharField(max_length=9)
    area = models.CharField(max_length=16)
    version = models.CharField(max_length=64, default="")
    facts = models.JSONField(default=dict)

    class Meta:
        db_table = "careties_aggregate_stamps"
        constraints = [
            models.UniqueConstraint(fields=["la_code", "area"], name="aggregate_stamp_once")
        ]


class CouncilRows(models.Model):
    """Rows kept per council: replaced together when the council's data move on."""

    la_code = models.CharField(max_length=9, db_index=True)

    class Meta:
        abstract = True


class SurveyCount(CouncilRows):
    """One headline survey indicator's counts for a council and wave (no suppression yet).

    The regional view pools these across councils and applies the Wilson
    interval and the respondent floor itself, so it never reads an answer.
    """

    wave = models.CharField(max_length=64)
    instrument = models.CharField(max_length=32)
    indicator = models.CharField(max_length=96)
    label = models.CharField(max_length=255)
    numerator = models.IntegerField()
    denominator = models.IntegerField()

    class Meta:
        db_table = "careties_survey_counts"


class SurveyRespondents(CouncilRows):
    """Respondents per council, wave and instrument: which waves reach the floor."""

    wave = models.CharField(max_length=64)
    instrument = models.CharField(max_length=32)
    respondents = models.IntegerField()

    class Meta:
        db_table = "careties_survey_respondents"


class PracticeLinkage(CouncilRows):
    """One practice's inputs to the relationship-admissions model, from its council's data.

    The practice's lists, relationship measures and deprivation, as
    ``careties.relations.linkage_panel.practice_panel`` joins them; admissions
    come from :class:`AdmissionCount` and :class:`PracticeCount` at read time,
    so admissions recorded by another council are counted too.
    """

    practice_code = models.CharField(max_length=6)
    list_size = models.BigIntegerField(null=True)
    list_65_plus = models.BigIntegerField(null=True)
    share_85_plus = models.FloatField(null=True)
    log_list_size = models.FloatField(null=True)
    rc_score = models.FloatField(null=True)
    knowledge_share = models.FloatField(null=True)
    social_care_tie_strength = models.FloatField(null=True)
    health_score = models.FloatField(null=True)
    deprivation_score = models.FloatField(null=True)

    class Meta:
        db_table = "careties_practice_linkage"


class PracticeCount(CouncilRows):
    """An outcome counted per practice from one council's loaded file (emergency admissions 65+)."""

    practice_code = models.CharField(max_length=6)
    outcome = models.CharField(max_length=16)
    admissions = models.BigIntegerField()

    class Meta:
        db_table = "careties_practice_counts"
