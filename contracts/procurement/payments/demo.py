"""Demo invoices: each live contract of the demo portfolio gets a monthly invoice over
the last nine months, recorded by one officer, approved by the other and mostly paid
within 30 days; a few are paid late, one is disputed and one is overdue. For contracts
under the Procurement Act 2023 the morning's sweep then owes the payments compliance
notice for the last half-year and, where a monthly payment is over £30,000, the
quarterly publication. Running it again adds nothing."""

import datetime
from decimal import Decimal

from contracts.procurement.payments import services
from contracts.register.choices import ContractStatus
from contracts.register.models.contracts import Contract
from governance.core.dates import add_months

#: Days from receipt to payment, month by month (oldest first): two are late.
DAYS_TO_PAY = (21, 28, 35, 14, 30, 19, 44, 25, 12)


def seed_invoices(*, today: datetime.date) -> int:
    """Add the demo invoices to live contracts that have none yet; returns how many."""
    added = 0
    contracts = (
        Contract.objects.filter(status__in=[ContractStatus.ACTIVE, ContractStatus.IN_EXIT])
        .exclude(invoices__isnull=False)
        .filter(lead_officer__isnull=False, deputy_officer__isnull=False)
        .select_related("lead_officer", "deputy_officer")
        .order_by("reference")
    )
    first_month = add_months(today.replace(day=1), -len(DAYS_TO_PAY))
    for number, contract in enumerate(contracts):
        lead, deputy = contract.lead_officer, contract.deputy_officer
        monthly = (contract.annual_value / 12).quantize(Decimal("0.01"))
        for month, days in enumerate(DAYS_TO_PAY):
            received = add_months(first_month, month) + datetime.timedelta(days=4)
            if received < contract.start_date or received > today:
                continue
            disputed = number == 1 and month == len(DAYS_TO_PAY) - 3
            invoice = services.invoice_record(
                contract=contract,
                actor=lead,
                reference=f"{contract.reference}-INV-{received:%Y%m}",
                description=f"Service fee for {received:%B %Y}",
                amount=monthly,
                received_on=received,
                disputed=disputed,
                dispute_reason="The hours claimed do not match the monthly return."
                if disputed
                else "",
                reason="Invoice received from the provider",
            )
            added += 1
            if disputed:
                continue
            paid = received + datetime.timedelta(days=days)
            approved = received + datetime.timedelta(days=2)
            if approved > today:
                continue
            services.invoice_approve(invoice=invoice, actor=deputy, approved_on=approved)
            # The second contract's latest invoices are left unpaid, one of them overdue.
            if paid <= today and not (number == 1 and month >= len(DAYS_TO_PAY) - 2):
                services.invoice_pay(invoice=invoice, actor=lead, paid_on=paid)
    return added
