"""The invoice register: each invoice a provider sends under a contract, when it was
received, approved and paid, and whether it is disputed.

An undisputed invoice falls due a set number of days after it is received
(``settings.PROCUREMENT_INVOICE_PAYMENT_DAYS``, 30 by default, as section 68 of the Procurement Act
2023 requires). The due date is worked out when the invoice is recorded and kept, so a
later change of the setting does not rewrite what was owed at the time.
"""

import datetime

from django.conf import settings
from django.core.validators import MinValueValidator
from django.db import models
from django.db.models import F, Q
from django.urls import reverse
from simple_history.models import HistoricalRecords

from contracts.procurement.payments.choices import InvoiceStatus
from contracts.register.models.contracts import Contract, ContractChildQuerySet
from governance.core.datepolicy import DatePolicyMixin
from governance.core.stamp_fields import stamped_by

MONEY = {"max_digits": 14, "decimal_places": 2}


def invoice_due_on(received_on: datetime.date, days: int | None = None) -> datetime.date:
    """The day an undisputed invoice received on ``received_on`` must be paid by:
    calendar days, as the Act counts them (a weekend or bank holiday does not move it)."""
    days = settings.PROCUREMENT_INVOICE_PAYMENT_DAYS if days is None else days
    return received_on + datetime.timedelta(days=days)


class InvoiceQuerySet(ContractChildQuerySet):
    def unpaid(self):
        return self.filter(paid_on__isnull=True)

    def overdue(self, today: datetime.date):
        return self.unpaid().filter(disputed=False, due_on__lt=today)

    def paid_between(self, start: datetime.date, end: datetime.date):
        return self.filter(paid_on__gte=start, paid_on__lte=end)


class Invoice(DatePolicyMixin, models.Model):
    contract = models.ForeignKey(Contract, on_delete=models.PROTECT, related_name="invoices")
    reference = models.CharField(
        "Invoice number",
        max_length=60,
        help_text="The number on the provider's invoice.",
    )
    description = models.CharField(
        max_length=200, blank=True, help_text="What the invoice is for, like “Q2 service fee”."
    )
    amount = models.DecimalField(
        "Amount (£)",
        validators=[MinValueValidator(0)],
        help_text="The total the invoice asks for, VAT included.",
        **MONEY,
    )
    received_on = models.DateField("Date received")
    due_on = models.DateField(
        "Payment due",
        null=True,
        blank=True,
        editable=False,
        help_text="Worked out from the date received; none while the invoice is disputed.",
    )
    disputed = models.BooleanField(
        "Disputed",
        default=False,
        help_text="Tick when the invoice is disputed: it is not due until the dispute ends.",
    )
    dispute_reason = models.TextField("Why it is disputed", blank=True)
    approved_on = models.DateField("Date approved for payment", null=True, blank=True)
    approved_by = stamped_by(optional=True)
    paid_on = models.DateField("Date paid", null=True, blank=True)
    recorded_by = stamped_by()
    created_at = models.DateTimeField(auto_now_add=True)

    objects = InvoiceQuerySet.as_manager()
    history = HistoricalRecords()

    class Meta:
        ordering = ["contract", "-received_on", "reference"]
        constraints = [
            models.UniqueConstraint(
                fields=["contract", "reference"],
                name="invoice_reference_unique_per_contract",
                violation_error_message="This contract already has an invoice with that number.",
            ),
            models.CheckConstraint(condition=Q(amount__gte=0), name="invoice_amount_not_negative"),
            models.CheckConstraint(
                condition=Q(paid_on__isnull=True) | Q(paid_on__gte=F("received_on")),
                name="invoice_paid_on_or_after_receipt",
                violation_error_message=(
                    "The date paid cannot be before the date the invoice was received."
                ),
            ),
            models.CheckConstraint(
                condition=Q(approved_on__isnull=True) | Q(approved_on__gte=F("received_on")),
                name="invoice_approved_on_or_after_receipt",
                violation_error_message=(
                    "The date approved cannot be before the date the invoice was received."
                ),
            ),
            models.CheckConstraint(
                condition=Q(paid_on__isnull=True) | Q(approved_on__isnull=False),
                name="invoice_paid_only_once_approved",
                violation_error_message="An invoice is approved before it is paid.",
            ),
        ]
        indexes = [models.Index(fields=["paid_on"]), models.Index(fields=["due_on"])]

    def __str__(self):
        return f"Invoice {self.reference}"

    def get_absolute_url(self):
        return reverse("contracts:invoice_detail", args=[self.pk])

    @property
    def status(self) -> str:
        if self.paid_on is not None:
            return InvoiceStatus.PAID
        if self.disputed:
            return InvoiceStatus.DISPUTED
        if self.approved_on is not None:
            return InvoiceStatus.APPROVED
        return InvoiceStatus.RECEIVED

    @property
    def status_label(self) -> str:
        return InvoiceStatus(self.status).label

    @property
    def days_to_pay(self) -> int | None:
        """Calendar days from receipt to payment (None until paid)."""
        if self.paid_on is None:
            return None
        return (self.paid_on - self.received_on).days

    @property
    def paid_on_time(self) -> bool | None:
        """Whether it was paid by its due date (None until paid, or if disputed)."""
        if self.paid_on is None or self.due_on is None:
            return None
        return self.paid_on <= self.due_on
