"""The programme's own records. Models hold facts and integrity only; rules live in services.

Councils and practices are referred to by their national codes (no foreign keys
to the store's imported tables), as the store does, because data files arrive
in any order and may replace the rows a programme record names.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models

from careties.planning.actions import APPROACHES, STATUSES
from careties.web.store.models import LastEdited

TEXT = 255


class Programme(LastEdited):
    """One council's programme: when it started and which practices it targets."""

    la_code = models.CharField(max_length=9, unique=True)
    start_date = models.DateField()
    targeted_practices = models.JSONField(default=list, blank=True)

    class Meta:
        db_table = "careties_programmes"


class PledgeSignature(models.Model):
    """An organisation's signature of the pledge, all five commitments at once."""

    class OrganisationType(models.TextChoices):
        COUNCIL = "council", "Council"
        PRACTICE = "practice", "GP practice"
        NHS = "nhs", "NHS organisation"
        OTHER = "other", "Other partner"

    la_code = models.CharField(max_length=9, db_index=True)
    organisation_type = models.CharField(max_length=16, choices=OrganisationType.choices)
    organisation_code = models.CharField(max_length=32)
    organisation_name = models.CharField(max_length=TEXT)
    signatory_role = models.CharField(max_length=TEXT)
    signed_on = models.DateField()
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        db_table = "careties_pledge_signatures"
        ordering = ["-signed_on", "organisation_name"]
        constraints = [
            models.UniqueConstraint(
                fields=["la_code", "organisation_code"], name="pledge_signature_once"
            )
        ]


class ActionItem(LastEdited):
    """One item of a council's action plan, under one of the five approaches."""

    la_code = models.CharField(max_length=9, db_index=True)
    approach = models.CharField(
        max_length=32, choices=[(a.approach_id, a.title) for a in APPROACHES]
    )
    title = models.CharField(max_length=TEXT)
    description = models.TextField(blank=True)
    owner = models.CharField(max_length=TEXT)
    target_practices = models.JSONField(default=list, blank=True)
    target_gps = models.JSONField(default=list, blank=True)
    due_date = models.DateField()
    status = models.CharField(max_length=16, choices=list(STATUSES), default="not_started")

    class Meta:
        db_table = "careties_action_items"
        ordering = ["due_date", "title"]


class Activity(models.Model):
    """A knowledge-building activity with a GP; mirrored into the store's contacts."""

    class Kind(models.TextChoices):
        CONTACT_VISIT = "contact_visit", "Regular contact visit"
        TRAINING = "training_session", "Training session"
        JOINT_WORKING = "joint_working", "Joint working session"

    la_code = models.CharField(max_length=9, db_index=True)
    kind = models.CharField(max_length=32, choices=Kind.choices)
    activity_date = models.DateField()
    gp_professional_id = models.CharField(max_length=64)
    practice_code = models.CharField(max_length=6, blank=True)
    staff_professional_id = models.CharField(max_length=64)
    minutes = models.PositiveIntegerField()
    notes = models.CharField(max_length=TEXT, blank=True)
    logged_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        db_table = "careties_programme_activities"
        ordering = ["-activity_date", "-pk"]

    @property
    def contact_reference(self) -> str:
        return f"programme-activity-{self.pk}"


class SignPost(models.Model):
    """A GP sign-posting someone to a local service from the directory."""

    la_code = models.CharField(max_length=9, db_index=True)
    practice_code = models.CharField(max_length=6, db_index=True)
    gp_professional_id = models.CharField(max_length=64)
    service_id = models.CharField(max_length=64, db_index=True)
    signposted_on = models.DateField()
    #: Keyed HMAC of the person reference the GP typed; the reference itself is never kept.
    person_key = models.CharField(max_length=64, blank=True)
    recorded_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        db_table = "careties_signposts"
        ordering = ["-signposted_on", "-pk"]


class OrukOriginal(models.Model):
    """An imported service's original ORUK JSON, so an export gives back what came in."""

    service_id = models.CharField(max_length=64, unique=True)
    document = models.JSONField()
    imported_at = models.DateTimeField(auto_now=True)

    class Meta:
        db_table = "careties_oruk_originals"


class PostcodeCentroid(models.Model):
    """A postcode's centroid from a council's ONS Postcode Directory extract (public data)."""

    postcode = models.CharField(max_length=8, unique=True)  # normalised: no spaces, capitals
    latitude = models.FloatField()
    longitude = models.FloatField()
    la_code = models.CharField(max_length=9, blank=True, db_index=True)
    source = models.CharField(max_length=255)
    loaded_at = models.DateTimeField(auto_now=True)

    class Meta:
        db_table = "careties_postcode_centroids"


class DiscussedItem(models.Model):
    """An item of "what to tell this practice" raised at a logged contact."""

    activity = models.ForeignKey(Activity, on_delete=models.CASCADE, related_name="discussed")
    service_type = models.CharField(max_length=64)
    service_id = models.CharField(max_length=64, blank=True)

    class Meta:
        db_table = "careties_discussed_items"
        ordering = ["activity_id", "service_type"]


class ServiceLocation(LastEdited):
    """Where a service made in careties is, placed from the council's postcode file.

    Imported ORUK services carry their locations in their original JSON; this is
    for the others, so that search by place finds them too.
    """

    service_id = models.CharField(max_length=64, unique=True)
    name = models.CharField(max_length=TEXT)
    postcode = models.CharField(max_length=8)  # normalised: no spaces, capitals
    latitude = models.FloatField()
    longitude = models.FloatField()

    class Meta:
        db_table = "careties_service_locations"


class SavingsUnitCost(LastEdited):
    """A council's own figure for one input of the savings scenario, with where it comes from.

    One row per council and input (``careties.planning.unit_costs.UNIT_COSTS``);
    an input without a row uses careties' default and its source.
    """

    la_code = models.CharField(max_length=9, db_index=True)
    name = models.CharField(max_length=64)
    #: As the scenario takes it (a share, not a percentage); null: the scenario's own rule.
    value = models.FloatField(null=True, blank=True)
    source = models.CharField(max_length=500)
    source_url = models.URLField(max_length=500, blank=True)
    as_of = models.DateField()

    class Meta:
        db_table = "careties_savings_unit_costs"
        ordering = ["la_code", "name"]
        constraints = [
            models.UniqueConstraint(fields=["la_code", "name"], name="savings_unit_cost_once")
        ]
