import datetime

from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone
from simple_history.models import HistoricalRecords

from disputes.choices import (
    ExclusionReason,
)
from disputes.models.disputes import Dispute
from governance.core import datepolicy
from governance.core.datepolicy import DatePolicyMixin
from governance.core.permissions import RestrictedQuerySet
from governance.core.stamp_fields import stamped_by

#: No exclusion from tenders may run longer than this (the date policy holds it).
MAX_EXCLUSION_MONTHS = datepolicy.MAX_EXCLUSION_MONTHS


class ExclusionQuerySet(RestrictedQuerySet):
    def scope(self, user, action):
        if user.is_provider_user:
            return self.none()
        return self

    def active_on(self, day: datetime.date):
        """In force on ``day``: confirmed, started, not yet ended."""
        return self.filter(
            confirmed_at__isnull=False,
            start_date__lte=day,
            end_date__gte=day,
            ended_early_on__isnull=True,
        )

    def awaiting_confirmation(self):
        return self.filter(confirmed_at__isnull=True, ended_early_on__isnull=True)


class Exclusion(DatePolicyMixin, models.Model):
    """A provider barred from the commissioner's tenders for a period of at most five
    years, after a termination or repeated unsatisfactory performance.

    One member of the Senior Management Group records it and a second one confirms it;
    it is in force only once confirmed."""

    organisation = models.ForeignKey(
        "contracts.Organisation", on_delete=models.PROTECT, related_name="exclusions"
    )
    reason = models.CharField(max_length=20, choices=ExclusionReason.choices)
    dispute = models.ForeignKey(
        Dispute,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="exclusions",
        verbose_name="Linked dispute",
    )
    details = models.TextField("Grounds")
    start_date = models.DateField()
    end_date = models.DateField(
        help_text="Computed from the period when one is given; never more than 5 years "
        "after the start."
    )
    decided_on = models.DateField("Date of the decision")
    recorded_by = stamped_by()
    confirmed_by = stamped_by(optional=True)
    confirmed_at = models.DateTimeField(null=True, blank=True, editable=False)
    ended_early_on = models.DateField(null=True, blank=True, editable=False)
    ended_early_reason = models.TextField(blank=True, editable=False)
    created_at = models.DateTimeField(auto_now_add=True)

    objects = ExclusionQuerySet.as_manager()
    history = HistoricalRecords()

    class Meta:
        ordering = ["-start_date", "-pk"]
        constraints = [
            models.CheckConstraint(
                condition=Q(end_date__gte=models.F("start_date")),
                name="exclusion_ends_after_it_starts",
                violation_error_message="The end date cannot be before the start date.",
            ),
        ]

    def __str__(self):
        return f"{self.organisation} excluded until {self.end_date:%-d %B %Y}"

    def get_absolute_url(self):
        return reverse("disputes:exclusion_detail", args=[self.pk])

    @property
    def reference(self) -> str:
        return f"EXC-{self.pk:05d}" if self.pk else "EXC-(new)"

    @property
    def is_confirmed(self) -> bool:
        return self.confirmed_at is not None

    @property
    def awaits_confirmation(self) -> bool:
        return not self.is_confirmed and self.ended_early_on is None

    def is_active(self, day: datetime.date | None = None) -> bool:
        day = day or timezone.localdate()
        return (
            self.is_confirmed
            and self.ended_early_on is None
            and self.start_date <= day <= self.end_date
        )
