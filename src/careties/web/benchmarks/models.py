"""Published ASCOF rows (every council, region and England) and NHS England's peer groups.

Both are public, aggregate figures: no person-level data, no suppression needed.
"""

from __future__ import annotations

from django.db import models


class PublishedAscof(models.Model):
    """One published figure: a council (or region, or England), measure and year."""

    la_code = models.CharField(max_length=12, db_index=True)
    financial_year = models.CharField(max_length=7)
    measure = models.CharField(max_length=40)
    numerator = models.FloatField(null=True, blank=True)
    denominator = models.FloatField(null=True, blank=True)
    outcome = models.FloatField(null=True, blank=True)
    source = models.CharField(max_length=255, blank=True, default="")

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["la_code", "financial_year", "measure"], name="published_ascof_unique"
            )
        ]


class PeerGroup(models.Model):
    """One of a council's nearest neighbours, 1 = nearest."""

    la_code = models.CharField(max_length=12, db_index=True)
    peer_code = models.CharField(max_length=12)
    peer_rank = models.PositiveSmallIntegerField()
    source = models.CharField(max_length=255, blank=True, default="")

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["la_code", "peer_rank"], name="peer_group_unique")
        ]
