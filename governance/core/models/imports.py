"""Spreadsheets uploaded to import records, held between the preview and the
confirmation: the file as it was checked is the file that is imported, and only the
person who uploaded it can see or confirm it."""

import uuid

from django.conf import settings
from django.db import models
from django.db.models import Q

from governance.core.datepolicy import DatePolicyMixin


class ImportStatus(models.TextChoices):
    PREVIEWED = "previewed", "Waiting for confirmation"
    IMPORTED = "imported", "Imported"


class ImportBatch(DatePolicyMixin, models.Model):
    """One uploaded file for one kind of import (``importer``: the import's key, such
    as ``risks``). The random ``token`` names it in its preview's address, so a batch
    cannot be guessed, and it is looked up for its own uploader alone."""

    token = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    importer = models.CharField(max_length=50)
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+"
    )
    uploaded_at = models.DateTimeField(auto_now_add=True)
    file_name = models.CharField(max_length=255)
    content = models.BinaryField()
    status = models.CharField(
        max_length=20, choices=ImportStatus.choices, default=ImportStatus.PREVIEWED
    )
    rows_imported = models.PositiveIntegerField(null=True, blank=True)
    imported_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-uploaded_at", "-pk"]
        constraints = [
            models.CheckConstraint(
                condition=Q(status=ImportStatus.PREVIEWED, imported_at__isnull=True)
                | Q(status=ImportStatus.IMPORTED, imported_at__isnull=False),
                name="import_batch_imported_with_time",
                violation_error_message="An imported file needs the time it was imported.",
            )
        ]

    def __str__(self):
        return f"{self.file_name} ({self.get_status_display().lower()})"

    @property
    def is_imported(self) -> bool:
        return self.status == ImportStatus.IMPORTED
