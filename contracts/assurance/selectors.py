from django.db.models import (
    QuerySet,
)

from contracts.assurance.models.audits import Audit, Complaint
from contracts.assurance.models.slas import ChecklistItem, ServiceLevelAgreement


def sla_list(user) -> QuerySet[ServiceLevelAgreement]:
    """Every SLA version the user may see, ready for the portfolio list."""
    return ServiceLevelAgreement.objects.restrict(user, "view").select_related(
        "contract", "contract__provider", "signed_for_commissioner", "signed_for_provider"
    )


def checklist_list(user) -> QuerySet[ChecklistItem]:
    """Every checklist item the user may see, ready for the portfolio list."""
    return ChecklistItem.objects.restrict(user, "view").select_related(
        "contract", "contract__provider", "verified_by", "evidence"
    )


def complaint_list(user) -> QuerySet[Complaint]:
    return Complaint.objects.restrict(user, "view").select_related("contract", "contract__provider")


def audit_list(user) -> QuerySet[Audit]:
    return Audit.objects.restrict(user, "view").select_related("contract", "contract__provider")
