from django.db.models import (
    QuerySet,
)

from contracts.assurance.choices import SlaStatus
from contracts.assurance.models.audits import Audit, Complaint
from contracts.assurance.models.slas import ChecklistItem, ServiceLevelAgreement


def sla_list(user) -> QuerySet[ServiceLevelAgreement]:
    """Every SLA version the user may see, ready for the portfolio list."""
    return ServiceLevelAgreement.objects.restrict(user, "view").select_related(
        "contract", "contract__provider", "signed_for_commissioner", "signed_for_provider"
    )


def agreed_slas(contract) -> QuerySet[ServiceLevelAgreement]:
    """The contract's agreed SLA versions, the current one first (``contract`` may be an
    ``OuterRef`` to the contract of an outer query)."""
    agreed = ServiceLevelAgreement.objects.filter(contract=contract, status=SlaStatus.AGREED)
    return agreed.order_by("-version")


def checklist_list(user) -> QuerySet[ChecklistItem]:
    """Every checklist item the user may see, ready for the portfolio list."""
    return ChecklistItem.objects.restrict(user, "view").select_related(
        "contract", "contract__provider", "verified_by", "evidence"
    )


def complaint_list(user) -> QuerySet[Complaint]:
    return Complaint.objects.restrict(user, "view").select_related("contract", "contract__provider")


def audit_list(user) -> QuerySet[Audit]:
    return Audit.objects.restrict(user, "view").select_related("contract", "contract__provider")
