from decimal import Decimal

from django.db.models import Count, OuterRef, Q, QuerySet, Subquery
from django.utils import timezone

from .choices import ReturnStatus, SlaStatus, VariationStatus
from .models import (
    ChecklistItem,
    Contact,
    Contract,
    ExtensionOption,
    Organisation,
    PerformanceReturn,
    ServiceLevelAgreement,
    Variation,
)


def organisation_list(user) -> QuerySet[Organisation]:
    return Organisation.objects.restrict(user, "view").annotate(
        contact_count=Count("contacts", filter=Q(contacts__is_active=True))
    )


def contact_list(user) -> QuerySet[Contact]:
    return Contact.objects.restrict(user, "view").select_related("organisation")


def latest_reported(contracts: QuerySet[Contract]) -> QuerySet[Contract]:
    """Annotate each contract with the RAG and quarter of its latest submitted or
    accepted performance return, in the same query."""
    reported = PerformanceReturn.objects.filter(
        period__contract=OuterRef("pk"),
        status__in=[ReturnStatus.SUBMITTED, ReturnStatus.ACCEPTED],
    ).order_by("-period__starts_on")
    return contracts.annotate(
        latest_rag=Subquery(reported.values("rag")[:1]),
        latest_rag_period=Subquery(reported.values("period__starts_on")[:1]),
    )


def contract_list(user) -> QuerySet[Contract]:
    return latest_reported(
        Contract.objects.restrict(user, "view").select_related(
            "provider", "service_area", "lead_officer", "deputy_officer"
        )
    )


def extension_list(user) -> QuerySet[ExtensionOption]:
    return ExtensionOption.objects.restrict(user, "view").select_related(
        "contract", "contract__provider", "decided_by"
    )


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


def variation_list(user) -> QuerySet[Variation]:
    return Variation.objects.restrict(user, "view").select_related(
        "contract", "decided_by", "proposed_by"
    )


#: Above this total value a contract should publish at least MIN_KEY_INDICATORS KPIs.
KEY_INDICATOR_VALUE_THRESHOLD = Decimal("5000000")
MIN_KEY_INDICATORS = 3


def key_indicator_warning(contract: Contract, key_indicators: int) -> str | None:
    """A contract worth more than £5,000,000 should publish at least three key
    performance indicators."""
    if contract.total_value > KEY_INDICATOR_VALUE_THRESHOLD and key_indicators < MIN_KEY_INDICATORS:
        return (
            f"This contract is worth more than £5,000,000 but publishes {key_indicators} key "
            f"performance indicator{'s' if key_indicators != 1 else ''}; it should publish at "
            f"least {MIN_KEY_INDICATORS}."
        )
    return None


def contract_overview(contract: Contract, today=None) -> dict:
    """What the contract page shows beside its fields: warnings a manager should act on.
    A fixed handful of queries whatever the contract holds."""
    today = today or timezone.localdate()
    checklist = contract.checklist.all()
    key_indicators = contract.kpis.filter(is_active=True, is_key_indicator=True).count()
    current_sla = contract.slas.filter(status=SlaStatus.AGREED).first()
    warnings = []
    kpi_warning = key_indicator_warning(contract, key_indicators)
    if kpi_warning:
        warnings.append(kpi_warning)
    expired = list(checklist.expired(today))
    if expired:
        names = ", ".join(item.title for item in expired)
        warnings.append(f"Checklist evidence has expired: {names}.")
    outstanding = checklist.outstanding().count()
    if outstanding:
        warnings.append(
            f"{outstanding} checklist item{'s are' if outstanding != 1 else ' is'} still "
            "waiting for evidence."
        )
    if contract.is_live and current_sla is None:
        warnings.append("The contract has no agreed service level agreement.")
    latest = (
        PerformanceReturn.objects.filter(
            period__contract=contract,
            status__in=[ReturnStatus.SUBMITTED, ReturnStatus.ACCEPTED],
        )
        .select_related("period")
        .order_by("-period__starts_on")
        .first()
    )
    return {
        "latest_return": latest,
        "warnings": warnings,
        "key_indicators": key_indicators,
        "current_sla": current_sla,
        "extensions": list(contract.extensions.all()),
        "pending_variations": contract.variations.filter(status=VariationStatus.PROPOSED).count(),
    }
