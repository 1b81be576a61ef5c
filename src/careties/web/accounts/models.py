"""A user's role and scope: which councils, practice or team they may see.

The rules that turn a membership into permissions live in
``careties.web.access``; this model only records the facts.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models


class Role(models.TextChoices):
    SYSTEM_ADMIN = "system_admin", "System administrator"
    COUNCIL_LEAD = "council_lead", "Council lead"
    COUNCIL_ANALYST = "council_analyst", "Council analyst"
    REGIONAL = "regional", "Regional programme"
    PRACTICE = "practice", "Practice user"
    SOCIAL_WORKER = "social_worker", "Social worker"


class Membership(models.Model):
    user = models.OneToOneField(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="membership"
    )
    role = models.CharField(max_length=32, choices=Role.choices)
    #: Councils in scope: one for council roles, several for regional users.
    la_codes = models.JSONField(default=list, blank=True)
    practice_code = models.CharField(max_length=6, blank=True)
    team_code = models.CharField(max_length=32, blank=True)
    professional_id = models.CharField(max_length=64, blank=True)

    class Meta:
        db_table = "careties_memberships"

    def __str__(self) -> str:
        return f"{self.user} as {self.get_role_display()}"
