"""Reads of the invoice register, restricted to what the user may see, and the figures
the payments notices publish."""

import datetime
from dataclasses import dataclass
from decimal import Decimal

from django.db.models import Q, QuerySet

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
    """How promptly invoices were paid over a period: the figures of the payments
    compliance notice (section 69 and regulation 38 of the Procurement Regulations 2024),
    for one contract or for every contract the notice covers."""

    start: datetime.date
    end: datetime.date
    paid: int  # undisputed invoices paid in the period
    paid_on_time: int  # ... of which by their due date
    total_days: int  # days from receipt to payment, added up over those invoices
    disputed: int  # invoices paid in the period that had been disputed
    amount_paid: Decimal
    within_30: int = 0  # paid on days 1 to 30 after receipt (day 1: the day after)
    within_31_60: int = 0  # ... on days 31 to 60
    after_60: int = 0  # ... on day 61 or later
    payable: int = 0  # undisputed invoices that fell due in the period
    payable_unpaid: int = 0  # ... of which not paid by the period's end

    @staticmethod
    def _share(part: int, whole: int) -> Decimal | None:
        if not whole:
            return None
        return (Decimal(100 * part) / whole).quantize(Decimal("0.1"))

    @property
    def share_on_time(self) -> Decimal | None:
        """The percentage paid on time, to one decimal place (None: nothing paid)."""
        return self._share(self.paid_on_time, self.paid)

    @property
    def average_days(self) -> Decimal | None:
        """Average calendar days from receipt to payment, to one decimal place."""
        if not self.paid:
            return None
        return (Decimal(self.total_days) / self.paid).quantize(Decimal("0.1"))

    @property
    def share_within_30(self) -> Decimal | None:
        return self._share(self.within_30, self.paid)

    @property
    def share_within_31_60(self) -> Decimal | None:
        return self._share(self.within_31_60, self.paid)

    @property
    def share_after_60(self) -> Decimal | None:
        return self._share(self.after_60, self.paid)

    @property
    def share_payable_unpaid(self) -> Decimal | None:
        """The percentage of the sums that fell due in the period not paid within it."""
        return self._share(self.payable_unpaid, self.payable)


def _contracts_filter(contracts) -> dict:
    if hasattr(contracts, "_meta"):  # one contract
        return {"contract": contracts}
    return {"contract__in": contracts}


def payment_performance(contracts, start: datetime.date, end: datetime.date) -> PaymentPerformance:
    """The payments under ``contracts`` (one contract, or several) made between ``start``
    and ``end`` (both included). Disputed invoices are counted apart: they have no due
    date to meet."""
    invoices = Invoice.objects.filter(**_contracts_filter(contracts))
    paid = on_time = total_days = disputed = 0
    bands = [0, 0, 0]
    amount = Decimal(0)
    for invoice in invoices.paid_between(start, end).only(
        "received_on", "paid_on", "due_on", "disputed", "amount"
    ):
        amount += invoice.amount
        if invoice.disputed or invoice.due_on is None:
            disputed += 1
            continue
        paid += 1
        days = invoice.days_to_pay
        total_days += days
        on_time += invoice.paid_on <= invoice.due_on
        bands[0 if days <= 30 else 1 if days <= 60 else 2] += 1
    payable = invoices.filter(disputed=False, due_on__gte=start, due_on__lte=end)
    return PaymentPerformance(
        start=start,
        end=end,
        paid=paid,
        paid_on_time=on_time,
        total_days=total_days,
        disputed=disputed,
        amount_paid=amount,
        within_30=bands[0],
        within_31_60=bands[1],
        after_60=bands[2],
        payable=payable.count(),
        payable_unpaid=payable.filter(Q(paid_on__isnull=True) | Q(paid_on__gt=end)).count(),
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
