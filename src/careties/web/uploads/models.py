"""One uploaded file and where it is on its way in: validating, ready, loading, loaded."""

from __future__ import annotations

from django.conf import settings
from django.db import models

TEXT = 255


class Upload(models.Model):
    """A file a user uploaded for one council, and what validating and importing it found."""

    class Status(models.TextChoices):
        VALIDATING = "validating", "Checking the file"
        READY = "ready", "Checked: ready to load"
        INVALID = "invalid", "Not loaded: the file has errors"
        IMPORTING = "importing", "Loading"
        IMPORTED = "imported", "Loaded"
        FAILED = "failed", "Not loaded"

    la_code = models.CharField(max_length=9, db_index=True)
    kind = models.CharField(max_length=32)
    filename = models.CharField(max_length=TEXT)
    path = models.CharField(max_length=1024, help_text="where the file is kept until it is loaded")
    size = models.BigIntegerField(default=0)
    status = models.CharField(max_length=16, choices=Status.choices, default=Status.VALIDATING)
    progress = models.PositiveSmallIntegerField(default=0, help_text="percent done")
    stage = models.CharField(max_length=TEXT, blank=True)
    rows = models.IntegerField(null=True)
    replaces = models.JSONField(default=list, blank=True, help_text="what loading would replace")
    errors = models.JSONField(default=list, blank=True, help_text="the first errors")
    error_total = models.IntegerField(default=0)
    message = models.TextField(blank=True)
    notes = models.JSONField(default=list, blank=True)
    user = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        db_table = "careties_uploads"
        ordering = ["-created_at"]

    @property
    def finished(self) -> bool:
        return self.status in {
            self.Status.READY,
            self.Status.INVALID,
            self.Status.IMPORTED,
            self.Status.FAILED,
        }

    @property
    def working(self) -> bool:
        return self.status in {self.Status.VALIDATING, self.Status.IMPORTING}
