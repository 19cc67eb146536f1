"""Checklist evidence that lapses (insurance certificates, policies) for the daily
sweep, on contracts that are active or in exit:

- ``checklist-expiring``: from 30 days before the evidence expires;
- ``checklist-expired``: from the day after its expiry date (the checklist counts the
  expiry date itself as still covered, as ``ChecklistItem.is_expired`` does).

Both go to the contract's lead and deputy officers, and by email to the provider's
contract manager, who supplies the renewed evidence. Keys hold the item and its expiry
date, so recording renewed evidence with a new expiry date is a new occasion. One
query per provider whatever the number of items.
"""

import datetime
from collections.abc import Iterator

from django.urls import reverse

from contracts.assurance.choices import ChecklistStatus
from contracts.assurance.models.slas import ChecklistItem
from contracts.register.choices import ContractStatus
from governance.core.alerting import AlertSpec, Urgency
from governance.core.datepolicy import on

#: Days before the expiry date when the reminder window opens.
EXPIRING_WARNING_DAYS = 30


def _verified_items(**filters):
    return (
        ChecklistItem.objects.filter(
            status=ChecklistStatus.VERIFIED,
            contract__status__in=[ContractStatus.ACTIVE, ContractStatus.IN_EXIT],
            **filters,
        )
        .select_related(
            "contract",
            "contract__lead_officer",
            "contract__deputy_officer",
            "contract__provider_contract_manager",
        )
        .order_by("expires_on", "pk")
    )


def _to(item: ChecklistItem) -> dict:
    contract = item.contract
    contact = contract.provider_contract_manager
    emails = (contact.email,) if contact and contact.is_active and contact.email else ()
    return {"users": contract.officers, "emails": emails}


def checklist_evidence_expiring(today: datetime.date) -> Iterator[AlertSpec]:
    horizon = today + datetime.timedelta(days=EXPIRING_WARNING_DAYS)
    for item in _verified_items(expires_on__gte=today, expires_on__lte=horizon):
        contract = item.contract
        days = (item.expires_on - today).days
        when = "today" if not days else f"{days} day{'s' if days != 1 else ''} from today"
        yield AlertSpec(
            key=f"checklist-expiring:{item.pk}:{item.expires_on.isoformat()}",
            kind="checklist-expiring",
            urgency=Urgency.DUE_SOON,
            subject=f"Checklist evidence expires on {on(item.expires_on)}: "
            f"{contract.reference} {item.title}",
            body=(
                f"The evidence for “{item.title}” on {contract} expires on "
                f"{on(item.expires_on)}, {when}. "
                "Ask the provider for the renewed evidence and record it on the checklist."
            ),
            url=reverse("contracts:contract_checklist", args=[contract.pk]),
            **_to(item),
        )


def checklist_evidence_expired(today: datetime.date) -> Iterator[AlertSpec]:
    for item in _verified_items(expires_on__lt=today):
        contract = item.contract
        yield AlertSpec(
            key=f"checklist-expired:{item.pk}:{item.expires_on.isoformat()}",
            kind="checklist-expired",
            urgency=Urgency.MISSED,
            subject=f"Checklist evidence has expired: {contract.reference} {item.title}",
            body=(
                f"The evidence for “{item.title}” on {contract} expired on "
                f"{on(item.expires_on)} and no renewed evidence has been recorded."
            ),
            url=reverse("contracts:contract_checklist", args=[contract.pk]),
            **_to(item),
        )


PROVIDERS: list = [checklist_evidence_expiring, checklist_evidence_expired]

__all__ = ["PROVIDERS", "checklist_evidence_expired", "checklist_evidence_expiring"]
