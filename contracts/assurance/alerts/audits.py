"""What audits offer the daily sweep: an active contract's annual audit falling due,
and a planned audit whose date has passed without being recorded. Both go to the
contract's lead and deputy officers; each provider runs one query whatever the number
of records."""

import datetime
from collections.abc import Iterator

from django.db.models import Exists, OuterRef, Q
from django.urls import reverse

from contracts.assurance.choices import AuditStatus
from contracts.assurance.models.audits import Audit
from contracts.register.choices import ContractStatus
from contracts.register.models.contracts import Contract
from governance.core.alerting import AlertSpec, Urgency
from governance.core.dates import add_months, financial_quarter


def annual_audits_due(today: datetime.date) -> Iterator[AlertSpec]:
    """Active contracts that have run for a year with no audit completed or planned in
    the last 12 months (a planned one still to come counts). Told once per financial
    year."""
    year_ago = add_months(today, -12)
    recent = Audit.objects.filter(contract=OuterRef("pk")).filter(
        Q(status=AuditStatus.PLANNED, planned_on__gt=year_ago)
        | (
            Q(status=AuditStatus.COMPLETED)
            & (Q(conducted_on__gt=year_ago) | Q(planned_on__gt=year_ago))
        )
    )
    contracts = (
        Contract.objects.filter(status=ContractStatus.ACTIVE, start_date__lte=year_ago)
        .exclude(Exists(recent))
        .select_related("lead_officer", "deputy_officer")
        .order_by("pk")
    )
    financial_year, _ = financial_quarter(today)
    for contract in contracts.iterator(chunk_size=500):
        yield AlertSpec(
            key=f"audit-due:{contract.pk}:{financial_year}",
            kind="audit_due",
            urgency=Urgency.DUE_SOON,
            subject=f"Annual audit due for {contract.reference}",
            body=(
                f"{contract} has had no audit completed or planned in the last 12 months. "
                "Agree with the provider which part of the service to audit, and propose it."
            ),
            url=reverse("contracts:contract_audits", args=[contract.pk]),
            users=contract.officers,
        )


def planned_audits_not_recorded(today: datetime.date) -> Iterator[AlertSpec]:
    """Planned audits whose date has passed, from the day after, not yet recorded as
    completed or cancelled."""
    audits = (
        Audit.objects.filter(status=AuditStatus.PLANNED, planned_on__lt=today)
        .select_related("contract", "contract__lead_officer", "contract__deputy_officer")
        .order_by("planned_on", "pk")
    )
    for audit in audits.iterator(chunk_size=500):
        yield AlertSpec(
            key=f"audit-not-recorded:{audit.pk}:{audit.planned_on.isoformat()}",
            kind="audit_not_recorded",
            urgency=Urgency.MISSED,
            subject=f"Record the {audit.get_audit_type_display().lower()} audit of "
            f"{audit.contract.reference}",
            body=(
                f"The {audit} was planned for {audit.planned_on:%-d %B %Y}. Record its "
                "findings, move it to a new date, or cancel it."
            ),
            url=audit.get_absolute_url(),
            users=audit.contract.officers,
        )


PROVIDERS = [annual_audits_due, planned_audits_not_recorded]
