from django.db.models import (
    Count,
    OuterRef,
    QuerySet,
    Subquery,
)
from django.db.models.functions import Coalesce
from django.utils import timezone

from contracts.assurance.choices import SlaStatus
from contracts.assurance.models.slas import ChecklistItem, ServiceLevelAgreement
from contracts.exit.selectors import exit_notice_status
from contracts.performance.models.kpis import ContractKpi
from contracts.performance.selectors import key_indicator_warning, reported_returns
from contracts.register.choices import VariationStatus
from contracts.register.models.contracts import Contract, ExtensionOption, Variation

#: What the overview shows of the contract's own relations, read together.
TERMS = ("provider", "service_area", "overall")


def with_terms(contract: Contract) -> Contract:
    """Attach the contract's provider, service area and stored overall status, read in
    one query (a join of four small tables, quick to plan) rather than one each."""
    joined = Contract._base_manager.select_related(*TERMS).get(pk=contract.pk)
    for name in TERMS:
        relation = Contract._meta.get_field(name)
        relation.set_cached_value(contract, relation.get_cached_value(joined, None))
    return contract


def _count(queryset: QuerySet) -> Coalesce:
    """How many rows of ``queryset`` (one contract's, by ``OuterRef``), as a subquery."""
    rows = queryset.order_by().values("contract").annotate(n=Count("pk")).values("n")
    return Coalesce(Subquery(rows), 0)


def contract_overview(contract: Contract, today=None) -> dict:
    """What the contract page shows beside its fields: warnings a manager should act on.
    Six queries whatever the contract holds; the counts share one."""
    today = today or timezone.localdate()
    checklist = ChecklistItem.objects.filter(contract=contract)
    [counts] = Contract.objects.filter(pk=contract.pk).values(
        key_indicators=_count(
            ContractKpi.objects.filter(
                contract=OuterRef("pk"), is_active=True, is_key_indicator=True
            )
        ),
        outstanding=_count(ChecklistItem.objects.outstanding().filter(contract=OuterRef("pk"))),
        pending_variations=_count(
            Variation.objects.filter(contract=OuterRef("pk"), status=VariationStatus.PROPOSED)
        ),
    )
    key_indicators = counts["key_indicators"]
    # Ordered within the contract: the models' default order starts with the contract's
    # reference, which would join the contract for nothing.
    current_sla = (
        ServiceLevelAgreement.objects.filter(contract=contract, status=SlaStatus.AGREED)
        .order_by("-version")
        .first()
    )
    warnings = []
    kpi_warning = key_indicator_warning(contract, key_indicators)
    if kpi_warning:
        warnings.append(kpi_warning)
    expired = list(checklist.expired(today).order_by("title"))
    if expired:
        names = ", ".join(item.title for item in expired)
        warnings.append(f"Checklist evidence has expired: {names}.")
    outstanding = counts["outstanding"]
    if outstanding:
        warnings.append(
            f"{outstanding} checklist item{'s are' if outstanding != 1 else ' is'} still "
            "waiting for evidence."
        )
    if contract.is_live and current_sla is None:
        warnings.append("The contract has no agreed service level agreement.")
    latest = reported_returns(contract).first()
    return {
        "overall": contract.overall_status,
        "latest_return": latest,
        "warnings": warnings,
        "key_indicators": key_indicators,
        "current_sla": current_sla,
        "extensions": list(ExtensionOption.objects.filter(contract=contract).order_by("sequence")),
        "pending_variations": counts["pending_variations"],
        "exit_notice": exit_notice_status(contract, today),
    }
