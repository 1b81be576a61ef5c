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
