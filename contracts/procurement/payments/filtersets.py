"""Filters of the invoice register."""

import django_filters
from django import forms
from django.db.models import Q

from contracts.procurement.payments.choices import InvoiceStatus
from contracts.procurement.payments.models import Invoice
from governance.core import deadlines
from governance.core.date_range_filters import date_range
from governance.core.filters import officer_filter
from governance.core.filtersets import ContractFilter, DeadlineFilter, GovernanceFilterSet

#: Invoices whose payment date still has to be met.
PAYMENT_OPEN = Q(paid_on__isnull=True, disputed=False)

STATUS_Q = {
    InvoiceStatus.PAID: Q(paid_on__isnull=False),
    InvoiceStatus.DISPUTED: Q(paid_on__isnull=True, disputed=True),
    InvoiceStatus.APPROVED: Q(paid_on__isnull=True, disputed=False, approved_on__isnull=False),
    InvoiceStatus.RECEIVED: Q(paid_on__isnull=True, disputed=False, approved_on__isnull=True),
}


class InvoiceFilterSet(GovernanceFilterSet):
    search_fields = (
        "reference",
        "description",
        "contract__reference",
        "contract__title",
        "contract__provider__name",
    )
    contract = ContractFilter()
    status = django_filters.MultipleChoiceFilter(
        choices=InvoiceStatus.choices, widget=forms.CheckboxSelectMultiple, method="filter_status"
    )
    deadline = DeadlineFilter(
        deadline_field="due_on",
        kind=deadlines.INVOICE_PAYMENT,
        open_q=PAYMENT_OPEN,
        label="Payment due",
    )
    paid_after, paid_before = date_range("paid_on", "Paid", "1/4/2026", "30/9/2026")
    officer = officer_filter("contract")

    class Meta:
        model = Invoice
        fields = ["q", "contract", "status", "deadline", "paid_after", "paid_before"]

    def filter_status(self, queryset, name, value):
        if not value:
            return queryset
        wanted = Q()
        for status in value:
            wanted |= STATUS_Q[status]
        return queryset.filter(wanted)
