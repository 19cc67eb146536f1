from django.db import models
from django.db.models import Q
from django.urls import reverse
from simple_history.models import HistoricalRecords

from contracts.assurance.choices import AuditStatus, AuditType, ComplaintCategory
from contracts.register.choices import Party
from contracts.register.models.contracts import Contract, ContractChildQuerySet
from governance.core.datepolicy import DatePolicyMixin


class Complaint(DatePolicyMixin, models.Model):
    """A complaint received about the service a contract delivers."""

    contract = models.ForeignKey(Contract, on_delete=models.PROTECT, related_name="complaints")
    received_on = models.DateField()
    summary = models.CharField(max_length=300)
    category = models.CharField(max_length=20, choices=ComplaintCategory.choices)
    outcome = models.TextField(blank=True)
    upheld = models.BooleanField(null=True, blank=True, help_text="Leave blank until decided.")
    closed_on = models.DateField(null=True, blank=True)

    objects = ContractChildQuerySet.as_manager()
    history = HistoricalRecords()

    class Meta:
        ordering = ["-received_on"]
        constraints = [
            models.CheckConstraint(
                condition=Q(closed_on__isnull=True) | Q(closed_on__gte=models.F("received_on")),
                name="complaint_closed_after_received",
                violation_error_message="A complaint cannot be closed before it was received.",
            )
        ]

    def __str__(self):
        return self.summary

    def get_absolute_url(self):
        return reverse("contracts:complaint_detail", args=[self.pk])


class Audit(DatePolicyMixin, models.Model):
    """An audit of part of the provider's service. No more than one per contract in any
    12 months without a recorded justification."""

    contract = models.ForeignKey(Contract, on_delete=models.PROTECT, related_name="audits")
    audit_type = models.CharField("Type", max_length=30, choices=AuditType.choices)
    proposed_by = models.CharField(max_length=20, choices=Party.choices)
    scope = models.TextField("What the audit covers")
    status = models.CharField(
        max_length=20, choices=AuditStatus.choices, default=AuditStatus.PROPOSED, editable=False
    )
    planned_on = models.DateField("Planned date")
    conducted_on = models.DateField("Date conducted", null=True, blank=True)
    auditor = models.CharField("Who carries it out", max_length=200, blank=True)
    findings = models.TextField(blank=True)
    recommendations = models.TextField(
        blank=True, help_text="One per line; each can be raised as a tracked action."
    )
    second_audit_justification = models.TextField(
        "Why a second audit within 12 months is needed",
        blank=True,
        help_text="Required when this contract has another audit within 12 months.",
    )

    objects = ContractChildQuerySet.as_manager()
    history = HistoricalRecords()

    class Meta:
        ordering = ["-planned_on"]

    def __str__(self):
        return f"{self.get_audit_type_display()} audit of {self.contract.reference}"

    def get_absolute_url(self):
        return reverse("contracts:audit_detail", args=[self.pk])
