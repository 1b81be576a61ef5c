"""Survey collection: waves, anonymous links, drafts, free text and column mappings.

Answers themselves are not here: a submitted survey becomes canonical
``survey_responses`` rows in the store (``careties.web.store.models.SurveyResponse``),
so web answers, imported answers and synthetic data are scored the same way.
Models hold integrity rules only; the writes live in ``services.py`` and
``importing.py``.
"""

from __future__ import annotations

import uuid

from django.conf import settings
from django.db import models

from careties.labels import INSTRUMENTS
from careties.relations.surveys import INSTRUMENT_NAMES

#: Who each instrument asks, as a council lead would say it.
INSTRUMENT_LABELS = INSTRUMENTS  # the one map of codes to words (careties.labels)
INSTRUMENT_CHOICES = [(name, INSTRUMENT_LABELS.get(name, name)) for name in INSTRUMENT_NAMES]


class Wave(models.Model):
    """One round of one survey in one council, open between two dates (inclusive)."""

    la_code = models.CharField(max_length=9, db_index=True)
    instrument = models.CharField(max_length=32, choices=INSTRUMENT_CHOICES)
    name = models.CharField(max_length=32, help_text='for example "2025-W2"')
    opens_on = models.DateField()
    closes_on = models.DateField()
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    #: Closed by hand before ``closes_on`` (null while open); reopening clears it.
    closed_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        db_table = "careties_survey_waves"
        ordering = ["-opens_on", "name"]
        constraints = [
            models.UniqueConstraint(
                fields=["la_code", "instrument", "name"], name="survey_wave_unique_name"
            ),
            models.CheckConstraint(
                condition=models.Q(closes_on__gt=models.F("opens_on")),
                name="survey_wave_closes_after_opening",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.name} ({self.get_instrument_display()}, {self.la_code})"


class Link(models.Model):
    """An anonymous way into a wave, handed to one practice or team (or to the public).

    The token is the only secret: whoever holds the URL may answer. A single-use
    link is spent by its first submission (``used``); a shared link counts
    its submissions but never records who made them. Deliberately no time of
    use: the order in which single-use links were spent would line up with the
    order of the stored answers, and the council knows whom it sent each link.
    """

    token = models.CharField(max_length=64, unique=True)
    wave = models.ForeignKey(Wave, on_delete=models.CASCADE, related_name="links")
    organisation = models.CharField(
        max_length=32,
        null=True,
        blank=True,
        help_text="practice or team code; empty for older people",
    )
    label = models.CharField(max_length=100, blank=True)
    single_use = models.BooleanField(default=False)
    expires_at = models.DateTimeField(null=True, blank=True)
    used = models.BooleanField(default=False)
    submissions = models.PositiveIntegerField(default=0)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        db_table = "careties_survey_links"
        ordering = ["organisation", "created_at"]

    def __str__(self) -> str:
        return f"link for {self.organisation or 'everyone'} in {self.wave}"


class Invitation(models.Model):
    """One person asked to answer a wave, with their own single-use link.

    ``respondent_ref`` is the professional's pseudonymous id from the loaded roster (or
    the reference a council gave in its CSV list), never a name. Whether they have
    answered is their link's ``used``; what they answered is not linked from here.
    """

    wave = models.ForeignKey(Wave, on_delete=models.CASCADE, related_name="invitations")
    link = models.OneToOneField(Link, on_delete=models.CASCADE, related_name="invitation")
    respondent_ref = models.CharField(max_length=64)
    role = models.CharField(max_length=40)
    organisation = models.CharField(max_length=32, null=True, blank=True)
    reminders = models.PositiveSmallIntegerField(default=0)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        db_table = "careties_survey_invitations"
        ordering = ["organisation", "role", "respondent_ref"]
        constraints = [
            models.UniqueConstraint(
                fields=["wave", "respondent_ref"], name="survey_invitation_once_per_wave"
            )
        ]

    def __str__(self) -> str:
        return f"{self.respondent_ref} ({self.role}) in {self.wave}"


class Draft(models.Model):
    """Answers in progress, found again by a resume code the respondent keeps.

    Deleted when the survey is submitted, so nothing of an unfinished draft
    outlives the submission.
    """

    resume_code = models.CharField(max_length=32, unique=True)
    link = models.ForeignKey(Link, on_delete=models.CASCADE, related_name="drafts")
    answers = models.JSONField(default=dict)
    section = models.PositiveSmallIntegerField(default=1)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        db_table = "careties_survey_drafts"


class FreeTextComment(models.Model):
    """A free-text answer, kept apart from who wrote it.

    Deliberately no practice, team, respondent, response id, link or time of
    writing, and a random primary key, so that a comment cannot be joined back
    to its author's other answers or organisation (not even by insertion order).
    """

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    wave = models.ForeignKey(Wave, on_delete=models.CASCADE, related_name="comments")
    la_code = models.CharField(max_length=9, db_index=True)
    text = models.TextField()

    class Meta:
        db_table = "careties_survey_free_text"
        ordering = ["id"]


class ColumnMapping(models.Model):
    """How a CSV export from another survey tool maps onto one of our instruments.

    ``columns`` maps a source column to a question id (or to the special target
    ``ORGANISATION_COLUMN``); ``values`` maps, per source column, each answer as
    the other tool writes it to our coded answer. ``sample_columns`` and
    ``sample_values`` remember the sample file so the mapping can be edited
    without uploading it again.
    """

    ORGANISATION_COLUMN = "__organisation__"

    la_code = models.CharField(max_length=9, db_index=True)
    name = models.CharField(max_length=100)
    instrument = models.CharField(max_length=32, choices=INSTRUMENT_CHOICES)
    columns = models.JSONField(default=dict, blank=True)
    values = models.JSONField(default=dict, blank=True)
    sample_columns = models.JSONField(default=list, blank=True)
    sample_values = models.JSONField(default=dict, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        db_table = "careties_survey_column_mappings"
        ordering = ["name"]
        constraints = [
            models.UniqueConstraint(fields=["la_code", "name"], name="survey_mapping_unique_name")
        ]

    def __str__(self) -> str:
        return self.name
