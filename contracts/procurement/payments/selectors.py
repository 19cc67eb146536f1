"""Reads of the invoice register, restricted to what the user may see, and the figures
the payments notices publish."""

import datetime
from dataclasses import dataclass
from decimal import Decimal

from django.db.models import QuerySet

from contracts.procurement.payments.models import Invoice


def invoice_list(user) -> QuerySet[Invoice]:
    """Every invoice the user may see, ready for the register."""
    return Invoice.objects.restrict(user, "view").select_related(
        "contract", "contract__provider", "approved_by", "recorded_by"
    )


def contract_invoices(user, contract) -> QuerySet[Invoice]:
    return invoice_list(user).filter(contract=contract)


@dataclass(frozen=True)
class PaymentPerformance:
    """How promptly a contract's invoices were paid over a period: the figures of the
    payments compliance notice (section 69)."""

    start: datetime.date
    end: datetime.date
    paid: int  # undisputed invoices paid in the period
    paid_on_time: int  # ... of which by their due date
    total_days: int  # days from receipt to payment, added up over those invoices
    disputed: int  # invoices paid in the period that had been disputed
    amount_paid: Decimal

    @property
    def share_on_time(self) -> Decimal | None:
        """The percentage paid on time, to one decimal place (None: nothing paid)."""
        if not self.paid:
            return None
        return (Decimal(100 * self.paid_on_time) / self.paid).quantize(Decimal("0.1"))

    @property
    def average_days(self) -> Decimal | None:
        """Average calendar days from receipt to payment, to one decimal place."""
        if not self.paid:
            return None
        return (Decimal(self.total_days) / self.paid).quantize(Decimal("0.1"))


def payment_performance(contract, start: datetime.date, end: datetime.date) -> PaymentPerformance:
    """The payments of ``contract`` made between ``start`` and ``end`` (both included).
    Disputed invoices are counted apart: they have no due date to meet."""
    rows = Invoice.objects.filter(contract=contract).paid_between(start, end)
    paid = on_time = total_days = disputed = 0
    amount = Decimal(0)
    for invoice in rows.only("received_on", "paid_on", "due_on", "disputed", "amount"):
        amount += invoice.amount
        if invoice.disputed or invoice.due_on is None:
            disputed += 1
            continue
        paid += 1
        total_days += invoice.days_to_pay
        on_time += invoice.paid_on <= invoice.due_on
    return PaymentPerformance(
        start=start,
        end=end,
        paid=paid,
        paid_on_time=on_time,
        total_days=total_days,
        disputed=disputed,
        amount_paid=amount,
    )


def payments_over(
    contract, start: datetime.date, end: datetime.date, threshold: Decimal
) -> QuerySet[Invoice]:
    """Payments above ``threshold`` made in the period (section 70's quarterly list)."""
    return (
        Invoice.objects.filter(contract=contract, amount__gt=threshold)
        .paid_between(start, end)
        .order_by("paid_on", "pk")
    )
