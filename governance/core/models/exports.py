"""Exports of lists too long to send while the person waits: the list, its filters and
the format asked for, built in the background for that person alone."""

from datetime import timedelta

from django.conf import settings
from django.db import models
from django.db.models import F, Q
from django.urls import NoReverseMatch, reverse

from governance.core.datepolicy import DatePolicyMixin
from governance.core.models.jobs import ACTIVE_JOB_STATUSES, BackgroundJob


class ExportFormat(models.TextChoices):
    CSV = "csv", "CSV"
    XLSX = "xlsx", "spreadsheet (XLSX)"
    PDF = "pdf", "PDF"


#: The longest query string (filters and sort) an export records.
EXPORT_QUERY_LENGTH = 2000


def export_upload_to(instance, filename: str) -> str:
    return f"exports/{instance.requested_by_id}/{filename}"


class ExportJob(DatePolicyMixin, BackgroundJob):
    """One list exported for the person who asked: ``list_name`` is the list page's URL
    name and ``query`` its query string, so the job applies the same filters and sort,
    for that person, when it runs. One identical export per person is under way at a
    time, so a second click shares the first job."""

    list_name = models.CharField(max_length=100)
    query = models.CharField(max_length=EXPORT_QUERY_LENGTH, blank=True)
    title = models.CharField(max_length=200)
    format = models.CharField(max_length=10, choices=ExportFormat.choices)
    rows_total = models.PositiveIntegerField(null=True, blank=True)
    rows_done = models.PositiveIntegerField(default=0)
    file = models.FileField(upload_to=export_upload_to, blank=True)

    class Meta(BackgroundJob.Meta):
        constraints = [
            models.UniqueConstraint(
                fields=["requested_by", "list_name", "query", "format"],
                condition=Q(status__in=ACTIVE_JOB_STATUSES),
                name="one_identical_export_under_way_per_person",
                violation_error_message="This export is already being prepared.",
            ),
            models.CheckConstraint(
                condition=Q(rows_total__isnull=True) | Q(rows_done__lte=F("rows_total")),
                name="export_rows_done_at_most_total",
            ),
        ]

    def __str__(self):
        return f"{self.title} as {self.get_format_display()} (export {self.pk})"

    def get_absolute_url(self):
        return reverse("governance:export_detail", args=[self.pk])

    @property
    def list_url(self) -> str:
        """The list page with the filters the export was asked with."""
        try:
            path = reverse(self.list_name)
        except NoReverseMatch:
            return ""
        return f"{path}?{self.query}" if self.query else path

    @property
    def kept_until(self):
        """When the export is deleted (see ``export_purge``)."""
        if self.finished_at is None:
            return None
        return self.finished_at + timedelta(days=settings.EXPORT_RETENTION_DAYS)

    @property
    def percent_done(self) -> int:
        if not self.rows_total:
            return 0
        return min(100, self.rows_done * 100 // self.rows_total)
